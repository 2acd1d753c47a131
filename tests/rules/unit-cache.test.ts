// Findings kept across re-lints (src/unit-cache.ts, issue 13's editor latency): a re-lint after an edit
// reuses the findings of the statement groups the edit did not reach, and must give exactly what a lint
// without the cache gives — message, location, fix and suggestions. Each case edits one statement that
// another statement's finding depends on (a caller, a `tf.grad`, a fresh name, a type, a line number,
// another module) and checks both the change and the equality; a property test does random edits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/utils';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { cachedByStatement, inGroupOf, unitCacheStats } from '../../src/unit-cache.js';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const linter = new Linter({ configType: 'flat', cwd: repo });
const config: Linter.Config[] = [
  { files: ['**/*.ts', '**/*.js'], languageOptions: { parser: tsParser } },
  plugin.configs.all as Linter.Config,
];

interface Shown {
  fix?: unknown;
  suggestions?: unknown[];
}
const parsed = (m: string): Shown => JSON.parse(m) as Shown;

/** Every message as an editor gets it: rule, place, text, fix and suggestions. */
function show(messages: Linter.LintMessage[]): string[] {
  return messages.map((m) =>
    JSON.stringify({
      rule: m.ruleId,
      at: [m.line, m.column, m.endLine, m.endColumn],
      message: m.message,
      fix: m.fix,
      suggestions: m.suggestions?.map((s) => ({ desc: s.desc, fix: s.fix })),
    }),
  );
}

function lint(code: string, filename: string, cached: boolean): string[] {
  const saved = process.env.VECTORIZE_CACHE;
  process.env.VECTORIZE_CACHE = cached ? '1' : '0';
  try {
    const messages = linter.verify(code, config, { filename });
    const fatal = messages.find((m) => m.fatal);
    if (fatal) throw new Error(`${filename}: ${fatal.message}`);
    return show(messages);
  } finally {
    if (saved === undefined) delete process.env.VECTORIZE_CACHE;
    else process.env.VECTORIZE_CACHE = saved;
  }
}

let counter = 0;
/**
 * Lints `before` (filling the cache), then `after` with the cache and without it: the two must agree.
 * Returns the messages of `after` and how many groups the cached re-lint reused.
 */
function relint(before: string, after: string): { messages: string[]; hits: number; misses: number } {
  const filename = path.join(repo, `cache-case-${counter++}.ts`);
  lint(before, filename, true);
  const { hits, misses } = unitCacheStats;
  const warm = lint(after, filename, true);
  const reused = { hits: unitCacheStats.hits - hits, misses: unitCacheStats.misses - misses };
  const cold = lint(after, filename, false);
  expect(warm).toEqual(cold);
  return { messages: cold, ...reused };
}

const HEAD = `import * as tf from '@tensorflow/tfjs';\n`;
const DOUBLE = `
export function double(x: tf.Tensor1D): Float32Array {
  const d = tf.abs(x).dataSync();
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    out[i] = d[i] * 2;
  }
  return out;
}
`;
const HELPER = `
function helper(d: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = d[i] + 1;
  }
  return out;
}
`;
const RUN = `
export function run(t: tf.Tensor1D): Float32Array {
  return helper(t.dataSync(), t.size);
}
`;
const LOSS = `
export function loss(x: tf.Tensor1D): tf.Scalar {
  const d = x.dataSync();
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * d[i];
  return tf.scalar(s);
}
`;

describe('findings kept across re-lints', () => {
  afterEach(() => {
    delete process.env.VECTORIZE_CACHE;
  });

  it('reuses the groups an edit did not reach, with their fixes moved to where they now stand', () => {
    const before = HEAD + DOUBLE + HELPER + RUN + LOSS;
    // A comment on the blank line after the import moves every statement's offsets, not its lines.
    const after = HEAD + `// version 2` + DOUBLE + HELPER + RUN + LOSS;
    const { messages, hits, misses } = relint(before, after);
    expect(messages.filter((m) => parsed(m).fix)).toHaveLength(2);
    // Every group the rules looked at (double, helper, run, loss) was reused, none analysed again.
    expect(hits).toBeGreaterThanOrEqual(4);
    expect(misses).toBe(0);
    // A new statement above moves their lines too: reused, but for the helper, whose message shows the
    // line of its caller (one rule reports there), and the new statement itself (each of the four rules
    // looks at every statement of the file).
    const moved = relint(before, HEAD + `export const VERSION = '1';\n` + DOUBLE + HELPER + RUN + LOSS);
    expect(moved.hits).toBeGreaterThanOrEqual(3);
    expect(moved.misses).toBe(1 + 4);
  });

  it('an edit undone gets back the findings kept before it, for a few re-lints', () => {
    const filename = path.join(repo, `cache-case-${counter++}.ts`);
    const original = HEAD + DOUBLE + HELPER + RUN + LOSS;
    // (On one line: a message that shows a line number is kept for the lines it was found at.)
    const edited = (n: number) =>
      HEAD + DOUBLE.replace('const out =', `const out /* typing ${n} */ =`) + HELPER + RUN + LOSS;
    lint(original, filename, true);
    lint(edited(0), filename, true);
    let { hits, misses } = unitCacheStats;
    // The edit undone: every group is replayed, `double`'s from the lint before the edit.
    const undone = lint(original, filename, true);
    expect(unitCacheStats.misses - misses).toBe(0);
    expect(unitCacheStats.hits - hits).toBeGreaterThanOrEqual(4);
    expect(undone).toEqual(lint(original, filename, false));
    // Edited away for longer than findings are kept (8 re-lints): `double` is analysed again.
    for (let n = 1; n <= 9; n++) lint(edited(n), filename, true);
    ({ hits, misses } = unitCacheStats);
    expect(lint(original, filename, true)).toEqual(lint(original, filename, false));
    expect(unitCacheStats.misses - misses).toBeGreaterThan(0);
    expect(unitCacheStats.hits - hits).toBeGreaterThanOrEqual(3);
  });

  it("a caller's edit reaches the helper whose data it passes", () => {
    const before = HEAD + HELPER + RUN;
    const after = HEAD + HELPER + RUN.replace('helper(t.dataSync(), t.size)', 'helper(new Float32Array(4), 4)');
    const a = lint(before, path.join(repo, 'cache-probe-a.ts'), false);
    expect(a.some((m) => m.includes('a caller passes in'))).toBe(true);
    const { messages } = relint(before, after);
    expect(messages.some((m) => m.includes('a caller passes in'))).toBe(false);
  });

  it('a `tf.grad` added elsewhere turns the autofix into a suggestion', () => {
    const before = HEAD + LOSS;
    const after = HEAD + LOSS + `\nexport const dLoss = tf.grad(loss);\n`;
    const { messages } = relint(before, after);
    const finding = messages.find((m) => m.includes('sum over all elements'))!;
    expect(parsed(finding).fix).toBeUndefined();
    expect(parsed(finding).suggestions).toHaveLength(1);
    expect(finding).toContain('tf.grad differentiates');
    expect(messages.some((m) => m.includes('no-gradient-break'))).toBe(true);
  });

  it('a name declared elsewhere changes the fresh name a fix introduces', () => {
    const before = HEAD + DOUBLE;
    const after = HEAD + `export const dTensor = 1;\n` + DOUBLE;
    expect(lint(before, path.join(repo, 'cache-probe-b.ts'), false).join()).toContain('const dTensor = tf.abs(x)');
    const { messages } = relint(before, after);
    expect(messages.join()).toContain('const dTensor2 = tf.abs(x)');
  });

  it('a line number shown in a message follows an edit above it', () => {
    const before = HEAD + HELPER + RUN;
    const after = HEAD + '\n\n\n' + HELPER + RUN;
    const line = (messages: string[]) => /in the call on line (\d+)/.exec(messages.join())?.[1];
    const { messages } = relint(before, after);
    expect(Number(line(messages))).toBe(Number(line(lint(before, path.join(repo, 'cache-probe-c.ts'), false))) + 3);
  });

  it('a module-level read-back edited elsewhere reaches the loops over it', () => {
    const use = `
export function scaled(): Float32Array {
  const out = new Float32Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = w[i] * 3;
  return out;
}
`;
    const read = HEAD + `const weights = tf.ones([4]);\nconst w = weights.dataSync();\n` + use;
    const plain = HEAD + `const weights = tf.ones([4]);\nconst w = new Float32Array(4);\n` + use;
    expect(relint(plain, read).messages.join()).toContain('tf.mul(weights, 3)');
    expect(relint(read, plain).messages).toEqual([]);
  });

  it('a new caller of a helper reaches the helper (its parameter holds data)', () => {
    const before = HEAD + HELPER + `\nexport function idle(): number {\n  return 0;\n}\n`;
    const after =
      HEAD +
      HELPER +
      RUN.replace('export function run', 'export function idle2') +
      `\nexport function idle(): number {\n  return 0;\n}\n`;
    const { messages } = relint(before, after);
    expect(messages.join()).toContain('a caller passes in');
  });

  it("another module's edit reaches the statements that import from it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-cache-'));
    const local = new Linter({ configType: 'flat', cwd: dir });
    const lint = (source: string, filename: string, cached: boolean): string[] => {
      process.env.VECTORIZE_CACHE = cached ? '1' : '0';
      return show(local.verify(source, config, { filename }));
    };
    const ops = path.join(dir, 'ops.ts');
    const main = path.join(dir, 'main.ts');
    const code = `${HEAD}import { values } from './ops';
export function twice(x: tf.Tensor1D): number[] {
  const d = values(x);
  const out: number[] = [];
  for (let i = 0; i < d.length; i++) out.push(d[i] * 2);
  return out;
}
`;
    try {
      fs.writeFileSync(
        ops,
        `${HEAD}export function values(t: tf.Tensor): Float32Array {\n  return t.dataSync() as Float32Array;\n}\n`,
      );
      const first = lint(code, main, true);
      expect(first.join()).toContain('read back by');
      // The module no longer reads back; its modification time moves.
      fs.writeFileSync(
        ops,
        `${HEAD}export function values(t: tf.Tensor): Float32Array {\n  return new Float32Array(t.size);\n}\n`,
      );
      const later = new Date(Date.now() + 5000);
      fs.utimesSync(ops, later, later);
      const warm = lint(code, main, true);
      expect(warm).toEqual(lint(code, main, false));
      expect(warm.join()).not.toContain('read back by');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("by default a file's first lint keeps nothing, the second records and the third reuses", () => {
    const filename = path.join(repo, 'cache-default.ts');
    const code = (k: number) => HEAD + DOUBLE + HELPER + RUN + LOSS + `\n// edit ${k}\n`;
    delete process.env.VECTORIZE_CACHE;
    const before = { ...unitCacheStats };
    show(linter.verify(code(1), config, { filename }));
    expect(unitCacheStats).toEqual(before);
    show(linter.verify(code(2), config, { filename }));
    expect(unitCacheStats.hits).toBe(before.hits);
    expect(unitCacheStats.misses).toBeGreaterThan(before.misses);
    const third = show(linter.verify(code(3), config, { filename }));
    expect(unitCacheStats.hits).toBeGreaterThan(before.hits);
    expect(third).toEqual(lint(code(3), filename, false));
  });

  // The two rules that report at the end of the file (no-readback-in-loop, no-tensor-leak-in-loop) keep
  // each loop's findings with the loop's statement.
  const SUMS = `
export function sums(t: tf.Tensor2D): number[] {
  const out: number[] = [];
  for (let i = 0; i < t.shape[0]; i++) out.push(rowSum(t, i));
  return out;
}
`;
  const ROW_SUM = `
function rowSum(t: tf.Tensor2D, i: number): number {
  const v = t.arraySync();
  return v[i].reduce((a, b) => a + b, 0);
}
`;
  const STEP = `
function step(xs: tf.Tensor1D[]): void {
  for (const x of xs) {
    const y = tf.square(x);
    console.log(y.shape);
  }
}
`;
  const TRAIN = `
export function train(xs: tf.Tensor1D[]): void {
  step(xs);
}
`;
  const rule = (messages: string[], id: string) => messages.filter((m) => m.includes(`"vectorize/${id}"`));

  it('findings reported at the end of the file are kept with their loop', () => {
    const before = HEAD + SUMS + ROW_SUM + STEP + TRAIN;
    const { messages, hits, misses } = relint(before, HEAD + '// version 2' + SUMS + ROW_SUM + STEP + TRAIN);
    expect(rule(messages, 'no-readback-in-loop')).toHaveLength(1);
    expect(rule(messages, 'no-tensor-leak-in-loop')).toHaveLength(1);
    expect(hits).toBeGreaterThanOrEqual(6);
    expect(misses).toBe(0);
  });

  it("the line of a helper's read shown in the loop's message follows the helper", () => {
    const before = HEAD + SUMS + ROW_SUM;
    const { messages } = relint(before, HEAD + SUMS + '\n// moved\n' + ROW_SUM);
    const [read] = rule(messages, 'no-readback-in-loop');
    expect(read).toContain('(line 12 in `rowSum`)');
    expect(rule(lint(before, path.join(repo, 'cache-probe-line.ts'), false), 'no-readback-in-loop')[0]).toContain(
      '(line 10 in `rowSum`)',
    );
  });

  it("a caller's tf.tidy reaches the loop of the function it calls", () => {
    const before = HEAD + STEP + TRAIN;
    expect(rule(lint(before, path.join(repo, 'cache-probe-tidy.ts'), false), 'no-tensor-leak-in-loop')).toHaveLength(1);
    const { messages } = relint(before, HEAD + STEP + TRAIN.replace('step(xs);', 'tf.tidy(() => step(xs));'));
    expect(rule(messages, 'no-tensor-leak-in-loop')).toHaveLength(0);
    // And back.
    const back = relint(HEAD + STEP + TRAIN.replace('step(xs);', 'tf.tidy(() => step(xs));'), before);
    expect(rule(back.messages, 'no-tensor-leak-in-loop')).toHaveLength(1);
  });

  it("a caller's tf.tidy answer is kept while the statements that spell what it looked up stand", () => {
    const before = HEAD + STEP + TRAIN + DOUBLE;
    // The first re-lint asks again and notes what the answer read; the next one may keep it.
    const first = HEAD + STEP + TRAIN + DOUBLE.replace('d[i] * 2', 'd[i] * 3');
    const kept = (after: string): number => {
      const filename = path.join(repo, `cache-case-${counter++}.ts`);
      lint(before, filename, true);
      lint(first, filename, true);
      const count = unitCacheStats.keptAnswers;
      const warm = lint(after, filename, true);
      expect(warm).toEqual(lint(after, filename, false));
      return unitCacheStats.keptAnswers - count;
    };
    // An edit in `double` (which spells neither `step` nor `train`): the answer about step's loop is kept.
    expect(kept(HEAD + STEP + TRAIN + DOUBLE.replace('d[i] * 2', 'd[i] * 4'))).toBeGreaterThan(0);
    // An edit in `train`, which calls `step`: the answer is worked out again.
    expect(kept(HEAD + STEP + TRAIN.replace('step(xs);', 'step(xs); // typing') + DOUBLE)).toBe(0);
  });

  it("a caller moved to another class is asked again: its class's export decides who else may call it", () => {
    const model = (run: string) => `
class Model {
  step(x: tf.Tensor): number {
    let s = 0;
    for (let i = 0; i < 3; i++) {
      const y = tf.square(x);
      s += y.shape.length;
    }
    return s;
  }
${run}}
`;
    const RUNS = `
  run(x: tf.Tensor): number {
    return this.step(x);
  }
`;
    const api = (run: string) => `
export class Api {
  private readonly ready = true;
${run}}
`;
    const rest = `
class Trainer {
  train(m: Model, x: tf.Tensor): number {
    return tf.tidy(() => m.run(x));
  }
}

export function make(): Trainer {
  return new Trainer();
}
`;
    // \`run\` in Model (not exported): every call of it is in Trainer's tf.tidy, so step's tensors are freed.
    const inModel = HEAD + model(RUNS) + api('') + rest + 'export const m = new Model();\n';
    // The same text in the exported Api: anyone may call it, so step's loop leaks.
    const inApi = HEAD + model('') + api(RUNS) + rest + 'export const m = new Model();\n';
    const leaks = (code: string) =>
      rule(lint(code, path.join(repo, 'cache-probe-move.ts'), false), 'no-tensor-leak-in-loop');
    expect(leaks(inModel)).toHaveLength(0);
    expect(leaks(inApi)).toHaveLength(1);
    // After a re-lint that keeps the answer (an edit in Api's field), the move: asked again.
    const moved = (from: string, to: string): string[] => {
      const filename = path.join(repo, `cache-case-${counter++}.ts`);
      lint(from, filename, true);
      lint(from.replace('ready = true', 'ready = false'), filename, true);
      const count = unitCacheStats.keptAnswers;
      const warm = lint(to, filename, true);
      expect(warm).toEqual(lint(to, filename, false));
      expect(unitCacheStats.keptAnswers).toBe(count);
      return warm;
    };
    expect(rule(moved(inModel, inApi), 'no-tensor-leak-in-loop')).toHaveLength(1);
    expect(rule(moved(inApi, inModel), 'no-tensor-leak-in-loop')).toHaveLength(0);
  });

  it('a hoisted read takes a name per function, and one per module top', () => {
    const fn = (name: string, k: number) => `
export function ${name}(t: tf.Tensor1D, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += t.dataSync()[i] * ${k};
  return s;
}
`;
    const top = (k: number) => `let s${k} = 0;\nfor (let i = 0; i < 4; i++) s${k} += t.dataSync()[i] * ${k};\n`;
    const code =
      HEAD + fn('a', 1) + fn('b', 2) + 'const t = tf.ones([4]);\n' + top(1) + top(2) + 'export { s1, s2 };\n';
    const { messages } = relint(code, code.replace('export function a', '// a\nexport function a'));
    const declared = messages.map((m) => /const (tData\d*) =/.exec(JSON.stringify(parsed(m).fix))?.[1]);
    // Each function's own `tData` (neither sees the other's); the module's two loops share a scope.
    expect(declared).toEqual(['tData', 'tData', 'tData', 'tData2']);
  });

  describe('a class declared at the top is cut into its header and members', () => {
    const CLASS = `
class Scaler {
  private readonly scale: number = 3;

  constructor(private readonly size: number) {}

  double(x: tf.Tensor1D): Float32Array {
    const d = tf.abs(x).dataSync();
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) {
      out[i] = d[i] * this.scale;
    }
    return out;
  }

  private helper(d: Float32Array, n: number): Float32Array {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = d[i] + 1;
    }
    return out;
  }

  run(t: tf.Tensor1D): Float32Array {
    return this.helper(t.dataSync(), t.size);
  }
}
`;
    const MAKE = `\nexport function make(): Scaler {\n  return new Scaler(4);\n}\n`;

    it('an edit in one method leaves the findings of the others standing', () => {
      const before = HEAD + CLASS + MAKE;
      // (On one line: the message on the helper shows the line of its call in `run`.)
      const after = HEAD + CLASS.replace('const out = new Float32Array(d.length);', '$& // typing') + MAKE;
      const { messages, hits, misses } = relint(before, after);
      expect(messages.join()).toContain('tf.mul(tf.reshape(dTensor, [-1]), this.scale)');
      expect(messages.join()).toContain('tf.add(d, 1)');
      // `double` is analysed again; `helper`, `run` and the rest are replayed.
      expect(misses).toBeLessThanOrEqual(4);
      expect(hits).toBeGreaterThanOrEqual(4);
    });

    it("a caller's edit in another method reaches the method whose data it passes", () => {
      const before = HEAD + CLASS + MAKE;
      const after =
        HEAD + CLASS.replace('this.helper(t.dataSync(), t.size)', 'this.helper(new Float32Array(4), 4)') + MAKE;
      expect(relint(after, before).messages.join()).toContain('a caller passes in');
      expect(relint(before, after).messages.join()).not.toContain('a caller passes in');
    });

    it("the line of a caller shown in a method's message follows the caller, also where the answer was kept", () => {
      const before = HEAD + CLASS + MAKE;
      const filename = path.join(repo, `cache-case-${counter++}.ts`);
      lint(before, filename, true);
      // An edit that moves no line: the answer about helper's parameter is kept on the next re-lint.
      lint(before.replace('d[i] * this.scale', 'd[i] * this.scale * 1'), filename, true);
      const after = before.replace('  run(t: tf.Tensor1D)', '  // typing\n  run(t: tf.Tensor1D)');
      const warm = lint(after, filename, true);
      expect(warm).toEqual(lint(after, filename, false));
      const line = after.split('\n').findIndex((l) => l.includes('this.helper(')) + 1;
      expect(warm.join()).toContain(`in the call on line ${line}`);
    });

    it("a field's declaration reaches the methods that read it", () => {
      const before = HEAD + CLASS + MAKE;
      const after =
        HEAD +
        CLASS.replace('private readonly scale: number = 3;', 'private get scale(): number {\n    return 3;\n  }') +
        MAKE;
      expect(relint(before, after).messages.join()).not.toContain('this.scale)');
      expect(relint(after, before).messages.join()).toContain('this.scale)');
    });

    it('by default, findings are kept only where an edit reaches less than 35% of the file on average', () => {
      // Independent methods: kept from the second lint on.
      const lintThrice = (code: (k: number) => string): number => {
        const filename = path.join(repo, `cache-share-${counter++}.ts`);
        delete process.env.VECTORIZE_CACHE;
        for (let k = 1; k <= 2; k++) linter.verify(code(k), config, { filename });
        const hits = unitCacheStats.hits;
        expect(show(linter.verify(code(3), config, { filename }))).toEqual(lint(code(3), filename, false));
        return unitCacheStats.hits - hits;
      };
      expect(lintThrice((k) => HEAD + CLASS + MAKE + `\n// edit ${k}\n`)).toBeGreaterThan(0);
      // Every method calls one that holds most of the class's code: an edit there, the likeliest place,
      // reaches them all; the file is analysed in full.
      const core = `
  private core(d: Float32Array): number {
${Array.from({ length: 40 }, (_, i) => `    const v${i} = d[${i}] * ${i + 1};`).join('\n')}
    return ${Array.from({ length: 40 }, (_, i) => `v${i}`).join(' + ')};
  }
`;
      const shared = CLASS.replace('class Scaler {', `class Scaler {${core}`).replace(
        /return out;/g,
        'this.core(out);\n    return out;',
      );
      expect(lintThrice((k) => HEAD + shared + MAKE + `\n// edit ${k}\n`)).toBe(0);
    });

    it("the header reaches every member: a layer's call is differentiated", () => {
      const layer = (header: string) => `${HEAD}
export class Scale ${header}{
  call(x: tf.Tensor1D): tf.Tensor1D {
    const d = x.dataSync();
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) {
      out[i] = d[i] * 2;
    }
    return tf.tensor1d(out);
  }

  static get className(): string {
    return 'Scale';
  }
}
`;
      const fixes = (messages: string[]) =>
        messages.filter((m) => m.includes('no-element-loop') && parsed(m).fix !== undefined).length;
      const plain = relint(layer('extends tf.layers.Layer '), layer(''));
      expect(fixes(plain.messages)).toBe(1);
      const trained = relint(layer(''), layer('extends tf.layers.Layer '));
      expect(fixes(trained.messages)).toBe(0);
      expect(trained.messages.join()).toContain('through a custom layer');
    });
  });

  it('an import links the statements that use it as a tensor, not those that only call its members', () => {
    const code = (imported: string, use: string, edit: string) => `${HEAD}import { ${imported} } from './shared';

export function scaled(t: tf.Tensor1D): Float32Array {
  const d = t.dataSync();
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] * ${use};
  return out;
}

export function other(): void {
  ${edit}${imported === 'weights' ? 'weights.dispose();' : 'console.log(clock.now());'}
}
`;
    // `weights` is read back and disposed: the statements that use it are one group, and an edit in
    // one analyses the other again. `clock.now()` links nothing: the loop's findings are replayed.
    const tensor = relint(
      code('weights', 'weights.dataSync()[0]', ''),
      code('weights', 'weights.dataSync()[0]', '// edit\n  '),
    );
    const helper = relint(code('clock', 'clock.now()', ''), code('clock', 'clock.now()', '// edit\n  '));
    expect(tensor.hits).toBe(0);
    expect(helper.hits).toBeGreaterThan(0);
  });

  it('a file without a TF.js import is not walked: no statement is looked at', () => {
    const filename = path.join(repo, 'cache-no-tf.ts');
    const code = `export function total(a: number[]): number {\n  let s = 0;\n  for (let i = 0; i < a.length; i++) s += a[i];\n  return s;\n}\n`;
    const before = unitCacheStats.hits + unitCacheStats.misses;
    expect(lint(code, filename, true)).toEqual([]);
    expect(lint(code + '\n', filename, true)).toEqual([]);
    expect(unitCacheStats.hits + unitCacheStats.misses).toBe(before);
  });

  it('VECTORIZE_CACHE=0 analyses everything', () => {
    const filename = path.join(repo, 'cache-off.ts');
    lint(HEAD + DOUBLE, filename, false);
    const hits = unitCacheStats.hits;
    lint(HEAD + DOUBLE + '\n', filename, false);
    expect(unitCacheStats.hits).toBe(hits);
  });
});

// On a re-lint a cached rule's listeners are called by one walk of the tree at the end of the file (a
// statement whose findings are replayed is not entered), not by ESLint's traversal. The reports must come
// in ESLint's order: two at one place stay in the order its traversal makes them, across rules.
describe("findings kept across re-lints: the walk that calls a cached rule's listeners", () => {
  afterEach(() => {
    delete process.env.VECTORIZE_CACHE;
  });
  type Context = Parameters<Parameters<typeof cachedByStatement>[1]['create']>[0];
  const toy = (create: (context: Context) => Record<string, (node: TSESTree.Node) => void>) => ({
    meta: { type: 'problem' as const, docs: {}, schema: [], messages: { at: '{{what}}' } },
    create,
  });
  const say = (context: Context, node: TSESTree.Node, what: string): void =>
    context.report({ node, messageId: 'at', data: { what } });
  // In this order in the config: on `a(1)` ESLint enters the call before its callee, so `calls` reports
  // before `callees` at the same place, and `atEnd`'s reports come after both.
  const rules = {
    callees: cachedByStatement(
      'toy-callees',
      toy((context) => ({
        Identifier: (node) => {
          if (node.parent?.type === 'CallExpression' && node.parent.callee === node)
            say(context, node, `callee ${(node as TSESTree.Identifier).name}`);
        },
      })),
    ),
    calls: cachedByStatement(
      'toy-calls',
      toy((context) => ({ CallExpression: (node) => say(context, node, 'call') })),
    ),
    atEnd: cachedByStatement(
      'toy-at-end',
      toy((context) => {
        const seen: TSESTree.Node[] = [];
        return {
          'CallExpression:exit': (node) => {
            seen.push(node);
          },
          'Program:exit': () => {
            for (const node of seen) inGroupOf(node, () => say(context, node, 'at the end'));
          },
        };
      }),
    ),
  };
  const toyConfig: Linter.Config[] = [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
    {
      files: ['**/*.ts'],
      plugins: { toy: { rules } as unknown as NonNullable<Linter.Config['plugins']>[string] },
      rules: { 'toy/callees': 'error', 'toy/calls': 'error', 'toy/atEnd': 'error' },
    },
  ];
  const toyLint = (code: string, cached: boolean): string[] => {
    process.env.VECTORIZE_CACHE = cached ? '1' : '0';
    return linter
      .verify(code, toyConfig, { filename: path.join(repo, 'cache-walk.ts') })
      .map((m) => `${m.line}:${m.column} ${m.ruleId} ${m.message}`);
  };
  const code = (b: string) => `a(1);\n${b};\nfunction f() {\n  return c(a(3));\n}\n`;

  it("reports as ESLint's traversal does, recorded and replayed", () => {
    const cold = toyLint(code('b(2)'), false);
    expect(cold.slice(0, 3)).toEqual(['1:1 toy/calls call', '1:1 toy/callees callee a', '1:1 toy/atEnd at the end']);
    expect(cold).toHaveLength(12);
    // Recorded on this lint (each statement analysed), then replayed but for the edited statement.
    expect(toyLint(code('b(2)'), true)).toEqual(cold);
    const { hits } = unitCacheStats;
    const edited = toyLint(code('b(22)'), true);
    expect(unitCacheStats.hits - hits).toBeGreaterThan(0);
    expect(edited).toEqual(toyLint(code('b(22)'), false));
  });
});

// Random edits to real modules: delete, duplicate or swap statements, declare names fixes pick, differentiate
// or call a function, export or unexport, change a number, rename a use, add lines, run a call in tf.tidy or
// a tf.tidy callback not in one, delete or duplicate a class member or retarget a `this.x`. Cached and uncached
// re-lints agree after each edit of a chain.
const SOURCES = [
  'bench/editor/detector.ts',
  'fixtures/callbacks/map-row-class-fields.ts',
  'fixtures/counts/roc-counts-masks.ts',
  'fixtures/ranking/topk-by-sort.ts',
  'fixtures/gradient/' + fs.readdirSync(path.join(repo, 'fixtures/gradient')).find((f) => f.endsWith('.ts')),
].map((f) => path.join(repo, f));

function statements(code: string): { range: [number, number]; name?: string }[] {
  const ast = tsParser.parseForESLint(code, { range: true, loc: true, sourceType: 'module' }).ast;
  return ast.body.map((s) => {
    const d = (s.type === 'ExportNamedDeclaration' ? s.declaration : s) as {
      id?: { name?: string };
      declarations?: { id: { name?: string } }[];
    } | null;
    return { range: s.range, name: d?.id?.name ?? d?.declarations?.[0]?.id.name };
  });
}

const NAMES = ['top', 'labels', 'dTensor', 'kept', 'x2', 'scores', 'n', 'tf', 'data', 'minimize'];

function edit(code: string, op: number, a: number, b: number): string {
  const list = statements(code);
  if (list.length === 0) return code;
  const s = list[a % list.length];
  const t = list[b % list.length];
  const names = list.map((x) => x.name).filter((x): x is string => !!x);
  const lines = code.split('\n');
  switch (op) {
    case 0:
      return code.slice(0, s.range[0]) + code.slice(s.range[1]);
    case 1:
      return code.slice(0, s.range[1]) + '\n' + code.slice(s.range[0], s.range[1]) + code.slice(s.range[1]);
    case 2:
      return s.range[0] < t.range[0]
        ? code.slice(0, s.range[0]) +
            code.slice(t.range[0], t.range[1]) +
            code.slice(s.range[1], t.range[0]) +
            code.slice(s.range[0], s.range[1]) +
            code.slice(t.range[1])
        : code;
    case 3:
      return code.slice(0, s.range[1]) + `\nconst ${NAMES[b % NAMES.length]} = 0;` + code.slice(s.range[1]);
    case 4:
      return names.length ? `${code}\nexport const g$ = tf.grad(${names[b % names.length]} as never);\n` : code;
    case 5:
      return names.length ? `${code}\n${names[b % names.length]}(tf.ones([4, 4]).dataSync() as never, 4, 4);\n` : code;
    case 6: {
      const text = code.slice(s.range[0], s.range[1]);
      if (text.startsWith('export ')) return code.slice(0, s.range[0]) + text.slice(7) + code.slice(s.range[1]);
      return /^(async )?function|^const|^class/.test(text)
        ? code.slice(0, s.range[0]) + 'export ' + text + code.slice(s.range[1])
        : code;
    }
    case 7:
      return code.replace(/(?<![\w.$])(\d+)(?![\w.])/, (m) => String(Number(m) + 1));
    case 8:
      lines.splice(a % lines.length, 0, b % 2 ? '' : '// edit');
      return lines.join('\n');
    case 10: {
      // A call statement run inside tf.tidy (a caller's tidy frees what the callee's loops leak).
      const calls = lines.flatMap((l, i) => (/^\s*[\w$.]+\(.*\);$/.test(l) ? [i] : []));
      if (calls.length === 0) return code;
      const i = calls[a % calls.length];
      lines[i] = lines[i].replace(/^(\s*)(.*)$/, '$1tf.tidy(() => { $2 });');
      return lines.join('\n');
    }
    case 11: {
      // A tf.tidy no more.
      const tidies = [...code.matchAll(/\btf\.tidy\(/g)];
      if (tidies.length === 0) return code;
      const at = tidies[a % tidies.length].index;
      return code.slice(0, at) + 'untidy(' + code.slice(at + 'tf.tidy('.length);
    }
    case 12: {
      // A class member deleted or duplicated, or a `this.x` made another member's.
      const members = classMembers(code);
      if (members.length === 0) return code;
      const m = members[a % members.length];
      if (b % 3 === 0) return code.slice(0, m.range[0]) + code.slice(m.range[1]);
      if (b % 3 === 1) return code.slice(0, m.range[1]) + '\n  ' + code.slice(...m.range) + code.slice(m.range[1]);
      const uses = [...code.matchAll(/\bthis\.([\w$]+)/g)];
      const named = members.filter((x) => x.name);
      if (uses.length === 0 || named.length === 0) return code;
      const use = uses[a % uses.length];
      const at = use.index + 'this.'.length;
      return code.slice(0, at) + named[b % named.length].name + code.slice(at + use[1].length);
    }
    default:
      return names.length > 1
        ? code.replace(new RegExp(`\\b${names[a % names.length]}\\(`), `${names[b % names.length]}(`)
        : code;
  }
}

/** The members of the classes declared at the top. */
function classMembers(code: string): { range: [number, number]; name?: string }[] {
  const ast = tsParser.parseForESLint(code, { range: true, loc: true, sourceType: 'module' }).ast;
  return ast.body.flatMap((s) => {
    const d = s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' ? s.declaration : s;
    if (d?.type !== 'ClassDeclaration') return [];
    return d.body.body.map((m) => ({
      range: m.range,
      name: 'key' in m && m.key.type === 'Identifier' ? m.key.name : undefined,
    }));
  });
}

describe('findings kept across re-lints: random edits', () => {
  it('agree with a lint without the cache after every edit of a chain', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SOURCES),
        fc.array(fc.tuple(fc.nat(12), fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
        (file, edits) => {
          const filename = path.join(repo, `cache-prop-${counter++}.ts`);
          let code = fs.readFileSync(file, 'utf8');
          lint(code, filename, true);
          for (const [op, a, b] of edits) {
            const next = edit(code, op, a, b);
            let parsed = true;
            try {
              statements(next);
            } catch {
              parsed = false;
            }
            if (!parsed) continue;
            expect(lint(next, filename, true)).toEqual(lint(next, filename, false));
            code = next;
          }
        },
      ),
      { numRuns: 40, seed: 13 },
    );
  });
});

describe('findings kept across re-lints: typed', () => {
  const fixtures = path.join(repo, 'tests/rules/fixtures');
  const typed = new Linter({ configType: 'flat', cwd: fixtures });
  const typedConfig: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser, parserOptions: { projectService: true, tsconfigRootDir: fixtures } },
    },
    plugin.configs.all as Linter.Config,
  ];
  // The fixture project's file.ts, as the typed rule suites lint it.
  const filename = path.join(fixtures, 'file.ts');
  const run = (code: string, cached: boolean): string[] => {
    process.env.VECTORIZE_CACHE = cached ? '1' : '0';
    return show(typed.verify(code, typedConfig, { filename }));
  };
  afterEach(() => {
    delete process.env.VECTORIZE_CACHE;
  });

  /** As `relint`, typed. */
  function relintTyped(before: string, after: string): { messages: string[]; hits: number } {
    run(before, true);
    const { hits } = unitCacheStats;
    const warm = run(after, true);
    const reused = unitCacheStats.hits - hits;
    const cold = run(after, false);
    expect(warm).toEqual(cold);
    return { messages: cold, hits: reused };
  }

  // Only the checker tells that `t` is a tensor: `m.weights` is declared `tf.Tensor[]` in the class.
  const model = (field: string) => `import * as tf from '@tensorflow/tfjs';

export class Model {
  ${field}

  add(w: tf.Tensor): void {
    this.weights.push(w);
  }
}

export async function totals(m: Model): Promise<number[]> {
  const out: number[] = [];
  for (const t of m.weights) out.push((await t.data())[0]);
  return out;
}
`;

  it("a member's type is what the checker reads of it: an edit to a typed field's value leaves its readers kept", () => {
    const before = model('weights: tf.Tensor[] = [];');
    const value = relintTyped(before, model('weights: tf.Tensor[] = [tf.zeros([1])];'));
    expect(value.messages).toHaveLength(1);
    // `totals` is replayed (only `add`, in the class, reads the field's value).
    expect(value.hits).toBeGreaterThan(0);
    // Its type reaches them: the read-back is no longer one.
    const type = relintTyped(before, model('weights: { data(): Promise<number[]> }[] = [];'));
    expect(type.messages).toEqual([]);
    // Nothing that reads the field is kept: only the class header (`export class Model {`), for each of
    // the four rules.
    expect(type.hits).toBe(4);
    // Without a type, the checker reads the value.
    const untyped = relintTyped(model('weights = [tf.zeros([1])];'), model('weights = [{ data: async () => [1] }];'));
    expect(untyped.messages).toEqual([]);
  });

  it("a method's return type is what the checker reads of it: an edit to the body of a method with one leaves its callers kept", () => {
    const code = (returns: string, body: string) => `import * as tf from '@tensorflow/tfjs';

export class Scorer {
  private w = tf.zeros([4]);

  weights(i: number)${returns} {
    ${body}
  }
}

export async function totals(s: Scorer, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const w = s.weights(i);
    out.push((await w.data())[0]);
  }
  return out;
}
`;
    const edited = (returns: string) =>
      relintTyped(code(returns, 'return this.w;'), code(returns, 'const w = this.w;\n    return w;')).hits;
    // Typed, `totals` is replayed; untyped, the checker infers the type from the body, and `totals` is analysed again.
    expect(edited(': tf.Tensor')).toBeGreaterThan(edited(''));
  });

  it('agree with a typed lint without the cache after random edits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(11), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), (edits) => {
        let code = fs.readFileSync(SOURCES[0], 'utf8');
        run(code, true);
        const hits = unitCacheStats.hits;
        for (const [op, a, b] of edits) {
          const next = edit(code, op, a, b);
          try {
            statements(next);
          } catch {
            continue;
          }
          expect(run(next, true)).toEqual(run(next, false));
          code = next;
        }
        return unitCacheStats.hits >= hits;
      }),
      { numRuns: 8, seed: 7 },
    );
    delete process.env.VECTORIZE_CACHE;
  });
});
