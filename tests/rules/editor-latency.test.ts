// The editor-path shortcuts (issue 13, item 5) keep every verdict: a read-back's loop is looked for
// before its receiver's kind (which may ask the type checker), a leak's caller tidy only once there is
// a finding (untyped) or first (typed), a method's receiver kind only for `toTensor`, and `walk`
// visits the same nodes as before (depth first), and a method's calls are found without walking the file. Each case runs untyped and typed, with a
// neighbour that must stay silent.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { describe, expect, it, vi } from 'vitest';
import plugin from '../../src/index.js';
import fs from 'node:fs';
import { PER_ELEMENT_METHODS, walk } from '../../src/analysis/loop-context.js';
import { loopTracker } from '../../src/analysis/loop-spans.js';
import { isLoop, isMethodCall, isNode } from '../../src/ast/predicates.js';
import { callsOf } from '../../src/analysis/module-functions.js';
import { identifiersNamed } from '../../src/ast/names.js';
import { TensorValues } from '../../src/analysis/tensor-values.js';
import { TensorLeaks } from '../../src/analysis/tensor-leak.js';
import { TensorFacts } from '../../src/analysis/tensors.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
// The typed runs lint each case as the fixture project's file.ts, as the typed rule suites do.
const file = path.join(fixtures, 'file.ts');

function findings(code: string, typed: boolean, settings: Record<string, unknown> = {}): string[] {
  const linter = new Linter({ cwd: fixtures });
  const parserOptions = typed ? { projectService: true, tsconfigRootDir: fixtures } : {};
  const messages = linter.verify(
    code,
    [
      { files: ['**/*.ts'], languageOptions: { parser: tsParser, parserOptions }, settings },
      plugin.configs.all as Linter.Config,
    ],
    file,
  );
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(fatal.message);
  return messages.map((m) => `${m.ruleId}:${m.messageId}@${m.line}`);
}

describe.each([false, true])('typed: %s', (typed) => {
  it('a read-back only inside a helper, called in a loop, is still found; the helper alone is not', () => {
    const helper = `import * as tf from '@tensorflow/tfjs';
function first(t: tf.Tensor): number {
  return t.dataSync()[0];
}
`;
    expect(
      findings(
        `${helper}export function all(ts: tf.Tensor[]): number[] {\n  const out: number[] = [];\n  for (const t of ts) out.push(first(t));\n  return out;\n}\n`,
        typed,
      ),
    ).toEqual(['vectorize/no-readback-in-loop:readInCall@7']);
    expect(findings(`${helper}export function one(t: tf.Tensor): number {\n  return first(t);\n}\n`, typed)).toEqual(
      [],
    );
  });

  it('of two read-backs, the one in a loop is found and the one before it is not', () => {
    const code = `import * as tf from '@tensorflow/tfjs';
export async function f(x: tf.Tensor, ys: tf.Tensor[]): Promise<number> {
  const d = await x.data();
  let s = d[0];
  for (const y of ys) s += (await y.data())[0];
  return s;
}
`;
    expect(findings(code, typed)).toEqual(['vectorize/no-readback-in-loop:readInLoop@5']);
  });

  it("a buffer's toTensor() in a loop leaks; a plain object's toTensor() does not", () => {
    const code = (make: string) => `import * as tf from '@tensorflow/tfjs';
export function f(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = ${make};
    const t = b.toTensor();
    out.push(t.shape[0]);
  }
  return out;
}
`;
    expect(findings(code('tf.buffer([2])'), typed)).toEqual(['vectorize/no-tensor-leak-in-loop:leak@6']);
    expect(findings(code('{ toTensor: () => ({ shape: [2] }) }'), typed)).toEqual([]);
  });

  it("a private method's leak is left alone when every caller runs it in tf.tidy, and found otherwise", () => {
    const code = (call: string) => `import * as tf from '@tensorflow/tfjs';
export class Scorer {
  private sum(xs: tf.Tensor[]): tf.Tensor {
    let acc = tf.scalar(0);
    for (const x of xs) tf.add(x, 1);
    return acc;
  }
  score(xs: tf.Tensor[]): tf.Tensor {
    return ${call};
  }
}
`;
    expect(findings(code('tf.tidy(() => this.sum(xs))'), typed)).toEqual([]);
    expect(findings(code('this.sum(xs)'), typed)).toEqual(['vectorize/no-tensor-leak-in-loop:leak@5']);
  });

  it("a call on a module namespace is not a tensor's, and the type checker is not asked about it", () => {
    const code = (call: string) => `import * as tf from '@tensorflow/tfjs';
import * as logging from './logging';
export function f(ts: tf.Tensor[]): number {
  let n = 0;
  for (const t of ts) {
    ${call};
    n += t.size;
  }
  return n;
}
`;
    const asked = vi.spyOn(TensorValues.prototype as unknown as { checkerKind: () => unknown }, 'checkerKind');
    try {
      expect(findings(code("logging.log('step', n)"), typed)).toEqual([]);
      expect(asked).not.toHaveBeenCalled();
      // A tensor's own `log` in the same place leaks.
      expect(findings(code('t.log()'), typed)).toEqual(['vectorize/no-tensor-leak-in-loop:leak@6']);
    } finally {
      asked.mockRestore();
    }
  });

  it("a leak's caller tidy is asked only for a value that may leak, and before the type checker", () => {
    const code = (body: string, call: string) => `import * as tf from '@tensorflow/tfjs';
declare function opaque(x: tf.Tensor): tf.Tensor;
class Scorer {
  private step(xs: tf.Tensor[], out: tf.Tensor[]): void {
    for (const x of xs) {
      ${body};
    }
  }
  run(xs: tf.Tensor[], out: tf.Tensor[]): void {
    ${call};
  }
}
export const scorer = new Scorer();
`;
    const tidyAsked = vi.spyOn(TensorLeaks.prototype as unknown as { callerTidyOf: () => boolean }, 'callerTidyOf');
    const checkerAsked = vi.spyOn(TensorValues.prototype as unknown as { checkerKind: () => unknown }, 'checkerKind');
    try {
      // Kept: nothing leaks, and no caller is looked at.
      expect(findings(code('const y = x.square(); out[0] = y', 'this.step(xs, out)'), typed)).toEqual([]);
      expect(tidyAsked).not.toHaveBeenCalled();
      // Dropped, in a method every caller runs in tf.tidy: no leak, and the checker is never asked.
      // (Untyped, what `opaque` returns is unknown: no leak is claimed, and no caller looked at.)
      checkerAsked.mockClear();
      expect(findings(code('opaque(x).square()', 'tf.tidy(() => this.step(xs, out))'), typed)).toEqual([]);
      expect(tidyAsked.mock.calls.length > 0).toBe(typed);
      // (checkerKind also runs untyped, where it has no checker to ask.)
      if (typed) expect(checkerAsked).not.toHaveBeenCalled();
      // The same call outside tf.tidy leaks (typed: the checker says `opaque` returns a tensor).
      expect(findings(code('opaque(x).square()', 'this.step(xs, out)'), typed)).toEqual(
        typed ? ['vectorize/no-tensor-leak-in-loop:leak@6'] : [],
      );
    } finally {
      tidyAsked.mockRestore();
      checkerAsked.mockRestore();
    }
  });

  it("a tensor method's result, of a parameter typed as a tensor, is a tensor without asking the type checker", () => {
    // The checker's first question about TF.js's types costs a typed re-lint of a large module
    // milliseconds (magenta-js core/data.ts: 7.7 -> 1.9 ms of the rules' own time).
    const code = (param: string) => `import * as tf from '@tensorflow/tfjs';
interface Grid { argMax(axis: number): { data(): Promise<number[]> } }
export async function f(oh: ${param}): Promise<number[]> {
  const t = oh.argMax(1);
  const labels = await t.data();
  const out: number[] = [];
  for (let s = 0; s < labels.length; s++) out.push(labels[s] * 2);
  return out;
}
`;
    const asked = vi.spyOn(
      TensorFacts.prototype as unknown as { checkerSaysTensor: (n: TSESTree.Node) => unknown },
      'checkerSaysTensor',
    );
    try {
      expect(findings(code('tf.Tensor2D'), typed)).toEqual(['vectorize/no-element-loop:vectorizableAssuming@7']);
      expect(asked).not.toHaveBeenCalled();
      // A look-alike whose `argMax` gives no tensor: nothing to vectorize.
      expect(findings(code('Grid'), typed)).toEqual([]);
    } finally {
      asked.mockRestore();
    }
  });

  it("a helper imported from the project's own module that declares a tensor result is a tensor without asking the type checker", () => {
    // tfjs-models speech-commands/src/dataset.ts: the checker's question about `normalize(output)` cost a
    // typed re-lint 10-18 ms.
    const code = (helper: string) => `import * as tf from '@tensorflow/tfjs';
import { normalize, scaled } from './modules/core/norm';
export function f(xs: tf.Tensor[], flag: boolean): number[] {
  const out: number[] = [];
  for (const x of xs) {
    const y = tf.tidy(() => {
      const o = tf.relu(x);
      return flag ? ${helper} : o;
    });
    out.push(y.dataSync()[0]);
    y.dispose();
  }
  return out;
}
`;
    const asked = vi.spyOn(
      TensorValues.prototype as unknown as { checkerKind: (n: TSESTree.Node) => unknown },
      'checkerKind',
    );
    const askedAbout = () =>
      asked.mock.calls.filter(
        ([n]) => n.type === AST_NODE_TYPES.CallExpression && n.callee.type === AST_NODE_TYPES.Identifier,
      );
    try {
      expect(findings(code('normalize(o)'), typed)).toEqual(['vectorize/no-readback-in-loop:readInLoop@10']);
      // (checkerKind also runs untyped, where it has no checker to ask.)
      if (typed) expect(askedAbout()).toEqual([]);
      // Without a declared return type the checker is asked, and says the same.
      asked.mockClear();
      expect(findings(code('scaled(o, 2)'), typed)).toEqual(['vectorize/no-readback-in-loop:readInLoop@10']);
      if (typed) expect(askedAbout().length).toBeGreaterThan(0);
    } finally {
      asked.mockRestore();
    }
  });

  it('a file that reaches TF.js through settings.vectorize.tfjsModules is analysed like one that imports it', () => {
    const code = `import * as tf from './tfjs';
export function f(ts: tf.Tensor[]): number[] {
  const out: number[] = [];
  for (const t of ts) out.push(t.dataSync()[0]);
  return out;
}
`;
    expect(findings(code, typed, { vectorize: { tfjsModules: ['./tfjs'] } })).toEqual([
      'vectorize/no-readback-in-loop:readInLoop@4',
    ]);
    expect(findings(code, typed)).toEqual([]);
  });
});

/** walk as it was first written (Object.keys, an array per node): the nodes to visit. */
function referenceWalk(
  root: TSESTree.Node,
  visit: (n: TSESTree.Node) => void,
  skip?: (n: TSESTree.Node) => boolean,
  parents?: Map<TSESTree.Node, TSESTree.Node>,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n !== root && skip?.(n)) continue;
    visit(n);
    const children: TSESTree.Node[] = [];
    for (const key of Object.keys(n)) {
      if (key === 'parent' || key === 'tokens' || key === 'comments') continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) children.push(c);
      } else if (isNode(v)) children.push(v);
    }
    for (const c of children) parents?.set(c, n);
    for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
  }
}

describe('walk', () => {
  it('visits the nodes of the reference walk, each before what it holds, with and without a skip', () => {
    const { ast } = tsParser.parseForESLint(
      `import * as tf from '@tensorflow/tfjs';
export default class A<T extends tf.Tensor> {
  @dec() private x?: T = undefined;
  f(a = tf.scalar(1), ...rest: number[]): void {
    for (let i = 0, n = rest.length; i < n; i++) label: for (const k in this) if (k) continue label;
    const g = async function* () { yield* [await a.data()]; };
    const { p = 1, ...q } = { p: a?.shape[0] ?? 2 };
    switch (p) { case 1: break; default: throw new Error(\`\${q}\`); }
  }
}
`,
      { range: true, loc: true, tokens: true, comment: true },
    );
    const skip = (n: TSESTree.Node) => n.type === 'FunctionExpression' || n.type === 'ForInStatement';
    for (const s of [undefined, skip]) {
      const expected: TSESTree.Node[] = [];
      const seen: TSESTree.Node[] = [];
      referenceWalk(ast, (n) => expected.push(n), s);
      walk(ast, (n) => seen.push(n), s);
      expect(new Set(seen)).toEqual(new Set(expected));
      expect(seen.length).toBe(expected.length);
      // Depth first: each node visited after the node that holds it.
      const parents = new Map<TSESTree.Node, TSESTree.Node>();
      referenceWalk(ast, () => {}, s, parents);
      const at = new Map(seen.map((n, k) => [n, k]));
      const visited = [...parents].filter(([child]) => at.has(child));
      expect(visited.length).toBe(seen.length - 1);
      expect(visited.every(([child, parent]) => at.get(parent)! < at.get(child)!)).toBe(true);
    }
  });
});

/** The calls callsOf finds of each method of the code (by its text; `undefined` when callers may exist elsewhere). */
function methodCalls(code: string): Record<string, string[] | undefined> {
  const out: Record<string, string[] | undefined> = {};
  const rule: TSESLint.RuleModule<string> = {
    meta: { type: 'problem', messages: {}, schema: [] },
    defaultOptions: [],
    create: (context) => ({
      'MethodDefinition > FunctionExpression'(fn: TSESTree.FunctionExpression) {
        const key = context.sourceCode.getText((fn.parent as TSESTree.MethodDefinition).key);
        out[key] = callsOf(context.sourceCode, fn)?.map((c) => context.sourceCode.getText(c));
      },
    }),
  };
  const plugins = { t: { rules: { calls: rule } } } as unknown as Linter.Config['plugins'];
  new Linter().verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins, rules: { 't/calls': 'error' } }],
    'file.ts',
  );
  return out;
}

/** Runs `f` on the SourceCode ESLint makes of `code` (parsed by typescript-eslint). */
function withSourceCode(code: string, f: (sourceCode: Readonly<TSESLint.SourceCode>) => void): void {
  const rule: TSESLint.RuleModule<string> = {
    meta: { type: 'problem', messages: {}, schema: [] },
    defaultOptions: [],
    create: (context) => ({ Program: () => f(context.sourceCode) }),
  };
  const plugins = { t: { rules: { run: rule } } } as unknown as Linter.Config['plugins'];
  const messages = new Linter().verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser: tsParser }, plugins, rules: { 't/run': 'error' } }],
    'file.ts',
  );
  if (messages.length > 0) throw new Error(messages[0].message);
}

describe('identifiersNamed', () => {
  it('finds from the text the identifiers a walk finds, through holes, lists, templates and class bodies', () => {
    const code = `const [, a, , b] = [, 1, , 2];
class K { a = 1; b() { return this.a; } #a = 2; get c() { return \`\${this.#a}a\${a}\`; } }
function f(a: number, { a: b2 = a }: { a: number }): number { return a + b2; } // a
f(a, { a: b });
label: for (const a of [a, b]) if (a) break label;
const s = 'a';
const aé = 1, éa = 2, a𝑥 = 3, 𝑥a = 4, $a = 5, a$ = 6, _a = 7, a_ = 8, a0 = 9, aa = 10;
`;
    // The last line's names hold \`a\` beside letters that are not ASCII (𝑥 is two UTF-16 units), \`$\`, \`_\`, digits.
    const names = ['a', 'b', '#a', 'f', 'label', 'K', 'aé', '𝑥a'];
    const found = (text: string) => {
      const out: Record<string, string[]> = {};
      withSourceCode(text, (sc) => {
        for (const name of names)
          out[name] = identifiersNamed(sc, name).map((n) => `${n.type}@${n.range[0]}:${n.parent?.type}`);
      });
      return out;
    };
    // A \\u escape at the end makes it walk the tree (same offsets before the escape).
    const walked = found(`${code}const u = '\\u0041';\n`);
    const searched = found(code);
    expect(searched).toEqual(walked);
    expect(searched.a.length).toBe(14);
    expect(searched['#a'].length).toBe(2);
    expect([searched['aé'].length, searched['𝑥a'].length]).toEqual([1, 1]);
  });
});

describe('callsOf', () => {
  it("finds every call of a private method however its name is spelled around it, in a walk's order", () => {
    const code = `class A {
  private m(x: number): A { return this; }
  private mm(): void {}
  #n(): void {}
  run(): void {
    // m(0) in a comment, 'm' in a string, mm and am are other names
    const am = 'm';
    this.mm();
    this.m(1).m(2);
    this?.m(3);
    this.#n();
  }
}
`;
    const calls = methodCalls(code);
    expect(calls.m).toEqual(['this.m(1).m(2)', 'this.m(1)', 'this?.m(3)']);
    expect(calls.mm).toEqual(['this.mm()']);
    expect(calls['#n']).toEqual(['this.#n()']);
    // Taken as a value: callers may exist elsewhere.
    expect(methodCalls(code.replace('this.mm();', 'const f = this.mm;')).mm).toBeUndefined();
    // A \\u escape may spell a name: the file is walked, with the same answer.
    const escaped = methodCalls(code.replace("const am = 'm';", "const am = '\\u006d';"));
    expect(escaped.m).toEqual(calls.m);
    expect(methodCalls(code.replace('this?.m(3);', 'this.\\u006d(3);')).m).toEqual([
      'this.m(1).m(2)',
      'this.m(1)',
      'this.\\u006d(3)',
    ]);
  });
});

describe('differentiated functions, found from the text of their APIs', () => {
  const loop = `const d = w.dataSync();
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i];`;
  const id = (code: string) => findings(code, false).filter((f) => f.startsWith('vectorize/no-element-loop'));

  it('through a gradient op imported under another name, and not through another op so imported', () => {
    const code = (op: string) => `import { ${op} as g, scalar, type Tensor1D } from '@tensorflow/tfjs';
export const f = g((w: Tensor1D) => {
  ${loop}
  return scalar(s);
});
`;
    expect(id(code('grad'))).toEqual(['vectorize/no-element-loop:vectorizableInGradient@5']);
    expect(id(code('tidy'))).toEqual(['vectorize/no-element-loop:vectorizable@5']);
  });

  it("through an optimizer's minimize, a custom layer's call, and a helper either calls", () => {
    const code = `import * as tf from '@tensorflow/tfjs';
function helper(w: tf.Tensor1D): tf.Scalar {
  ${loop}
  return tf.scalar(s);
}
export class Scale extends tf.layers.Layer {
  call(w: tf.Tensor1D): tf.Tensor {
    ${loop}
    return tf.mul(w, s);
  }
}
export function step(w: tf.Variable, opt: tf.Optimizer): void {
  opt.minimize(() => helper(w as tf.Tensor1D));
}
`;
    expect(id(code)).toEqual([
      'vectorize/no-element-loop:vectorizableInGradient@5',
      'vectorize/no-element-loop:vectorizableInGradient@12',
    ]);
    expect(id(code.replace('opt.minimize(', 'opt.toString(').replace('extends tf.layers.Layer ', ''))).toEqual([
      'vectorize/no-element-loop:vectorizable@5',
      'vectorize/no-element-loop:vectorizableAssuming@12',
    ]);
  });
});

describe('loopTracker', () => {
  /** Per call, in traversal order: [the tracker's answer, whether a loop statement or per-element call holds it]. */
  function answers(code: string, filename = 'file.ts'): [boolean, boolean][] {
    const out: [boolean, boolean][] = [];
    const rule: TSESLint.RuleModule<string> = {
      meta: { type: 'problem', messages: {}, schema: [] },
      defaultOptions: [],
      create: () => {
        const loops = loopTracker();
        return {
          ...loops.listeners,
          CallExpression: (call) => {
            let held = false;
            for (let p: TSESTree.Node | undefined = call; p; p = p.parent)
              if (isLoop(p) || isMethodCall(p, PER_ELEMENT_METHODS)) held = true;
            out.push([loops.mayRunInLoop(call), held]);
          },
        };
      },
    };
    const plugins = { t: { rules: { run: rule } } } as unknown as Linter.Config['plugins'];
    const messages = new Linter().verify(
      code,
      [{ files: ['**/*.ts', '**/*.js'], languageOptions: { parser: tsParser }, plugins, rules: { 't/run': 'error' } }],
      filename,
    );
    const fatal = messages.find((m) => m.fatal);
    if (fatal) throw new Error(fatal.message);
    return out;
  }

  it('says a call may run in a loop exactly when a loop statement or per-element call holds it', () => {
    const code = `f(); for (let i = 0; i < n; i++) g(i); h();
while (a()) { b(); } do { c(); } while (d()); e();
rows.forEach((r) => { r.x(); for (const v of r) k(v); }).after(); m(\`\${xs.map((x) => y(x))} \${z()}\`);
label: for (const k in o) { if (p(k)) break label; } q(); rows?.map(fn)(); s(class { @dec(t()) m() { u(); } });
`;
    const got = answers(code);
    expect(got.length).toBe(24);
    expect(got.map(([a]) => a)).toEqual(got.map(([, b]) => b));
    expect(got.filter(([a]) => a).length).toBe(12);
  });

  it('agrees with the ancestors on every call of the fixtures', () => {
    const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures');
    const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ts|js)$/.test(f));
    expect(files.length).toBeGreaterThan(100);
    let calls = 0;
    let inLoops = 0;
    for (const f of files) {
      const got = answers(fs.readFileSync(path.join(root, f), 'utf8'), path.basename(f));
      for (const [a, b] of got) expect([f, a]).toEqual([f, b]);
      calls += got.length;
      inLoops += got.filter(([, b]) => b).length;
    }
    // Both answers occur many times.
    expect(Math.min(inLoops, calls - inLoops)).toBeGreaterThan(200);
  });
});
