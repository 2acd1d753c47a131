/**
 * Where a name is spelled in a file, found from its source text rather than by walking the tree: a walk
 * of a large module costs milliseconds on every keystroke, a text search and a descent to each
 * occurrence a few microseconds.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { walk } from '../analysis/loop-context.js';
import { childKeys, forEachChild, isNode, nameCharAt } from './predicates.js';

type NameNode = TSESTree.Identifier | TSESTree.PrivateIdentifier;

/** The child of `node` whose range holds `index`: a binary search in a list of children (sorted, apart). */
function childAt(node: TSESTree.Node, index: number): TSESTree.Node | undefined {
  const keys = childKeys(node.type);
  if (!keys) {
    let found: TSESTree.Node | undefined;
    forEachChild(node, (c) => {
      if (!found && c.range[0] <= index && index < c.range[1]) found = c;
    });
    return found;
  }
  const record = node as unknown as Record<string, unknown>;
  for (const key of keys) {
    const v = record[key];
    if (typeof v !== 'object' || v === null) continue;
    if (!Array.isArray(v)) {
      const c = v as TSESTree.Node;
      if (isNode(c) && c.range[0] <= index && index < c.range[1]) return c;
      continue;
    }
    const list = v as (TSESTree.Node | null)[];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      let c = list[mid];
      // A hole (`[, a]`): the nearest child after it, else before it, decides.
      let k = mid;
      while (!c && k < hi) c = list[++k];
      if (!c) {
        hi = mid - 1;
        continue;
      }
      if (c.range[1] <= index) lo = k + 1;
      else if (c.range[0] > index) hi = mid - 1;
      else return c;
    }
  }
  return undefined;
}

/** The innermost node whose range holds `index`, found by descending from `root`. */
export function nodeAt(root: TSESTree.Node, index: number): TSESTree.Node {
  let node = root;
  for (let next = childAt(node, index); next; next = childAt(node, index)) node = next;
  return node;
}

/**
 * `nodeAt(root, index)` for indices in increasing order: the descent starts from the innermost node
 * around the last one found that also holds `index` (every node that holds `index` lies on one chain of
 * ancestors, so the answer is the same), which an occurrence a few tokens on shares with the last.
 */
function nodeAfter(last: TSESTree.Node | undefined, root: TSESTree.Node, index: number): TSESTree.Node {
  let from = last;
  while (from && from !== root && !(from.range[0] <= index && index < from.range[1])) from = from.parent;
  return nodeAt(from ?? root, index);
}

/** The node under `root` with exactly this range and type (found by descending), if there is one. */
export function nodeWithRange(
  root: TSESTree.Node,
  start: number,
  end: number,
  type: string,
): TSESTree.Node | undefined {
  let node: TSESTree.Node | undefined = root;
  while (node) {
    if (node.range[0] === start && node.range[1] === end && node.type === type) return node;
    // A child with the same range (an expression statement's expression) is looked at before going deeper.
    let next: TSESTree.Node | undefined;
    forEachChild(node, (c) => {
      if (!next && c.range[0] <= start && end <= c.range[1] && (c.range[0] < c.range[1] || start === end)) next = c;
    });
    node = next;
  }
  return undefined;
}

/**
 * The innermost node at each occurrence of `needle` in the source text of `within` (in text order; an
 * occurrence in a comment or a string gives the node that holds it).
 */
export function nodesAtText(
  sourceCode: Readonly<TSESLint.SourceCode>,
  within: TSESTree.Node,
  needle: string,
): TSESTree.Node[] {
  const text = sourceCode.text;
  const [start, end] = within.range;
  const found: TSESTree.Node[] = [];
  let last: TSESTree.Node | undefined;
  for (let i = text.indexOf(needle, start); i >= 0 && i + needle.length <= end; i = text.indexOf(needle, i + 1))
    found.push((last = nodeAfter(last, within, i)));
  return found;
}

const ID_CHAR = /[\p{ID_Continue}$\u200c\u200d]/u;

/** Whether the character at `i` may continue a name (ASCII by its code, the rest by Unicode's ID_Continue). */
function continuesName(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (Number.isNaN(c)) return false;
  if (c < 128) return nameCharAt(text, i);
  // A surrogate pair: the whole code point.
  const point = text.codePointAt(c >= 0xdc00 && c <= 0xdfff && i > 0 ? i - 1 : i)!;
  return ID_CHAR.test(String.fromCodePoint(point));
}

const cache = new WeakMap<TSESTree.Program, Map<string, NameNode[]>>();

/** The names being collected (`namesRead`): those whose every occurrence in the file an analysis looked at. */
let reading: Set<string> | undefined;

/**
 * Notes that an analysis looked at every occurrence of `name` in the file (`identifiersNamed`, a top-level
 * variable's references): what it found changes only where a unit that spells `name` does (unit-cache.ts
 * keeps an answer while those units stand).
 */
export function noteNameRead(name: string): void {
  reading?.add(name);
}

/** Runs `run`, collecting the names it reads (`noteNameRead`); an outer collection gets them too. */
export function namesRead<T>(run: () => T): [T, Set<string>] {
  const outer = reading;
  const mine = new Set<string>();
  reading = mine;
  try {
    return [run(), mine];
  } finally {
    reading = outer;
    if (outer) for (const name of mine) outer.add(name);
  }
}

/** `name` as a node spells it: `#m` for a private name. */
const spelled = (n: TSESTree.Node): string | undefined =>
  n.type === AST_NODE_TYPES.Identifier
    ? n.name
    : n.type === AST_NODE_TYPES.PrivateIdentifier
      ? `#${n.name}`
      : undefined;

/**
 * Every identifier of the file named `name` (`#m` for a private name), by where it starts, cached per
 * file and name (of a shorthand property `{ p }`, whose key and value are two nodes at one place, the
 * key). A file with a `\u` escape, which may spell a name, is walked.
 */
export function identifiersNamed(sourceCode: Readonly<TSESLint.SourceCode>, name: string): readonly NameNode[] {
  noteNameRead(name);
  const program = sourceCode.ast;
  let byName = cache.get(program);
  if (!byName) cache.set(program, (byName = new Map<string, NameNode[]>()));
  let list = byName.get(name);
  if (list) return list;
  const found: NameNode[] = [];
  const text = sourceCode.text;
  if (text.includes('\\u')) {
    walk(program, (n) => {
      if (spelled(n) === name) found.push(n as NameNode);
    });
    found.sort((a, b) => a.range[0] - b.range[0]);
  } else {
    let last: TSESTree.Node | undefined;
    for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
      if (continuesName(text, i - 1) || continuesName(text, i + name.length)) continue;
      const at = (last = nodeAfter(last, program, i));
      if (at.range[0] === i && spelled(at) === name) found.push(at as NameNode);
    }
  }
  byName.set(name, (list = found));
  return list;
}

/** Nodes in the order a depth-first walk meets them: by start, an enclosing node before what it holds. */
export function inWalkOrder<N extends TSESTree.Node>(nodes: N[]): N[] {
  return nodes.sort((a, b) => a.range[0] - b.range[0] || b.range[1] - a.range[1]);
}
