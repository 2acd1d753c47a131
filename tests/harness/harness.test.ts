// Self-tests of the fixture harness: its checks must catch wrong, leaky, unparsable and
// non-converging fixes, whatever the rule currently does. Hand-written "fixed" versions stand in
// for the rule's output here.
import type { Rule } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  applyFixes,
  buildInputs,
  checkExecution,
  compareResults,
  DEFAULT_TOLERANCE,
  executeModule,
  lintFixture,
  mulberry32,
  parseHeader,
  prepareTf,
  transpileFixture,
  typecheckSources,
} from './fixture.js';

beforeAll(async () => {
  await prepareTf();
});

const ROW_SUM_LOOP = `
import * as tf from '@tensorflow/tfjs';
export function run(x: tf.Tensor2D): tf.Tensor1D {
  const [n, m] = x.shape;
  const d = x.dataSync();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += d[i * m + j];
    out[i] = s;
  }
  return tf.tensor1d(out);
}
`;
const withBody = (body: string) =>
  `import * as tf from '@tensorflow/tfjs';\nexport function run(x: tf.Tensor2D): tf.Tensor1D {\n  ${body}\n}\n`;
const ROW_SUM_OP = withBody('return tf.sum(x, 1) as tf.Tensor1D;');
const COLUMN_SUM = withBody('return tf.sum(x, 0) as tf.Tensor1D;');
const ROW_MEAN = withBody('return tf.mean(x, 1) as tf.Tensor1D;');
const LEAKY = withBody('const y = tf.mul(x, 1);\n  return tf.sum(y, 1) as tf.Tensor1D;');
// The row sums through a [n, m, 8] broadcast: the same numbers, 8 times the input's memory on the way.
const BLOATED = withBody(
  'return tf.tidy(() => tf.div(tf.sum(tf.sum(tf.mul(tf.expandDims(x, 2), tf.ones([1, 1, 8])), 2), 1), 8)) as tf.Tensor1D;',
);

const js = (ts: string) => transpileFixture(ts, 'sample.ts');
const sampleInputs = () => buildInputs([{ kind: 'tensor', name: 'x', dtype: 'float32', shape: [6, 5] }], 7);

describe('parseHeader', () => {
  it('reads inputs, expectation, tolerance and seed', () => {
    const header = parseHeader(
      [
        '// @inputs x: float32[6, 5], w: float32[5], labels: int32[6] < 5, k: number = 3',
        '// @inputs x: float32[2, 2] = [1, NaN, -Infinity, 0.5], w: float32[], labels: int32[0], k: number = -1.5',
        '// @expect suggest',
        '// a free comment line',
        '// @tolerance 1e-2 1e-4',
        '// @seed 42',
        "import * as tf from '@tensorflow/tfjs';",
      ].join('\n'),
    );
    expect(header.expect).toBe('suggest');
    expect(header.tolerance).toEqual({ atol: 1e-2, rtol: 1e-4 });
    expect(header.seed).toBe(42);
    expect(header.inputSets).toEqual([
      [
        { kind: 'tensor', name: 'x', dtype: 'float32', shape: [6, 5] },
        { kind: 'tensor', name: 'w', dtype: 'float32', shape: [5] },
        { kind: 'tensor', name: 'labels', dtype: 'int32', shape: [6], below: 5 },
        { kind: 'number', name: 'k', value: 3 },
      ],
      [
        { kind: 'tensor', name: 'x', dtype: 'float32', shape: [2, 2], values: [1, NaN, -Infinity, 0.5] },
        { kind: 'tensor', name: 'w', dtype: 'float32', shape: [] },
        { kind: 'tensor', name: 'labels', dtype: 'int32', shape: [0] },
        { kind: 'number', name: 'k', value: -1.5 },
      ],
    ]);
  });

  it('defaults: one empty input set, the default tolerance and seed', () => {
    const header = parseHeader('// @expect none\nexport const run = () => 1;\n');
    expect(header.inputSets).toEqual([[]]);
    expect(header.tolerance).toEqual(DEFAULT_TOLERANCE);
    expect(parseHeader('// @expect fix\n// @tolerance 0.5\n').tolerance).toEqual({ atol: 0.5, rtol: 0.5 });
  });

  it('reads @differs input sets of a suggestion', () => {
    const header = parseHeader('// @inputs x: float32[2]\n// @differs x: float32[2] = [NaN, 1]\n// @expect suggest\n');
    expect(header.inputSets).toHaveLength(1);
    expect(header.differSets).toHaveLength(1);
    expect(header.differSets![0][0]).toMatchObject({ name: 'x', shape: [2], values: [NaN, 1] });
  });

  it.each([
    ['// @inputs x: float32[6]\n', /missing '\/\/ @expect/],
    ['// @expect maybe\n', /@expect must be one of/],
    ['// @expect fix\n// @expect none\n', /given twice/],
    ['// @expect fix\n// @input x: float32[3]\n', /unknown directive @input/],
    ['// @expect fix\n// @inputs x: float64[3]\n', /cannot read input/],
    ['// @expect fix\n// @inputs x: float32[2, n]\n', /dims must be non-negative integers/],
    ['// @expect fix\n// @inputs x: float32[3] = [1, 2]\n', /2 values for shape \[3\]/],
    ['// @expect fix\n// @inputs i: int32[3] < 2.5\n', /positive bound/],
    ['// @expect fix\n// @inputs x: float32[3], x: float32[3]\n', /declared twice/],
    ['// @expect fix\nconst a = 1;\n// @tolerance 1\n', /must be in the comment header/],
    ['// @expect report\n// @differs x: float32[2]\n', /@differs needs '@expect fix' or '@expect suggest'/],
    ['// @expect fix\n// @gradient\n', /@gradient needs '@expect suggest'/],
  ])('rejects %j', (source, error) => {
    expect(() => parseHeader(source)).toThrow(error);
  });
});

describe('inputs', () => {
  it('mulberry32 is deterministic and uniform-ish in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
  });

  it('builds seeded tensors: floats in [-2, 2], bounded ints, fixed values, plain numbers', () => {
    const specs = parseHeader(
      '// @inputs x: float32[40, 5], l: int32[200] < 5, f: float32[3] = [1, NaN, 2], b: bool[4], k: number = 3\n// @expect none\n',
    ).inputSets[0];
    const [x, l, f, b, k] = buildInputs(specs, 1) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, number];
    const xs = Array.from(x.dataSync());
    expect(x.shape).toEqual([40, 5]);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...xs)).toBeLessThanOrEqual(2);
    expect(Math.min(...xs)).toBeLessThan(-1.5);
    expect(l.dtype).toBe('int32');
    expect(new Set(l.dataSync())).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(Array.from(f.dataSync())).toEqual([1, NaN, 2]);
    expect(b.dtype).toBe('bool');
    expect(k).toBe(3);
    const again = buildInputs(specs, 1)[0] as tf.Tensor;
    expect(Array.from(again.dataSync())).toEqual(xs);
    tf.dispose([x, l, f, b, again]);
  });
});

describe('executeModule and compareResults', () => {
  it('a hand-written row-sum loop and tf.sum(x, 1) agree', async () => {
    const [x] = sampleInputs();
    const loop = await executeModule(js(ROW_SUM_LOOP), [x]);
    const op = await executeModule(js(ROW_SUM_OP), [x]);
    const cmp = await compareResults(loop.value, op.value);
    expect(cmp).toMatchObject({ ok: true, message: '', compared: 6 });
    expect(cmp.maxAbsError).toBeLessThan(1e-5);
    expect(loop).toMatchObject({ leaked: 0, returnedTensors: 1 });
    expect(op).toMatchObject({ leaked: 0, returnedTensors: 1 });
    tf.dispose([x, loop.value as tf.Tensor, op.value as tf.Tensor]);
  });

  it('tf.sum(x, 0) is a shape mismatch', async () => {
    const [x] = sampleInputs();
    const loop = await executeModule(js(ROW_SUM_LOOP), [x]);
    const wrong = await executeModule(js(COLUMN_SUM), [x]);
    const cmp = await compareResults(loop.value, wrong.value);
    expect(cmp.ok).toBe(false);
    expect(cmp.message).toBe(
      'result: shape differs: expected [6], got [5] (a float32 tensor of shape [6] vs a float32 tensor of shape [5])',
    );
    tf.dispose([x, loop.value as tf.Tensor, wrong.value as tf.Tensor]);
  });

  it('tf.mean(x, 1) is a value mismatch naming the first index, both values and the max error', async () => {
    const [x] = sampleInputs();
    const loop = await executeModule(js(ROW_SUM_LOOP), [x]);
    const wrong = await executeModule(js(ROW_MEAN), [x]);
    const expected = Array.from((loop.value as tf.Tensor).dataSync());
    const actual = Array.from((wrong.value as tf.Tensor).dataSync());
    const errors = expected.map((e, i) => Math.abs(actual[i] - e));
    const first = errors.findIndex((err, i) => err > 1e-3 + 1e-3 * Math.abs(expected[i]));
    const cmp = await compareResults(loop.value, wrong.value);
    expect(cmp.ok).toBe(false);
    expect(cmp.maxAbsError).toBe(Math.max(...errors));
    expect(cmp.message).toContain(`first at flat index ${first}: expected ${expected[first]}, got ${actual[first]}`);
    expect(cmp.message).toContain(
      `max abs error ${Math.max(...errors)} at flat index ${errors.indexOf(Math.max(...errors))}`,
    );
    tf.dispose([x, loop.value as tf.Tensor, wrong.value as tf.Tensor]);
  });

  it('compares int32 / bool tensors and integer typed arrays exactly, floats within the tolerance', async () => {
    const big = tf.tensor1d([1000000, 5], 'int32');
    const offByOne = tf.tensor1d([1000001, 5], 'int32');
    // 1 in 10⁶ is inside 1e-3 + 1e-3·|expected| for floats, but an int32 off by one is a real difference.
    expect((await compareResults(big, offByOne)).message).toBe(
      'result: 1 of 2 values differ (tolerance 0.001 + 0.001·|expected|); first at flat index 0: expected 1000000, got 1000001 (abs error 1, allowed 0 for int32); max abs error 1 at flat index 0',
    );
    expect((await compareResults(Int32Array.from([7]), Int32Array.from([8]))).ok).toBe(false);
    expect((await compareResults(tf.tensor1d([1000000]), tf.tensor1d([1000001]))).ok).toBe(true);
    expect((await compareResults(Float32Array.from([1000000]), Float32Array.from([1000001]))).ok).toBe(true);
    tf.dispose([big, offByOne]);
  });

  it('counts tensors a module leaves behind', async () => {
    const [x] = sampleInputs();
    const leaky = await executeModule(js(LEAKY), [x]);
    expect(leaky).toMatchObject({ leaked: 1, returnedTensors: 1 });
    // Returning an input is not a new tensor; disposing one counts back.
    const identity = await executeModule('export const run = (x) => x;', [x]);
    expect(identity).toMatchObject({ leaked: 0, returnedTensors: 0 });
    const [y] = sampleInputs();
    const disposer = await executeModule('export const run = (y) => { y.dispose(); return 1; };', [y]);
    expect(disposer.leaked).toBe(0);
    tf.dispose([x, leaky.value as tf.Tensor]);
  });

  it('awaits async run and reports a throwing run', async () => {
    const result = await executeModule(
      'export async function run(a, b) { await null; return [a + b, [1, 2]]; }',
      [1, 2],
    );
    expect(result.value).toEqual([3, [1, 2]]);
    await expect(executeModule('export function run() { throw new Error("boom"); }', [])).rejects.toThrow('boom');
    await expect(executeModule('export const other = 1;', [])).rejects.toThrow("does not export a function 'run'");
  });
});

describe('compareResults', () => {
  it('applies atol + rtol·|expected|', async () => {
    expect((await compareResults(1000, 1000.9)).ok).toBe(true); // allowed: 1e-3 + 1e-3 · 1000 = 1.001
    expect((await compareResults(1000, 1001.1)).ok).toBe(false);
    expect((await compareResults(0, 0.0009)).ok).toBe(true);
    expect((await compareResults(0, 0.0011)).ok).toBe(false);
    expect((await compareResults(0, 0.05, { atol: 0.1, rtol: 0 })).ok).toBe(true);
  });

  it('NaN must meet NaN and ±Infinity itself, position by position', async () => {
    expect((await compareResults([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity])).ok).toBe(true);
    const swapped = await compareResults(new Float32Array([NaN, 1]), new Float32Array([1, NaN]));
    expect(swapped.message).toBe(
      'result: 2 of 2 values differ (tolerance 0.001 + 0.001·|expected|); first at flat index 0: expected NaN, got 1; max abs error 0',
    );
    expect((await compareResults([Infinity], [-Infinity])).ok).toBe(false);
    expect((await compareResults([Infinity], [1e300])).ok).toBe(false);
  });

  it('tensors: dtype, shape and values; multi-index in messages', async () => {
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const b = tf.tensor2d([1, 2, 3, 5], [2, 2]);
    const c = tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32');
    expect((await compareResults(a, a)).ok).toBe(true);
    expect((await compareResults(a, b)).message).toContain('first at flat index 3 (index [1, 1]): expected 4, got 5');
    expect((await compareResults(a, c)).message).toBe(
      'result: expected a float32 tensor of shape [2, 2], got a int32 tensor of shape [2, 2]',
    );
    tf.dispose([a, b, c]);
  });

  it('structure: kinds must match, arrays and objects are walked', async () => {
    const t = tf.scalar(1);
    expect((await compareResults(t, 1)).message).toBe('result: expected a float32 tensor of shape [], got a number');
    expect((await compareResults([1, 2], new Float32Array([1, 2]))).ok).toBe(false);
    expect(
      (
        await compareResults(
          [
            [1, 2],
            [3, 4],
          ],
          [
            [1, 2],
            [3, 4.5],
          ],
        )
      ).message,
    ).toContain('(index [1, 1])');
    expect((await compareResults({ loss: 1, acc: [t] }, { loss: 1, acc: [t] })).ok).toBe(true);
    expect((await compareResults([t, 2], [t, 3])).message).toMatch(/^result\[1\]: 1 of 1 values differ/);
    expect((await compareResults({ loss: 1 }, { cost: 1 })).ok).toBe(false);
    expect((await compareResults(undefined, undefined)).ok).toBe(true);
    t.dispose();
  });
});

describe('checkExecution', () => {
  const header = parseHeader('// @inputs x: float32[6, 5]\n// @inputs x: float32[2, 0]\n// @expect fix\n');

  it('passes a correct hand-made fix', async () => {
    const before = tf.memory().numTensors;
    expect(await checkExecution(ROW_SUM_LOOP, ROW_SUM_OP, header, 'row-sum.ts')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports a fix whose largest tensor is over 4 × its inputs and result, unless the rule named the memory', async () => {
    const one = parseHeader('// @inputs x: float32[6, 5]\n// @expect fix\n');
    expect(await checkExecution(ROW_SUM_LOOP, BLOATED, one, 'row-sum.ts', false)).toEqual([
      "input set 1 (x: float32[6, 5]): the fixed version makes a tensor of 240 values, more than 4 × the larger of its inputs and its result (30), and the rule's messages do not say so",
    ]);
    expect(await checkExecution(ROW_SUM_LOOP, BLOATED, one, 'row-sum.ts', true)).toEqual([]);
    expect(await checkExecution(ROW_SUM_LOOP, ROW_SUM_OP, one, 'row-sum.ts', false)).toEqual([]);
  });

  it('reports a wrong fix per input set, and a leaking one', async () => {
    const wrong = await checkExecution(ROW_SUM_LOOP, ROW_MEAN, header, 'row-sum.ts');
    // Only the first set differs: over an empty axis TF.js's mean is 0 (not NaN), like the sum.
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatch(/^input set 1 \(x: float32\[6, 5\]\): the fixed version's result differs/);
    const leaky = await checkExecution(ROW_SUM_LOOP, LEAKY, header, 'row-sum.ts');
    expect(leaky).toEqual([
      'input set 1 (x: float32[6, 5]): the fixed version leaks tensors: it leaves 1 tensor(s) alive besides its result, the original 0',
      'input set 2 (x: float32[2, 0]): the fixed version leaks tensors: it leaves 1 tensor(s) alive besides its result, the original 0',
    ]);
  });

  it('reports a throwing fixed version and an original that does not transpile', async () => {
    const thrown = await checkExecution(
      ROW_SUM_LOOP,
      withBody('return tf.sum(x, 2) as tf.Tensor1D;'),
      header,
      'row-sum.ts',
    );
    expect(thrown[0]).toMatch(/^input set 1 \(x: float32\[6, 5\]\): the fixed version threw: Error: .*axis/i);
    expect(await checkExecution('export function run( {', undefined, header, 'bad.ts')).toEqual([
      expect.stringMatching(/^the original does not transpile/),
    ]);
  });
});

describe('typecheckSources', () => {
  it('type-checks in-memory files against the real TF.js types, one program for all', () => {
    const result = typecheckSources({
      'tests/.tmp/typecheck/self-test/ok.ts': ROW_SUM_OP,
      'tests/.tmp/typecheck/self-test/bad.ts': withBody(
        'const rows: string = x.shape[0];\n  return tf.sum(x, 1) as tf.Tensor1D;',
      ),
      'tests/.tmp/typecheck/self-test/dead.ts': withBody(
        'const d = x.dataSync();\n  return tf.sum(x, 1) as tf.Tensor1D;',
      ),
    });
    expect(result['tests/.tmp/typecheck/self-test/ok.ts']).toEqual({ errors: [], unused: [] });
    expect(result['tests/.tmp/typecheck/self-test/bad.ts'].errors).toEqual([
      "3:9 TS2322 Type 'number' is not assignable to type 'string'.",
    ]);
    expect(result['tests/.tmp/typecheck/self-test/dead.ts']).toEqual({
      errors: [],
      unused: ["3:9 TS6133 'd' is declared but its value is never read."],
    });
  });
});

describe('lintFixture', () => {
  // Stand-in rules with known behaviour, judged instead of vectorize/no-element-loop.
  const rule = (
    fix: (text: string) => { range: [number, number]; text: string } | undefined,
    asSuggestion = false,
  ): Rule.RuleModule => ({
    meta: { fixable: 'code', hasSuggestions: true, messages: { m: 'found' }, schema: [] },
    create(context) {
      return {
        Program(node) {
          const edit = fix(context.sourceCode.text);
          if (!edit) return;
          const f = (fixer: Rule.RuleFixer) => fixer.replaceTextRange(edit.range, edit.text);
          context.report(
            asSuggestion
              ? { node, messageId: 'm', suggest: [{ messageId: 'm', fix: f }] }
              : { node, messageId: 'm', fix: f },
          );
        },
      };
    },
  });
  const withRule = (r: Rule.RuleModule) => ({
    ruleId: 'self/test',
    extraConfig: [{ plugins: { self: { rules: { test: r } } }, rules: { 'self/test': 'warn' as const } }],
  });
  const once = (from: string, to: string) => (text: string) =>
    text.includes(from)
      ? { range: [text.indexOf(from), text.indexOf(from) + from.length] as [number, number], text: to }
      : undefined;

  it('none: passes without reports; fix/suggest/report fail with a message saying what was missing', async () => {
    const source = 'export const run = () => 1;\n';
    expect((await lintFixture(source, 'sample.ts', 'none')).problems).toEqual([]);
    expect((await lintFixture(source, 'sample.ts', 'fix')).problems).toEqual([
      'expected the rule to report with an autofix, but it reported nothing',
    ]);
    expect((await lintFixture(source, 'sample.ts', 'report')).problems).toEqual([
      'expected the rule to report without a fix or suggestion, but it reported nothing',
    ]);
  });

  it('applies an autofix and checks the expectation against it', async () => {
    const options = withRule(rule(once('1 + 1', '2')));
    const outcome = await lintFixture('export const run = () => 1 + 1;\n', 'sample.ts', 'fix', options);
    expect(outcome).toMatchObject({
      observed: 'fix',
      applied: 'fix',
      output: 'export const run = () => 2;\n',
      problems: [],
    });
    const asReport = await lintFixture('export const run = () => 1 + 1;\n', 'sample.js', 'report', options);
    expect(asReport.problems).toEqual([
      expect.stringMatching(
        /^expected every report to carry neither autofix nor suggestion, but:\n {2}1:1 m \[autofix\]: found/,
      ),
    ]);
  });

  it('applies first suggestions until none is left', async () => {
    const options = withRule(rule(once('1 + 1', '2'), true));
    const outcome = await lintFixture('export const run = () => [1 + 1, 1 + 1];\n', 'sample.ts', 'suggest', options);
    expect(outcome).toMatchObject({
      observed: 'suggest',
      applied: 'suggest',
      output: 'export const run = () => [2, 2];\n',
      problems: [],
    });
  });

  it('catches a fix that breaks the syntax, one that changes nothing, and one that never converges', async () => {
    const broken = await lintFixture(
      'export const run = () => 1 + 1;\n',
      'sample.ts',
      'fix',
      withRule(rule(once('1 + 1', '1 +'))),
    );
    expect(broken.problems).toEqual([expect.stringMatching(/^the autofix output does not parse: 1:\d+ Parsing error/)]);
    const noop = await lintFixture(
      'export const run = () => 1 + 1;\n',
      'sample.ts',
      'fix',
      withRule(rule(once('1 + 1', '1 + 1'))),
    );
    expect(noop.problems).toContain('the autofix leaves the source unchanged');
    const growing = await lintFixture(
      'export const run = () => 1;\n',
      'sample.ts',
      'fix',
      withRule(rule((t) => ({ range: [t.length, t.length], text: '\n' }))),
    );
    expect(growing.problems).toEqual([
      expect.stringMatching(/^the autofix does not converge in one pass/),
      expect.stringMatching(/^the autofix does not converge: after --fix, 1 autofix\(es\) are still offered/),
    ]);
    const endless = await lintFixture(
      'export const run = () => 1;\n',
      'sample.ts',
      'suggest',
      withRule(rule((t) => ({ range: [t.length, t.length], text: '\n' }), true)),
    );
    expect(endless.problems).toEqual([
      expect.stringMatching(/^suggestions do not converge: still offered after 20 passes/),
    ]);
  });

  it('reports an original that does not parse', async () => {
    expect((await lintFixture('export const run = (;\n', 'sample.ts', 'none')).problems).toEqual([
      expect.stringMatching(/^the original does not parse: 1:\d+ Parsing error/),
    ]);
  });
});

describe('applyFixes', () => {
  it('applies in order and skips edits that overlap or touch an applied one, as ESLint does', () => {
    expect(
      applyFixes('abcdef', [
        { range: [4, 5], text: 'E' },
        { range: [0, 1], text: 'A' },
      ]),
    ).toEqual({ output: 'AbcdEf', applied: 2, skipped: 0 });
    expect(
      applyFixes('abcdef', [
        { range: [0, 3], text: 'X' },
        { range: [2, 4], text: 'Y' },
        { range: [3, 4], text: 'Z' },
      ]),
    ).toEqual({ output: 'Xdef', applied: 1, skipped: 2 });
  });
});
