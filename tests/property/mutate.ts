// Source mutations for the robustness property (never-throws.test.ts): each mutation is plain data
// (a kind and a few numbers that pick targets modulo what the program offers), so fast-check
// generates and shrinks lists of them; `applyMutations` replays them on a seed program, re-parsing
// after every step and dropping a step whose result does not parse.
import tsParser from '@typescript-eslint/parser';
import fc from 'fast-check';

export type MutationKind =
  | 'deleteStatement'
  | 'duplicateStatement'
  | 'swapStatements'
  | 'replaceIdentifier'
  | 'changeOperator'
  | 'insertJump'
  | 'changeBound'
  | 'insertConstruct'
  | 'wrapStatement'
  | 'replaceExpression';

export interface Mutation {
  kind: MutationKind;
  /** Picks the target (statement, identifier, operator, loop…) modulo how many there are. */
  at: number;
  /** Picks the replacement (operator, construct, identifier…) modulo the pool. */
  pick: number;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<MutationKind>(
    'deleteStatement',
    'duplicateStatement',
    'swapStatements',
    'replaceIdentifier',
    'changeOperator',
    'insertJump',
    'changeBound',
    'insertConstruct',
    'wrapStatement',
    'replaceExpression',
  ),
  at: fc.nat(1000),
  pick: fc.nat(1000),
});

interface Node {
  type: string;
  range: [number, number];
  [key: string]: unknown;
}

const isNode = (x: unknown): x is Node =>
  typeof x === 'object' && x !== null && typeof (x as Node).type === 'string' && Array.isArray((x as Node).range);

/** Parses with the typescript-eslint parser (JSX off); undefined when the text does not parse. */
export function parseProgram(text: string): Node | undefined {
  try {
    return tsParser.parseForESLint(text, {
      range: true,
      loc: false,
      sourceType: 'module',
      ecmaVersion: 'latest',
      comment: false,
      tokens: false,
    }).ast as unknown as Node;
  } catch {
    return undefined;
  }
}

interface Facts {
  /** Statement lists: every statement with its siblings. */
  statements: { list: Node[]; index: number }[];
  identifiers: Node[];
  binaries: Node[];
  loops: Node[];
  blocks: Node[];
  expressions: Node[];
}

function collect(ast: Node): Facts {
  const facts: Facts = { statements: [], identifiers: [], binaries: [], loops: [], blocks: [], expressions: [] };
  const walk = (node: Node, parent: Node | undefined): void => {
    if (node.type === 'Identifier' && parent?.type !== 'ImportSpecifier' && parent?.type !== 'ImportNamespaceSpecifier')
      facts.identifiers.push(node);
    if (node.type === 'BinaryExpression' || node.type === 'LogicalExpression' || node.type === 'AssignmentExpression')
      facts.binaries.push(node);
    if (/^For(Of|In)?Statement$|^WhileStatement$|^DoWhileStatement$/.test(node.type)) facts.loops.push(node);
    if (node.type === 'BlockStatement') facts.blocks.push(node);
    if (/Expression$|^Identifier$|^Literal$/.test(node.type) && node.type !== 'ImportExpression')
      facts.expressions.push(node);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'parent' || key === 'range' || key === 'loc') continue;
      if (Array.isArray(value)) {
        const isList =
          (key === 'body' || key === 'consequent') &&
          value.every(isNode) &&
          value.length > 0 &&
          /Statement|Declaration/.test(value[0].type);
        value.forEach((v, index) => {
          if (!isNode(v)) return;
          if (isList && node.type !== 'ClassBody' && node.type !== 'TSInterfaceBody' && node.type !== 'TSModuleBlock')
            facts.statements.push({ list: value, index });
          walk(v, node);
        });
      } else if (isNode(value)) walk(value, node);
    }
  };
  walk(ast, undefined);
  // Leave the imports alone: without the TF.js import the rule does nothing at all.
  facts.statements = facts.statements.filter((s) => s.list[s.index].type !== 'ImportDeclaration');
  return facts;
}

const OPERATORS = [
  '+',
  '-',
  '*',
  '/',
  '%',
  '**',
  '<',
  '<=',
  '>',
  '>=',
  '===',
  '!==',
  '==',
  '!=',
  '&&',
  '||',
  '??',
  '|',
  '&',
  '^',
  '<<',
  '>>',
  '>>>',
  'in',
  'instanceof',
];
const ASSIGN_OPERATORS = ['=', '+=', '-=', '*=', '/=', '%=', '**=', '|=', '&&=', '||=', '??=', '<<='];
const JUMPS = [
  'break;',
  'continue;',
  'return;',
  'return out;',
  'throw new Error("stop");',
  'return tf.scalar(0);',
  'i++;',
  'i = n;',
  's = 0;',
  'out[0] = 1;',
];
const BOUNDS = [
  'n - 1',
  'n + 1',
  '2',
  '0',
  '-1',
  'x.shape[1]',
  'd.length',
  'Infinity',
  'undefined',
  'i',
  'n * m',
  'rows.length',
  'k',
];
const EXPRESSIONS = [
  'undefined',
  'null',
  'NaN',
  '0',
  '-1',
  '1e308',
  '"s"',
  'd[i]',
  'd[i * m + j]',
  'rows[i][j]',
  'buf.get(i, j)',
  'x.dataSync()',
  'x.arraySync()',
  'tf.scalar(1)',
  '[]',
  '({})',
  '(() => 1)',
  'i++',
  '(i, j)',
  'x?.shape?.[0]',
  'Math.max(...[1, 2])',
  'Math.round(s)',
  's | 0',
  'typeof x',
  'void 0',
  '`t${i}`',
  'new Float32Array(n)',
  'tf.buffer([n])',
  'out',
  'this',
  'Symbol.iterator',
  'i in out',
  'i as number',
  'x!',
];
const NAMES = [
  'i',
  'j',
  'n',
  'm',
  's',
  'd',
  'x',
  'w',
  'out',
  'buf',
  'rows',
  'row',
  'tf',
  'Math',
  'undefined',
  'NaN',
  'Infinity',
  'arguments',
  'k',
  'v',
];

/** Constructs that parse as statements in a module, some only in TS or only in an async function. */
const CONSTRUCTS = [
  'outer: for (let q = 0; q < 2; q++) { for (let r = 0; r < 2; r++) { if (r) continue outer; else break outer; } }',
  'for (;;) { break; }',
  'for await (const z of []) { void z; }',
  'const { a: aa, ...restObj } = { a: 1, b: 2 };',
  'const [p0, , ...pRest] = [1, 2, 3];',
  'class K { get v() { return 1; } static s = 2; #p = 3; m() { for (let i = 0; i < 3; i++) { this.#p += i; } return this.#p; } static { let t = 0; t++; } }',
  'function* gen() { yield* [1, 2]; for (const q of [1]) yield q; }',
  '(0, console.log)(1);',
  'x?.shape?.[0];',
  'Math.max(...[1, 2]);',
  'const o = { get g() { return 1; }, set g(v) {}, ["k" + 1]: 2, ...{ z: 1 } };',
  'switch (n) { case 1: break; case 2: { let t = 1; t++; } default: }',
  'do { n; } while (false);',
  'try { x.dataSync(); } catch { } finally { }',
  'const af = async () => { for await (const v of [Promise.resolve(1)]) void v; };',
  'let u: any; u ??= 1; u ||= 2; u &&= 3;',
  'void 0; typeof x; delete ({} as any).a;',
  'label2: { break label2; }',
  'if (x) ; else ;',
  'for (const key in {}) { key; }',
  'for (var vv = 0, ww = 1; vv < 2; vv++, ww--) { }',
  'for (let i = 0, j = 0; i < n; i++, j++) { s += d[i]; }',
  'for (let i = n; i > 0; i--) { out[i] = d[i]; }',
  'for (const [a0, b0] of [[1, 2]]) { a0 + b0; }',
  'for (const { length } of ["ab"]) { length; }',
  'while (false) { }',
  'const arr = Array.from({ length: 3 }, (_, q) => q);',
  'enum E { A, B = 2 }',
  'declare const dd: number;',
  'type T = number[];',
  'namespace NS { export const q = 1; }',
  'abstract class A { abstract f(): void; }',
  'const g = function () { return this; };',
  'for (let i = 0; i < d.length; i++) d[i] = 0;',
  'for (let i = 0; i < n; i++) { const t = tf.scalar(d[i]); t.dispose(); }',
  'for (const row of x.arraySync()) { row; }',
  'for (let i = 0; i < n; i++) { for (let i = 0; i < m; i++) { s += d[i]; } }',
  'let s2 = 0; for (let i = 0; i < n; i++) { s2 += d[i] ** 2 % 3; }',
  'const f2 = (q = d[0]) => q;',
  'import.meta;',
  'new.target;',
  'const tpl = tf`x`;',
  'using res = null as any;',
  'export default 1;',
  'export { };',
  'debugger;',
];

const WRAPPERS: ((s: string) => string)[] = [
  (s) => `for (let z = 0; z < 2; z++) { ${s} }`,
  (s) => `(() => { ${s} })();`,
  (s) => `if (n > 0) { ${s} } else { ${s} }`,
  (s) => `{ ${s} }`,
  (s) => `tf.tidy(() => { ${s} });`,
  (s) => `try { ${s} } finally { }`,
  (s) => `async function inner() { ${s} }`,
  (s) => `class W { method() { ${s} } }`,
  (s) => `lbl: ${s}`,
];

const replace = (text: string, [s, e]: [number, number], by: string) => text.slice(0, s) + by + text.slice(e);

function pick<T>(xs: readonly T[], k: number): T | undefined {
  return xs.length === 0 ? undefined : xs[k % xs.length];
}

/** One mutation on `text`; undefined when it has no target in this program. */
export function mutateOnce(text: string, ast: Node, m: Mutation): string | undefined {
  const f = collect(ast);
  const stmt = pick(f.statements, m.at);
  switch (m.kind) {
    case 'deleteStatement':
      return stmt && replace(text, stmt.list[stmt.index].range, '');
    case 'duplicateStatement': {
      if (!stmt) return undefined;
      const node = stmt.list[stmt.index];
      const src = text.slice(...node.range);
      return replace(text, [node.range[1], node.range[1]], `\n${src}`);
    }
    case 'swapStatements': {
      if (!stmt || stmt.list.length < 2) return undefined;
      const a = stmt.list[stmt.index];
      const b = stmt.list[(stmt.index + 1 + (m.pick % (stmt.list.length - 1))) % stmt.list.length];
      const [first, second] = a.range[0] < b.range[0] ? [a, b] : [b, a];
      const t1 = text.slice(...first.range);
      const t2 = text.slice(...second.range);
      return (
        text.slice(0, first.range[0]) +
        t2 +
        text.slice(first.range[1], second.range[0]) +
        t1 +
        text.slice(second.range[1])
      );
    }
    case 'replaceIdentifier': {
      const id = pick(f.identifiers, m.at);
      if (!id) return undefined;
      const pool = [...new Set([...f.identifiers.map((n) => String(n.name)), ...NAMES])];
      return replace(text, id.range, pick(pool, m.pick)!);
    }
    case 'changeOperator': {
      const b = pick(f.binaries, m.at);
      if (!b) return undefined;
      const left = b.left as Node;
      const right = b.right as Node;
      const ops = b.type === 'AssignmentExpression' ? ASSIGN_OPERATORS : OPERATORS;
      return replace(text, [left.range[1], right.range[0]], ` ${pick(ops, m.pick)} `);
    }
    case 'insertJump': {
      const block = pick(f.blocks, m.at);
      if (!block) return undefined;
      const jump = pick(JUMPS, m.pick)!;
      // at the start or the end of the block
      const at = m.pick % 2 === 0 ? block.range[0] + 1 : block.range[1] - 1;
      return replace(text, [at, at], ` ${jump} `);
    }
    case 'changeBound': {
      const loop = pick(
        f.loops.filter((l) => l.type === 'ForStatement'),
        m.at,
      );
      if (!loop) return undefined;
      const test = loop.test as Node | null;
      const init = loop.init as Node | null;
      const update = loop.update as Node | null;
      switch (m.pick % 4) {
        case 0:
          return test?.type === 'BinaryExpression'
            ? replace(text, (test.right as Node).range, pick(BOUNDS, m.pick >> 2)!)
            : undefined;
        case 1:
          return test?.type === 'BinaryExpression'
            ? replace(
                text,
                [(test.left as Node).range[1], (test.right as Node).range[0]],
                pick([' <= ', ' > ', ' !== ', ' >= '], m.pick >> 2)!,
              )
            : undefined;
        case 2:
          return update
            ? replace(
                text,
                update.range,
                pick(['i--', 'i += 2', 'j++', 'i++, j++', 'i = i + 1', '++i', ''], m.pick >> 2)!,
              )
            : undefined;
        default:
          return init
            ? replace(
                text,
                init.range,
                pick(
                  ['let i = 1', 'let i = -1', 'let i = n', 'i = 0', 'var i = 0', 'let i = 0, j = 0', ''],
                  m.pick >> 2,
                )!,
              )
            : undefined;
      }
    }
    case 'insertConstruct': {
      const construct = pick(CONSTRUCTS, m.pick)!;
      if (!stmt) return undefined;
      const at = stmt.list[stmt.index].range[0];
      return replace(text, [at, at], `${construct}\n`);
    }
    case 'wrapStatement': {
      if (!stmt) return undefined;
      const node = stmt.list[stmt.index];
      return replace(text, node.range, pick(WRAPPERS, m.pick)!(text.slice(...node.range)));
    }
    case 'replaceExpression': {
      const e = pick(f.expressions, m.at);
      if (!e) return undefined;
      const fromFile = f.expressions.map((x) => text.slice(...x.range)).filter((s) => s.length < 60);
      const pool = m.pick % 2 === 0 ? EXPRESSIONS : fromFile;
      const by = pick(pool, m.pick >> 1) ?? 'undefined';
      return replace(text, e.range, /^[\w$.[\]()]+$/.test(by) ? by : `(${by})`);
    }
  }
}

/**
 * Applies the mutations in turn; a step whose result does not parse (typescript-eslint), or that
 * `accept` refuses (e.g. espree for .js), is skipped.
 */
export function applyMutations(
  seed: string,
  mutations: readonly Mutation[],
  accept: (text: string) => boolean = () => true,
): { text: string; applied: Mutation[] } {
  let text = seed;
  let ast = parseProgram(text);
  const applied: Mutation[] = [];
  if (!ast) return { text, applied };
  for (const m of mutations) {
    const next = mutateOnce(text, ast, m);
    if (next === undefined || next === text) continue;
    const nextAst = parseProgram(next);
    if (!nextAst || !accept(next)) continue;
    text = next;
    ast = nextAst;
    applied.push(m);
  }
  return { text, applied };
}
