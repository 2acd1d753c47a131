import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { visitorKeys } from '@typescript-eslint/visitor-keys';

/**
 * Strips `as T`, `!`, `<T>x` and `satisfies T` wrappers and the wrapper of a `?.` chain; not `await`
 * (see `outerExpression`, which goes past it).
 */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  for (;;) {
    if (
      n.type === AST_NODE_TYPES.TSAsExpression ||
      n.type === AST_NODE_TYPES.TSNonNullExpression ||
      n.type === AST_NODE_TYPES.TSTypeAssertion ||
      n.type === AST_NODE_TYPES.TSSatisfiesExpression
    ) {
      n = n.expression;
    } else if (n.type === AST_NODE_TYPES.ChainExpression) {
      n = n.expression;
    } else return n;
  }
}

/** `obj.prop(…)` with a plain (non-computed) property name. */
export function isMethodCall(
  node: TSESTree.Node,
  methods: ReadonlySet<string> | string,
): node is TSESTree.CallExpression & {
  callee: TSESTree.MemberExpression & { property: TSESTree.Identifier };
} {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const c = node.callee;
  if (c.type !== AST_NODE_TYPES.MemberExpression || c.computed || c.property.type !== AST_NODE_TYPES.Identifier)
    return false;
  return typeof methods === 'string' ? c.property.name === methods : methods.has(c.property.name);
}

/**
 * The name of a member expression's property, as the ESLint selector `[property.name="m"]` reads it: `x.m`,
 * `x.#m` and `x[m]` give `m`; `x['m']` and other nodes give undefined.
 */
export function propertyName(node: TSESTree.Node): string | undefined {
  return node.type === AST_NODE_TYPES.MemberExpression && 'name' in node.property ? node.property.name : undefined;
}

/** `a.b` with plain names, e.g. `Math.max`, `Number.NEGATIVE_INFINITY`. */
export function isStaticMember(
  node: TSESTree.Node,
  object: string,
  property?: string,
): node is TSESTree.MemberExpression & {
  property: TSESTree.Identifier;
} {
  return (
    node.type === AST_NODE_TYPES.MemberExpression &&
    !node.computed &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    node.object.name === object &&
    node.property.type === AST_NODE_TYPES.Identifier &&
    (property === undefined || node.property.name === property)
  );
}

export function numericLiteral(node: TSESTree.Node): number | undefined {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Literal && typeof n.value === 'number') return n.value;
  if (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === '-') {
    const v = numericLiteral(n.argument);
    return v === undefined ? undefined : -v;
  }
  return undefined;
}

export const FUNCTION_TYPES = new Set<string>([
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.FunctionExpression,
  AST_NODE_TYPES.ArrowFunctionExpression,
]);

export function isLoop(
  node: TSESTree.Node,
): node is
  | TSESTree.ForStatement
  | TSESTree.ForOfStatement
  | TSESTree.ForInStatement
  | TSESTree.WhileStatement
  | TSESTree.DoWhileStatement {
  return (
    node.type === AST_NODE_TYPES.ForStatement ||
    node.type === AST_NODE_TYPES.ForOfStatement ||
    node.type === AST_NODE_TYPES.ForInStatement ||
    node.type === AST_NODE_TYPES.WhileStatement ||
    node.type === AST_NODE_TYPES.DoWhileStatement
  );
}

/** The statement at the top of the file that holds `node` (`node` itself when it is one). */
export function topLevelStatement(node: TSESTree.Node): TSESTree.Node {
  let top = node;
  while (top.parent && top.parent.type !== AST_NODE_TYPES.Program) top = top.parent;
  return top;
}

export function isInside(inner: TSESTree.Node, outer: TSESTree.Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** The last name of a type reference: `Tensor2D` for `tf.Tensor2D` and `Tensor2D`; '' for other types. */
export function typeReferenceName(annotation: TSESTree.TypeNode): string {
  if (annotation.type !== AST_NODE_TYPES.TSTypeReference) return '';
  const typeName = annotation.typeName;
  if (typeName.type === AST_NODE_TYPES.TSQualifiedName) return typeName.right.name;
  return typeName.type === AST_NODE_TYPES.Identifier ? typeName.name : '';
}

/** `T` of a `Promise<T>` type annotation; undefined for any other type. */
export function promisedType(annotation: TSESTree.TypeNode): TSESTree.TypeNode | undefined {
  return typeReferenceName(annotation) === 'Promise' &&
    annotation.type === AST_NODE_TYPES.TSTypeReference &&
    annotation.typeArguments?.params.length === 1
    ? annotation.typeArguments.params[0]
    : undefined;
}

/** An AST node (for generic walks over a node's keys). */
export function isNode(x: unknown): x is TSESTree.Node {
  return typeof x === 'object' && x !== null && typeof (x as { type?: unknown }).type === 'string';
}

type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;
let KEYS = visitorKeys as VisitorKeys;

/**
 * Walks follow the linted file's parser's visitor keys, as ESLint's own traversal does (set by every
 * rule as it starts on a file; typescript-eslint's, which also cover plain ESTree, until then).
 */
export function useVisitorKeys(keys: unknown): void {
  if (keys && typeof keys === 'object') KEYS = keys as VisitorKeys;
}

/** The keys that hold a node type's children, when the parser names them. */
export const childKeys = (type: string): readonly string[] | undefined => KEYS[type];

/**
 * Calls `visit` on each child of `node`, in source order: the keys the parser's visitor keys name for its
 * type (what ESLint's own traversal follows; far cheaper than enumerating every property on every
 * node), or, for a node type they do not know, every property that holds a node. Never `parent`, nor a
 * Program's tokens and comments.
 */
export function forEachChild(node: TSESTree.Node, visit: (child: TSESTree.Node) => void): void {
  const record = node as unknown as Record<string, unknown>;
  const keys: Iterable<string> = KEYS[node.type] ?? ownKeys(record);
  for (const key of keys) {
    const v = record[key];
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) {
      for (const c of v) if (isNode(c)) visit(c);
    } else if (isNode(v)) visit(v);
  }
}

/** A node's own keys but those that never hold its children. */
function* ownKeys(record: Record<string, unknown>): Generator<string> {
  for (const key in record)
    if (key !== 'parent' && key !== 'tokens' && key !== 'comments' && key !== 'loc' && key !== 'range') yield key;
}

/**
 * The outermost expression that hands on `node`'s value unchanged: past `as T`, `<T>x`, `!`,
 * `satisfies T`, `await` and `?.` chains.
 */
export function outerExpression(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  while (
    n.parent &&
    (n.parent.type === AST_NODE_TYPES.TSAsExpression ||
      n.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      n.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      n.parent.type === AST_NODE_TYPES.TSTypeAssertion ||
      n.parent.type === AST_NODE_TYPES.AwaitExpression ||
      n.parent.type === AST_NODE_TYPES.ChainExpression)
  ) {
    n = n.parent;
  }
  return n;
}

/** How a message quotes `node`: its source on one line, cut to `max` characters with an ellipsis. */
export function excerpt(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node, max: number): string {
  const text = sourceCode.getText(node).replace(/\s+/g, ' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The ASCII characters that continue an identifier next to a name: `\w` and `$`. */
const NAME_CHAR = new Uint8Array(128).map((_, c) => (/[\w$]/.test(String.fromCharCode(c)) ? 1 : 0));

/** Whether the UTF-16 unit at `i` of `text` is `\w` or `$` (none before the start or after the end). */
export const nameCharAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return c < 128 && NAME_CHAR[c] === 1;
};

/**
 * How often `name` occurs in `text` as a whole identifier, up to `limit`: not next to `\w` or `$`, as the
 * pattern `(?<![\w$])name(?![\w$])` finds it, left to right without overlaps. Found with `indexOf`, which
 * scans a module many times faster than that pattern (a re-lint asks this of the whole file).
 */
export function mentionCount(text: string, name: string, limit = Infinity): number {
  if (name === '') return 0;
  let count = 0;
  for (let i = text.indexOf(name); i >= 0;) {
    if (!nameCharAt(text, i - 1) && !nameCharAt(text, i + name.length)) {
      if (++count >= limit) break;
      i = text.indexOf(name, i + name.length);
    } else i = text.indexOf(name, i + 1);
  }
  return count;
}

/** Whether `name` occurs in `text` as a whole identifier (see `mentionCount`). */
export function mentions(text: string, name: string): boolean {
  return mentionCount(text, name, 1) > 0;
}

/** Whether `node` is written where it stands: an assignment's target, `++` / `--`'s operand, `delete`'s. */
export function isWrittenTo(node: TSESTree.Node): boolean {
  const p = node.parent;
  return (
    (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === node) ||
    p?.type === AST_NODE_TYPES.UpdateExpression ||
    (p?.type === AST_NODE_TYPES.UnaryExpression && p.operator === 'delete')
  );
}

/** `x.m()` or `await x.m()`: a named method called with no arguments, its receiver, and whether it is awaited. */
export function bareMethodCall(
  node: TSESTree.Node,
): { receiver: TSESTree.Expression; method: string; awaited: boolean } | undefined {
  const n = unwrap(node);
  const awaited = n.type === AST_NODE_TYPES.AwaitExpression;
  const call = n.type === AST_NODE_TYPES.AwaitExpression ? unwrap(n.argument) : n;
  if (call.type !== AST_NODE_TYPES.CallExpression || call.arguments.length > 0) return undefined;
  const callee = call.callee;
  if (
    callee.type !== AST_NODE_TYPES.MemberExpression ||
    callee.computed ||
    callee.property.type !== AST_NODE_TYPES.Identifier
  )
    return undefined;
  return { receiver: callee.object, method: callee.property.name, awaited };
}
