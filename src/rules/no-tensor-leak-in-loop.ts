import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isDisposal, isKept } from '../analysis/disposal.js';
import { enclosingLoop, loopBodyParts, walk, type LoopSite } from '../analysis/loop-context.js';
import { TensorCreations } from '../analysis/tensor-creation.js';
import { findTfBinding, tfCallName, type TfBinding } from '../analysis/tf-binding.js';
import { findVariable, TensorFacts } from '../analysis/tensors.js';
import { FUNCTION_TYPES, isInside, isLoop, unwrap } from '../ast/predicates.js';
import { createRule, guarded } from '../create-rule.js';

type Options = [];
type MessageIds = 'leak' | 'overwritten' | 'wrapInTidy' | 'disposeAtEnd';

const MAX_SHOWN = 40;
const MAX_LISTED = 3;
const WRAPPERS = new Set<string>([AST_NODE_TYPES.TSAsExpression, AST_NODE_TYPES.TSNonNullExpression, AST_NODE_TYPES.TSSatisfiesExpression, AST_NODE_TYPES.TSTypeAssertion]);

/** What becomes of a tensor: disposed or kept on purpose, handed to code that may own it, or dropped. */
type Fate = 'disposed' | 'escapes' | 'leaks';

interface Leak {
  creation: TSESTree.Node;
  /** The variable that holds it, when one does. */
  variable?: Scope.Variable;
}

/** The expression a value flows out of, past `as T`, `!` and `await`. */
function outer(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  while (n.parent && (WRAPPERS.has(n.parent.type) || n.parent.type === AST_NODE_TYPES.AwaitExpression || n.parent.type === AST_NODE_TYPES.ChainExpression)) n = n.parent;
  return n;
}

/** TF.js functions that run their callback in a scope of their own, disposing what it does not return. */
const SCOPED_OPS = new Set(['tidy', 'grad', 'grads', 'valueAndGrad', 'valueAndGrads', 'variableGrads', 'customGrad']);
const SCOPED_METHODS = new Set(['minimize', 'computeGradients']);

/** Inside the callback of `tf.tidy`, `tf.grad`, `optimizer.minimize`, … (anywhere up the tree): that scope disposes what it does not return. */
function insideTidy(binding: TfBinding, node: TSESTree.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    const call = p.parent;
    if (!FUNCTION_TYPES.has(p.type) || call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(p as TSESTree.CallExpressionArgument)) continue;
    const op = tfCallName(binding, call);
    if (op && SCOPED_OPS.has(op)) return true;
    if (call.callee.type === AST_NODE_TYPES.MemberExpression && call.callee.property.type === AST_NODE_TYPES.Identifier && SCOPED_METHODS.has(call.callee.property.name)) return true;
  }
  return false;
}

export default createRule<Options, MessageIds>({
  name: 'no-tensor-leak-in-loop',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow tensors created on every loop iteration that are never disposed, returned or kept',
      recommended: true,
    },
    hasSuggestions: true,
    schema: [],
    defaultOptions: [],
    messages: {
      leak:
        'This {{loop}} creates {{count}} on every iteration that nothing disposes, returns or keeps ({{tensors}}): backend memory (GPU memory on WebGL/WebGPU) grows with each iteration, as `tf.memory().numTensors` shows. Wrap the body in `tf.tidy(() => { … })`, or call `dispose()` on each tensor when done with it.',
      overwritten:
        '`{{name}}` gets a new tensor on every iteration of this {{loop}}, and the tensor it held before is never disposed: every iteration but the last leaks one. Dispose the old value once the new one is computed (`const next = …; {{name}}.dispose(); {{name}} = next;`).',
      wrapInTidy: 'Wrap the body of the {{loop}} in `{{tidy}}(() => { … })`: the tensors it creates are disposed at the end of each iteration.',
      disposeAtEnd: 'Dispose `{{name}}` at the end of each iteration.',
    },
  },
  defaultOptions: [],
  create(context) {
    const sourceCode = context.sourceCode;
    const binding = findTfBinding(sourceCode.ast);
    // Without a TF.js import there are no TF.js ops to create tensors with.
    if (!binding) return {};
    const facts = new TensorFacts(sourceCode, binding);
    const creations = new TensorCreations(facts);
    const leaks = new Map<TSESTree.Node, { site: LoopSite; leaks: Leak[] }>();

    /** How a use of a tensor (an expression, or a variable's reference) treats it. */
    function useOf(node: TSESTree.Node): Fate | 'used' {
      if (isDisposal(binding!, node) || isKept(binding!, node)) return 'disposed';
      const n = outer(node);
      if (n !== node && (isDisposal(binding!, n) || isKept(binding!, n))) return 'disposed';
      const p = n.parent;
      if (!p) return 'escapes';
      switch (p.type) {
        // y.dataSync(), y.shape, y.add(1): read, not owned.
        case AST_NODE_TYPES.MemberExpression:
          return p.object === n ? 'used' : 'escapes';
        case AST_NODE_TYPES.CallExpression: {
          if (p.callee === n) return 'escapes';
          // tf.add(y, 1), x.mul(y), console.log(y): those do not keep what they are given.
          if (tfCallName(binding!, p)) return 'used';
          const callee = p.callee;
          if (callee.type === AST_NODE_TYPES.MemberExpression && creations.isCreation(p)) return 'used';
          if (callee.type === AST_NODE_TYPES.MemberExpression && unwrap(callee.object).type === AST_NODE_TYPES.Identifier && (unwrap(callee.object) as TSESTree.Identifier).name === 'console') return 'used';
          return 'escapes';
        }
        case AST_NODE_TYPES.BinaryExpression:
        case AST_NODE_TYPES.TemplateLiteral:
        case AST_NODE_TYPES.IfStatement:
        case AST_NODE_TYPES.WhileStatement:
          return 'used';
        case AST_NODE_TYPES.UnaryExpression:
          return 'used';
        case AST_NODE_TYPES.LogicalExpression:
        case AST_NODE_TYPES.ConditionalExpression:
          return p.type === AST_NODE_TYPES.ConditionalExpression && p.test === n ? 'used' : 'escapes';
        case AST_NODE_TYPES.ExpressionStatement:
          return 'leaks';
        default:
          return 'escapes';
      }
    }

    /** The fate of a tensor held by a variable declared in the loop: disposed or escaping at any reference wins. */
    function variableFate(variable: Scope.Variable): Fate {
      let fate: Fate = 'leaks';
      for (const ref of variable.references) {
        if (ref.init) continue;
        // Reassigned: the value held before is somebody else's question (and `overwritten`'s).
        if (ref.isWrite()) return 'escapes';
        const use = useOf(ref.identifier);
        if (use === 'disposed') return 'disposed';
        if (use === 'escapes') fate = 'escapes';
      }
      return fate;
    }

    // for (…) { const p = model.predict(x); out.push(p.dataSync()[0]); }   // p leaks
    function check(call: TSESTree.CallExpression): void {
      // Cheap ancestor walks first: most calls are in no loop, and isCreation may ask the type checker.
      const site = enclosingLoop(call);
      if (!site || insideTidy(binding!, call) || !creations.isCreation(call)) return;
      const n = outer(call);
      const p = n.parent;
      let leak: Leak | undefined;
      if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === n) {
        if (p.id.type !== AST_NODE_TYPES.Identifier) return;
        const variable = findVariable(sourceCode, p.id);
        if (!variable || variable.defs.length !== 1) return;
        if (variableFate(variable) === 'leaks') leak = { creation: call, variable };
      } else if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === n && p.operator === '=') {
        checkOverwrite(p, site);
        return;
      } else if (useOf(call) === 'leaks' || useOf(call) === 'used') {
        leak = { creation: call };
      }
      if (!leak) return;
      const entry = leaks.get(site.node) ?? { site, leaks: [] };
      entry.leaks.push(leak);
      leaks.set(site.node, entry);
    }

    // let acc = tf.zeros([3]); for (…) acc = acc.add(x);   // the previous acc is never disposed
    function checkOverwrite(assign: TSESTree.AssignmentExpression, site: LoopSite): void {
      if (assign.left.type !== AST_NODE_TYPES.Identifier) return;
      const variable = findVariable(sourceCode, assign.left);
      // Declared in the loop: a fresh binding per iteration (the reference check covers it below).
      if (!variable || variable.defs.length !== 1 || isInside(variable.defs[0].name, site.node)) return;
      for (const ref of variable.references) {
        if (!isInside(ref.identifier, site.node) || ref.isWrite()) continue;
        const use = useOf(ref.identifier);
        // Disposed somewhere in the loop, or handed to code that may keep or dispose it: not ours to judge.
        if (use !== 'used') return;
      }
      context.report({ node: assign, messageId: 'overwritten', data: { name: variable.name, loop: site.label } });
    }

    const short = (node: TSESTree.Node): string => {
      const text = sourceCode.getText(node).replace(/\s+/g, ' ');
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
    };

    const tidyName = binding.namespace ? `${binding.namespace}.tidy` : [...binding.named].find(([, imported]) => imported === 'tidy')?.[0];

    /** The loop body as a block that `tf.tidy` can take as it is: synchronous, no jump out of it, no `var`, and no tensor it makes leaves it. */
    function tidyBody(site: LoopSite): TSESTree.BlockStatement | undefined {
      const body = loopBodyParts(site)[0];
      if (body.type !== AST_NODE_TYPES.BlockStatement || !tidyName) return undefined;
      if (site.callback) {
        const method = ((site.node as TSESTree.CallExpression).callee as TSESTree.MemberExpression).property;
        if (site.callback.async || site.callback.generator || method.type !== AST_NODE_TYPES.Identifier || method.name !== 'forEach') return undefined;
      }
      let ok = true;
      walk(
        body,
        (n) => {
          if (!ok) return;
          switch (n.type) {
            case AST_NODE_TYPES.AwaitExpression:
            case AST_NODE_TYPES.YieldExpression:
            case AST_NODE_TYPES.ReturnStatement:
              ok = false;
              return;
            case AST_NODE_TYPES.BreakStatement:
            case AST_NODE_TYPES.ContinueStatement: {
              if (n.label) {
                ok = false;
                return;
              }
              // Unlabelled: fine when a loop (or, for break, a switch) inside the body catches it.
              let caught = false;
              for (let q: TSESTree.Node | undefined = n.parent; q && q !== body; q = q.parent) if (isLoop(q) || (n.type === AST_NODE_TYPES.BreakStatement && q.type === AST_NODE_TYPES.SwitchStatement)) caught = true;
              if (!caught) ok = false;
              return;
            }
            case AST_NODE_TYPES.VariableDeclaration:
              if (n.kind === 'var') ok = false;
              return;
            case AST_NODE_TYPES.AssignmentExpression: {
              // A tensor-valued result stored outside the body would be disposed by tidy under its holder.
              const right = unwrap(n.right);
              if (n.left.type === AST_NODE_TYPES.Identifier) {
                const v = findVariable(sourceCode, n.left);
                if (v && v.defs.length > 0 && isInside(v.defs[0].name, body)) return;
              }
              if ([AST_NODE_TYPES.CallExpression, AST_NODE_TYPES.Identifier, AST_NODE_TYPES.NewExpression, AST_NODE_TYPES.AwaitExpression].includes(right.type as never)) ok = false;
              return;
            }
            case AST_NODE_TYPES.CallExpression:
              if (creations.isCreation(n) && !insideTidy(binding!, n)) {
                const o = outer(n);
                const held = o.parent?.type === AST_NODE_TYPES.VariableDeclarator && o.parent.id.type === AST_NODE_TYPES.Identifier ? findVariable(sourceCode, o.parent.id) : undefined;
                const fate = held ? variableFate(held) : o.parent?.type === AST_NODE_TYPES.AssignmentExpression ? 'escapes' : useOf(n) === 'escapes' ? 'escapes' : 'leaks';
                if (fate === 'escapes') ok = false;
              }
              return;
            default:
          }
        },
        (n) => FUNCTION_TYPES.has(n.type),
      );
      return ok ? body : undefined;
    }

    function wrapInTidy(body: TSESTree.BlockStatement): (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix {
      const text = sourceCode.getText(body);
      const inner = text.slice(1, -1);
      const lines = inner.split('\n');
      if (lines.length < 3) return (fixer) => fixer.replaceText(body, `{ ${tidyName}(() => {${inner}}); }`);
      const closeIndent = lines[lines.length - 1];
      const firstIndent = /^\s*/.exec(lines.find((l, k) => k > 0 && l.trim() !== '') ?? '')![0];
      const unit = firstIndent.startsWith(closeIndent) && firstIndent.length > closeIndent.length ? firstIndent.slice(closeIndent.length) : '  ';
      const middle = lines.slice(1, -1).map((l) => (l.trim() === '' ? l : unit + l));
      const replacement = [`{${lines[0]}`, `${closeIndent}${unit}${tidyName}(() => {`, ...middle, `${closeIndent}${unit}});`, `${closeIndent}}`].join('\n');
      return (fixer) => fixer.replaceText(body, replacement);
    }

    /** `p.dispose();` after the body's last statement, for a single leaked variable declared in the body itself. */
    function disposeAtEnd(site: LoopSite, leak: Leak): ((fixer: TSESLint.RuleFixer) => TSESLint.RuleFix) | undefined {
      const body = loopBodyParts(site)[0];
      const decl = leak.variable?.defs[0].parent;
      if (!leak.variable || body.type !== AST_NODE_TYPES.BlockStatement || decl?.parent !== body) return undefined;
      // An early exit would skip the dispose on that path.
      let jumps = false;
      walk(body, (n) => {
        if ([AST_NODE_TYPES.BreakStatement, AST_NODE_TYPES.ContinueStatement, AST_NODE_TYPES.ReturnStatement, AST_NODE_TYPES.ThrowStatement].includes(n.type as never)) jumps = true;
      }, (n) => FUNCTION_TYPES.has(n.type));
      if (jumps) return undefined;
      const last = body.body[body.body.length - 1];
      const lineStart = sourceCode.text.lastIndexOf('\n', last.range[0] - 1) + 1;
      const indent = sourceCode.text.slice(lineStart, last.range[0]);
      const sep = /^\s*$/.test(indent) ? `\n${indent}` : ' ';
      const name = leak.variable.name;
      // minimize(…, true) is typed `Scalar | null`: `?.` keeps the output type-checking.
      const call = unwrap(leak.creation);
      const nullable = call.type === AST_NODE_TYPES.CallExpression && call.callee.type === AST_NODE_TYPES.MemberExpression && call.callee.property.type === AST_NODE_TYPES.Identifier && call.callee.property.name === 'minimize';
      return (fixer) => fixer.insertTextAfter(last, `${sep}${name}${nullable ? '?.' : '.'}dispose();`);
    }

    function report(): void {
      for (const { site, leaks: list } of leaks.values()) {
        list.sort((a, b) => a.creation.range[0] - b.creation.range[0]);
        const shown = list.slice(0, MAX_LISTED).map((l) => `\`${short(l.creation)}\``);
        if (list.length > MAX_LISTED) shown.push(`${list.length - MAX_LISTED} more`);
        const suggest: TSESLint.ReportSuggestionArray<MessageIds> = [];
        const body = tidyBody(site);
        if (body) suggest.push({ messageId: 'wrapInTidy', data: { loop: site.label, tidy: tidyName! }, fix: wrapInTidy(body) });
        const dispose = list.length === 1 ? disposeAtEnd(site, list[0]) : undefined;
        if (dispose) suggest.push({ messageId: 'disposeAtEnd', data: { name: list[0].variable!.name }, fix: dispose });
        context.report({
          node: list[0].creation,
          messageId: 'leak',
          data: { loop: site.label, count: list.length === 1 ? 'a tensor' : `${list.length} tensors`, tensors: shown.join(', ') },
          suggest,
        });
      }
    }

    return {
      CallExpression: guarded(check),
      'Program:exit': guarded(report),
    };
  },
});
