// Robustness of vectorize/no-element-loop: on any source ESLint can parse the rule must not throw,
// and every autofix and suggestion it offers must leave a source that still parses.
//
// Inputs: realistic TF.js loop code (hand-written snippets, generated loop programs from
// programs.ts, the fixtures) mutated at random — statements deleted, duplicated, swapped, wrapped;
// identifiers, operators, expressions and loop bounds replaced; jumps and odd constructs inserted
// (labels, comma expressions, optional chaining, spread, getters, `for (;;)`, `for await`,
// destructuring, classes, generators, TS-only declarations) — and random programs from a small
// statement grammar over the usual names (views, sinks, accumulators, loop variables). Each is
// linted as TypeScript (typescript-eslint parser) and, transpiled to JavaScript, with espree.
// Deterministic: fixed seeds and run counts (PROPERTY_SEED / PROPERTY_RUNS override them).
import fs from 'node:fs';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFixes, findFixtures, loadPlugin, numbered, RULE_ID } from '../harness/fixture.js';
import { applyMutations, mutationArb, type Mutation } from './mutate.js';
import { programArb } from './programs.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 0x7e57);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

type Plugin = Awaited<ReturnType<typeof loadPlugin>>;
type FixMode = 'auto' | 'suggest' | 'off';
let plugin: Plugin;
const linter = new Linter();

function config(mode: FixMode): Linter.Config[] {
  return [
    {
      files: ['**/*.ts', '**/*.js'],
      languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      plugins: { vectorize: plugin },
      rules: { [RULE_ID]: ['warn', { fix: mode }] },
    },
    { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  ];
}
const parseOnly: Linter.Config[] = [
  { files: ['**/*.js'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
];
const espreeParses = (text: string) => !linter.verify(text, parseOnly, { filename: 'm.js' }).some((m) => m.fatal);

// ───────────────────────────── seeds ─────────────────────────────

const HEAD = "import * as tf from '@tensorflow/tfjs';\n";
const HANDWRITTEN = [
  `export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
  const [n, m] = x.shape;
  const d = x.dataSync();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += d[i * m + j];
    out[i] = s;
  }
  return tf.tensor1d(out);
}`,
  `export async function argmaxRows(logits: tf.Tensor2D): Promise<tf.Tensor1D> {
  const rows = await logits.array();
  const out: number[] = [];
  for (const row of rows) {
    let best = -Infinity;
    let at = 0;
    for (let j = 0; j < row.length; j++) {
      if (row[j] > best) { best = row[j]; at = j; }
    }
    out.push(at);
  }
  return tf.tensor1d(out, 'int32');
}`,
  `export function scaleShift(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor {
  const [n, m] = x.shape;
  const xb = x.bufferSync();
  const g = gamma.dataSync();
  const b = beta.dataSync();
  const buf = tf.buffer([n, m]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const v = xb.get(i, j) * g[j] + b[j];
      buf.set(v > 0 ? v : 0.01 * v, i, j);
    }
  }
  return buf.toTensor();
}`,
  `export function pickLabels(probs: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const p = probs.arraySync();
  const y = labels.dataSync();
  let loss = 0;
  for (let i = 0; i < p.length; i++) {
    loss -= Math.log(p[i][y[i]] + 1e-7);
  }
  return tf.scalar(loss / p.length);
}`,
  `export function softmaxRows(x: tf.Tensor2D): tf.Tensor2D {
  const [n, m] = x.shape;
  const d = x.dataSync();
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let j = 0; j < m; j++) mx = Math.max(mx, d[i * m + j]);
    let z = 0;
    for (let j = 0; j < m; j++) z += Math.exp(d[i * m + j] - mx);
    for (let j = 0; j < m; j++) out[i * m + j] = Math.exp(d[i * m + j] - mx) / z;
  }
  return tf.tensor2d(out, [n, m]);
}`,
  `export function cumulative(x: tf.Tensor1D): tf.Tensor1D {
  const d = x.dataSync();
  const out = new Float32Array(d.length);
  let total = 0;
  for (let i = 0; i < d.length; i++) {
    total += d[i];
    out[i] = total;
  }
  return tf.tensor1d(out);
}`,
  `export class Normalizer {
  private mean = 0;
  fit(x: tf.Tensor1D): void {
    const d = x.dataSync();
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i];
    this.mean = s / d.length;
  }
  apply(x: tf.Tensor2D, w: tf.Tensor1D): tf.Tensor1D {
    const [n, k] = x.shape;
    const a = x.arraySync();
    const wv = w.arraySync();
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += a[i][p] * wv[p];
      out.push(acc - this.mean);
    }
    return tf.tensor1d(out);
  }
}`,
  `export function trainStep(model: tf.LayersModel, opt: tf.Optimizer, xs: tf.Tensor2D, ys: tf.Tensor1D) {
  opt.minimize(() => {
    const pred = model.predict(xs) as tf.Tensor2D;
    const p = pred.dataSync();
    const y = ys.dataSync();
    let loss = 0;
    for (let i = 0; i < y.length; i++) loss += (p[i] - y[i]) ** 2;
    return tf.scalar(loss / y.length);
  });
}`,
];

function jsOf(source: string): string {
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

let seedsTs: string[] = [];
let seedsJs: string[] = [];

beforeAll(async () => {
  plugin = await loadPlugin();
  const generated = fc.sample(programArb(), { seed: SEED, numRuns: 30 }).map((p) => p.source);
  const fixtures = findFixtures()
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(f, 'utf8'));
  seedsTs = [...HANDWRITTEN.map((s) => HEAD + s), ...generated, ...fixtures];
  seedsJs = [
    ...seedsTs.map(jsOf),
    ...findFixtures()
      .filter((f) => f.endsWith('.js'))
      .map((f) => fs.readFileSync(f, 'utf8')),
  ];
});

// ───────────────────────────── the oracle ─────────────────────────────

const stats = { linted: 0, unparsable: 0, reported: 0, fixes: 0, suggestions: 0 };

function lint(text: string, filename: string, mode: FixMode): Linter.LintMessage[] {
  try {
    return linter.verify(text, config(mode), { filename });
  } catch (error) {
    throw new Error(`the rule threw (fix: '${mode}') on ${filename}:\n${numbered(text)}\n\n${(error as Error).stack}`, {
      cause: error,
    });
  }
}

/** Throws when the rule throws, or when a fix or suggestion leaves a source that does not parse. */
function check(text: string, filename: string, mode: FixMode): void {
  const messages = lint(text, filename, mode);
  if (messages.some((m) => m.fatal)) {
    stats.unparsable++;
    return;
  }
  stats.linted++;
  const mine = messages.filter((m) => m.ruleId === RULE_ID);
  if (mine.length > 0) stats.reported++;
  const mustParse = (output: string, what: string) => {
    const again = lint(output, filename, mode);
    const fatal = again.find((m) => m.fatal);
    if (fatal)
      throw new Error(
        `${what} gives a source that does not parse (${fatal.line}:${fatal.column} ${fatal.message}):\n--- input ---\n${numbered(text)}\n--- output ---\n${numbered(output)}`,
      );
  };
  for (const m of mine) {
    if (m.fix) {
      stats.fixes++;
      mustParse(applyFixes(text, [m.fix]).output, `the autofix at ${m.line}:${m.column}`);
    }
    for (const s of m.suggestions ?? []) {
      stats.suggestions++;
      mustParse(applyFixes(text, [s.fix]).output, `the suggestion at ${m.line}:${m.column}`);
    }
  }
  if (mine.some((m) => m.fix)) {
    let output: string;
    try {
      output = linter.verifyAndFix(text, config(mode), { filename }).output;
    } catch (error) {
      throw new Error(`the rule threw during --fix on ${filename}:\n${numbered(text)}\n\n${(error as Error).stack}`, {
        cause: error,
      });
    }
    mustParse(output, '--fix');
  }
}

const modeArb = fc.constantFrom<FixMode>('auto', 'suggest', 'off');

/** A mutated seed, printed as its source (what a failure shows). */
interface Mutant {
  text: string;
  applied: Mutation[];
  [fc.toStringMethod](): string;
}
function mutantArb(seeds: () => string[], accept?: (text: string) => boolean): fc.Arbitrary<Mutant> {
  return fc.tuple(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([k, mutations]) => {
    const list = seeds();
    const { text, applied } = applyMutations(list[k % list.length], mutations, accept);
    return { text, applied, [fc.toStringMethod]: () => `\n${text}\n(mutations: ${JSON.stringify(applied)})` };
  });
}

// ───────────────────────────── random programs ─────────────────────────────

const NAMES = ['i', 'j', 'n', 'm', 's', 'd', 'out', 'buf', 'rows', 'row', 'acc', 'wv', 'k', 'v', 'best', 'at'];
const exprArb: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(
      ...NAMES,
      '0',
      '1',
      '-1',
      '0.5',
      'NaN',
      'Infinity',
      'd.length',
      'x.shape[0]',
      'x.size',
      'rows.length',
      'rows[i].length',
    ),
    fc.constantFrom(
      'd[i]',
      'd[i * m + j]',
      'd[j * n + i]',
      'd[i + 1]',
      'rows[i][j]',
      'rows[j][i]',
      'row[j]',
      'buf.get(i, j)',
      'wv[j]',
      'out[i]',
      'acc[i]',
      'v',
    ),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('+', '-', '*', '/', '%', '**', '>', '<', '>=', '===', '&&', '||', '|', '??'),
        tie('expr'),
      )
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc
      .tuple(
        fc.constantFrom(
          'Math.exp',
          'Math.max',
          'Math.min',
          'Math.abs',
          'Math.round',
          'Math.log',
          'Math.random',
          'Math.pow',
          'f',
          'tf.scalar',
        ),
        fc.array(tie('expr'), { maxLength: 2 }),
      )
      .map(([fn, args]) => `${fn}(${args.join(', ')})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    tie('expr').map((a) => `-${a}`),
  ),
})).expr;

const stmtArb: fc.Arbitrary<string> = fc.letrec<{ stmt: string; block: string }>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(fc.constantFrom('const', 'let'), fc.constantFrom('v', 't', 'row', 'best', 'at', 'q'), exprArb)
      .map(([kw, name, e]) => `${kw} ${name} = ${e};`),
    fc
      .tuple(
        fc.constantFrom('s', 'best', 'at', 'out[i]', 'out[i * m + j]', 'acc', 'i', 'v', 'd[i]', 'rows[i][j]'),
        fc.constantFrom('=', '+=', '-=', '*=', '/=', '|='),
        exprArb,
      )
      .map(([l, op, e]) => `${l} ${op} ${e};`),
    fc
      .tuple(
        fc.constantFrom('ob.set', 'acc.push', 'row.push', 'out.fill', 'console.log', 'f'),
        fc.array(exprArb, { maxLength: 3 }),
      )
      .map(([fn, args]) => `${fn}(${args.join(', ')});`),
    fc
      .tuple(
        fc.constantFrom('i', 'j', 'l'),
        fc.constantFrom('0', '1'),
        fc.constantFrom('<', '<=', '>'),
        exprArb,
        fc.constantFrom('++', '--', ' += 1', ' += 2'),
        tie('block'),
      )
      .map(([v, lo, cmp, hi, step, body]) => `for (let ${v} = ${lo}; ${v} ${cmp} ${hi}; ${v}${step}) ${body}`),
    fc
      .tuple(
        fc.constantFrom('row', 'v', 'r'),
        fc.constantFrom('rows', 'd', 'row', 'x.arraySync()', 'acc', 'buf'),
        tie('block'),
      )
      .map(([v, it, body]) => `for (const ${v} of ${it}) ${body}`),
    fc
      .tuple(exprArb, tie('block'), fc.option(tie('block'), { nil: undefined }))
      .map(([c, a, b]) => `if (${c}) ${a}${b ? ` else ${b}` : ''}`),
    fc.constantFrom('break;', 'continue;', 'return out;', 'return;', 's++;', ';'),
    fc.tuple(exprArb, tie('block')).map(([c, body]) => `while (${c}) ${body}`),
  ),
  block: fc.array(tie('stmt'), { maxLength: 3 }).map((ss) => `{ ${ss.join(' ')} }`),
})).stmt;

const PRELUDES = [
  `const [n, m] = x.shape;
  const d = x.dataSync();
  const rows = x.arraySync();
  const buf = x.bufferSync();
  const wv = w.dataSync();
  const out = new Float32Array(n * m);
  const ob = tf.buffer([n, m]);
  const acc: number[] = [];
  let s = 0;`,
  `const d = await x.data();
  const n = x.shape[0];
  const m = d.length / n;
  const out = new Float32Array(n);
  let s = 0;`,
  `const rows = await x.array();
  const out: number[][] = [];
  let best = -Infinity;
  let at = 0;`,
];

interface RandomProgram {
  text: string;
  [fc.toStringMethod](): string;
}
const randomProgramArb: fc.Arbitrary<RandomProgram> = fc
  .tuple(
    fc.nat(PRELUDES.length - 1),
    fc.array(stmtArb, { minLength: 1, maxLength: 5 }),
    fc.constantFrom('tf.tensor(out, [n, m])', 'tf.tensor1d(out)', 'tf.scalar(s)', 'ob.toTensor()', 's'),
  )
  .map(([p, stmts, ret]) => {
    const text = `${HEAD}\nexport async function run(x: tf.Tensor2D, w: tf.Tensor1D) {\n  ${PRELUDES[p]}\n  ${stmts.join('\n  ')}\n  return ${ret};\n}\n`;
    return { text, [fc.toStringMethod]: () => `\n${text}` };
  });

// ───────────────────────────── the properties ─────────────────────────────

describe('robustness: the rule never throws and its fixes keep the source parsable', () => {
  it('the unmutated seeds, as TypeScript (autofixes, then suggestions) and as JavaScript', { timeout: 120_000 }, () => {
    seedsTs.forEach((text) => check(text, 'seed.ts', 'auto'));
    seedsTs.forEach((text) => check(text, 'seed.ts', 'suggest'));
    seedsJs.forEach((text) => check(text, 'seed.js', 'auto'));
  });

  it(`mutated TF.js loop code, TypeScript (${RUNS} programs)`, { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        mutantArb(() => seedsTs),
        modeArb,
        (mutant, mode) => check(mutant.text, 'mutant.ts', mode),
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`mutated TF.js loop code, JavaScript with espree (${RUNS} programs)`, { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        mutantArb(() => seedsJs, espreeParses),
        modeArb,
        (mutant, mode) => check(mutant.text, 'mutant.js', mode),
      ),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it(
    `random programs from a statement grammar, TypeScript and JavaScript (${RUNS} programs)`,
    { timeout: 120_000 },
    () => {
      fc.assert(
        fc.property(randomProgramArb, modeArb, (program, mode) => {
          check(program.text, 'random.ts', mode);
          check(jsOf(program.text), 'random.js', mode);
        }),
        { seed: SEED + 2, numRuns: RUNS },
      );
    },
  );

  it('the inputs are not vacuous: most parse, and the rule reports and fixes some of them', () => {
    // Counted over all runs above (shrinking included when one failed).
    expect(stats.linted).toBeGreaterThan(stats.unparsable);
    expect(stats.reported).toBeGreaterThan(RUNS / 10);
    expect(stats.fixes).toBeGreaterThan(RUNS / 10);
    expect(stats.suggestions).toBeGreaterThan(RUNS / 10);
  });
});

afterAll(() => {
  console.log(
    `robustness: ${stats.linted} programs linted (${stats.unparsable} did not parse and were skipped), ${stats.reported} reported, ${stats.fixes} autofixes and ${stats.suggestions} suggestions applied and re-parsed`,
  );
});
