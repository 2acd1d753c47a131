/**
 * Functions of the linted module and their calls: which function a call runs (`f(…)` declared in
 * this file, `this.m(…)` a method of the enclosing class), and every call of a function when the
 * module shows them all (a function that is exported, or handed out as a value, may have callers
 * elsewhere). One level deep and purely syntactic: no whole-program analysis.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { FUNCTION_TYPES, unwrap } from '../ast/predicates.js';
import { identifiersNamed, inWalkOrder, noteNameRead } from '../ast/names.js';
import { enclosingFunction, walk } from './loop-context.js';
import { findVariable } from '../ast/scope.js';

export type FunctionNode =
  TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

const isFunction = (n: TSESTree.Node | null | undefined): n is FunctionNode => !!n && FUNCTION_TYPES.has(n.type);

/** The function whose body holds `node` (not counting `node` itself). */
export function owningFunction(node: TSESTree.Node): FunctionNode | undefined {
  const owner = enclosingFunction(node);
  return owner?.type === AST_NODE_TYPES.Program ? undefined : owner;
}

/** The class whose `this` a node sees: through arrow functions, up to the method or field that holds it. */
function thisClass(node: TSESTree.Node): TSESTree.ClassBody | undefined {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === AST_NODE_TYPES.ArrowFunctionExpression) continue;
    if (p.type === AST_NODE_TYPES.FunctionExpression || p.type === AST_NODE_TYPES.FunctionDeclaration) {
      const holder = p.parent;
      return holder?.type === AST_NODE_TYPES.MethodDefinition && holder.kind === 'method' && !holder.static
        ? holder.parent
        : undefined;
    }
    if (p.type === AST_NODE_TYPES.PropertyDefinition) return p.static ? undefined : p.parent;
  }
  return undefined;
}

/** A class member's name: `m` for `m() {}`, `#m` for `#m() {}`. */
export function memberName(key: TSESTree.Node, computed: boolean): string | undefined {
  if (computed) return undefined;
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  return undefined;
}

/** The method (or arrow-function field) named `name` of a class body. */
function classMethod(body: TSESTree.ClassBody, name: string): FunctionNode | undefined {
  for (const member of body.body) {
    if (
      member.type === AST_NODE_TYPES.MethodDefinition &&
      member.kind === 'method' &&
      !member.static &&
      memberName(member.key, member.computed) === name
    )
      return member.value as TSESTree.FunctionExpression;
    if (
      member.type === AST_NODE_TYPES.PropertyDefinition &&
      !member.static &&
      memberName(member.key, member.computed) === name &&
      isFunction(member.value)
    )
      return member.value;
  }
  return undefined;
}

/** The function a call runs when this module defines it: `f(…)`, `this.m(…)`. */
export function calledFunction(
  sourceCode: Readonly<TSESLint.SourceCode>,
  call: TSESTree.CallExpression,
): FunctionNode | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariable(sourceCode.getScope(callee), callee);
    if (!variable || variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    if (def.type === 'FunctionName' && def.node.type === AST_NODE_TYPES.FunctionDeclaration) return def.node;
    if (
      def.type === 'Variable' &&
      def.node.type === AST_NODE_TYPES.VariableDeclarator &&
      def.parent?.type === AST_NODE_TYPES.VariableDeclaration &&
      def.parent.kind === 'const' &&
      def.node.init &&
      isFunction(unwrap(def.node.init))
    )
      return unwrap(def.node.init) as FunctionNode;
    return undefined;
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.ThisExpression) {
    const name = memberName(callee.property, callee.computed);
    const body = name ? thisClass(callee) : undefined;
    return body && name ? classMethod(body, name) : undefined;
  }
  return undefined;
}

/** The name a message gives a function: `iou`, `this.step`. */
export function functionLabel(call: TSESTree.CallExpression): string {
  const c = unwrap(call.callee);
  if (c.type === AST_NODE_TYPES.Identifier) return c.name;
  if (c.type === AST_NODE_TYPES.MemberExpression && c.property.type === AST_NODE_TYPES.Identifier)
    return `this.${c.property.name}`;
  return 'the function';
}

/** Whether a declaration statement is exported (`export function f`, `export const f = …`, `export default class`). */
function exportedStatement(node: TSESTree.Node | undefined): boolean {
  const p = node?.parent;
  return p?.type === AST_NODE_TYPES.ExportNamedDeclaration || p?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
}

/** `f` itself as a callee: `f(…)` (also through `as`, `!`, parentheses). */
function isCalleeOf(id: TSESTree.Node): TSESTree.CallExpression | undefined {
  let n = id;
  while (
    n.parent &&
    (n.parent.type === AST_NODE_TYPES.TSAsExpression || n.parent.type === AST_NODE_TYPES.TSNonNullExpression)
  )
    n = n.parent;
  return n.parent?.type === AST_NODE_TYPES.CallExpression && n.parent.callee === n ? n.parent : undefined;
}

/**
 * Every call of `fn` in this module, when the module shows them all: a function declared here (or
 * a `const` bound to one) that is neither exported nor used as a value, or a method whose class is
 * not exported or that is private (`private m`, `#m`) and is never taken as a value. Undefined when
 * callers may exist elsewhere.
 */
export function callsOf(
  sourceCode: Readonly<TSESLint.SourceCode>,
  fn: FunctionNode,
): TSESTree.CallExpression[] | undefined {
  const holder = fn.parent;
  let nameId: TSESTree.Identifier | undefined;
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) {
    if (exportedStatement(fn)) return undefined;
    nameId = fn.id;
  } else if (
    holder?.type === AST_NODE_TYPES.VariableDeclarator &&
    holder.init === fn &&
    holder.id.type === AST_NODE_TYPES.Identifier
  ) {
    if (exportedStatement(holder.parent)) return undefined;
    nameId = holder.id;
  }
  if (nameId) {
    noteNameRead(nameId.name);
    const variable = findVariable(sourceCode.getScope(nameId), nameId);
    if (!variable) return undefined;
    const calls: TSESTree.CallExpression[] = [];
    for (const ref of variable.references) {
      if (ref.init) continue;
      const call = isCalleeOf(ref.identifier);
      if (!call) return undefined;
      calls.push(call);
    }
    return calls;
  }
  // A method: every `.m` in the module must be a call (a method of another class with the same name
  // only adds call sites, which keeps the answer on the safe side).
  const member =
    holder?.type === AST_NODE_TYPES.MethodDefinition || holder?.type === AST_NODE_TYPES.PropertyDefinition
      ? holder
      : undefined;
  if (!member || member.static) return undefined;
  const name = memberName(member.key, member.computed);
  if (!name) return undefined;
  const cls = member.parent.parent;
  const isPrivate = name.startsWith('#') || member.accessibility === 'private';
  if (!isPrivate && (exportedStatement(cls) || !classStaysInModule(sourceCode, cls))) return undefined;
  const calls: TSESTree.CallExpression[] = [];
  for (const access of memberAccesses(sourceCode, name)) {
    const call = isCalleeOf(access);
    if (!call) return undefined;
    calls.push(call);
  }
  return calls;
}

/** Every `.name` member access of the module (`x.name`, `x?.name`, `this.#name`), in the order a walk meets them. */
function memberAccesses(sourceCode: Readonly<TSESLint.SourceCode>, name: string): TSESTree.MemberExpression[] {
  const found: TSESTree.MemberExpression[] = [];
  for (const id of identifiersNamed(sourceCode, name)) {
    const p = id.parent;
    if (p?.type === AST_NODE_TYPES.MemberExpression && p.property === id && memberName(p.property, p.computed) === name)
      found.push(p);
  }
  return inWalkOrder(found);
}

/** A class only instantiated or extended here: its name is never exported or handed out as a value. */
function classStaysInModule(
  sourceCode: Readonly<TSESLint.SourceCode>,
  cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression,
): boolean {
  if (cls.type !== AST_NODE_TYPES.ClassDeclaration || !cls.id) return false;
  noteNameRead(cls.id.name);
  const variable = findVariable(sourceCode.getScope(cls), cls.id);
  if (!variable) return false;
  return variable.references.every((ref) => {
    const p = ref.identifier.parent;
    return (
      (p?.type === AST_NODE_TYPES.NewExpression && p.callee === ref.identifier) ||
      (p?.type === AST_NODE_TYPES.ClassDeclaration && p.superClass === ref.identifier) ||
      (p?.type === AST_NODE_TYPES.ClassExpression && p.superClass === ref.identifier)
    );
  });
}

/** The expressions a function returns (an arrow's expression body, or each `return x;` not in a nested function). */
export function returnedExpressions(fn: FunctionNode): TSESTree.Expression[] {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const out: TSESTree.Expression[] = [];
  walk(
    fn.body,
    (n) => {
      if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument) out.push(n.argument);
    },
    (n) => FUNCTION_TYPES.has(n.type),
  );
  return out;
}
