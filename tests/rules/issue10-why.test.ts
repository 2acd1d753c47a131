// Issue 10's "Why" on TF.js (cpu): each rewrite that was wrong before is now exact, or offered only where
// its difference is stated, and the code that changed training is never an autofix. Each case runs the
// original and the rewritten code and compares what they compute (in gradient code: the training step).
import * as tf from '@tensorflow/tfjs';
import tsParser from '@typescript-eslint/parser';
import * as espree from 'espree';
import { Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { applyFixes, executeModule, prepareTf, transpileFixture } from '../harness/fixture.js';
import { dedent } from './cases.js';

const linter = new Linter({ configType: 'flat' });

interface Finding {
  messageId: string | undefined;
  message: string;
  /** The code after this finding's autofix, if it has one. */
  fixed: string | undefined;
  suggestions: { desc: string; output: string }[];
}

function lint(code: string, filename = 'case.ts', options: unknown[] = []): Finding[] {
  const config = [
    {
      files: ['**/*.ts', '**/*.js'],
      languageOptions: filename.endsWith('.ts') ? { parser: tsParser } : { parser: espree },
      plugins: { vectorize: plugin as never },
      rules: { 'vectorize/no-element-loop': ['warn', ...options] },
    },
  ] as Linter.Config[];
  return linter
    .verify(code, config, filename)
    .filter((m) => m.ruleId === 'vectorize/no-element-loop')
    .map((m) => ({
      messageId: m.messageId,
      message: m.message,
      fixed: m.fix ? applyFixes(code, [m.fix]).output : undefined,
      suggestions: (m.suggestions ?? []).map((s) => ({ desc: s.desc, output: applyFixes(code, [s.fix]).output })),
    }));
}

let counter = 0;
function run(code: string, inputs: unknown[], filename = 'case.ts') {
  const ext = filename.endsWith('.js') ? 'js' : 'ts';
  return executeModule(transpileFixture(`// @ts-nocheck\n${code}`, `why-${++counter}.${ext}`), inputs, {
    label: `why-${counter}`,
  });
}

const data = (t: unknown) => Array.from((t as tf.Tensor).dataSync());

beforeAll(async () => {
  await prepareTf();
});

describe('gradient contexts: never an autofix; a suggestion only from ops with gradients', () => {
  const positive = dedent`
    import * as tf from '@tensorflow/tfjs';

    export function run(w: tf.Variable, x: tf.Tensor1D): number[] {
      const opt = tf.train.sgd(0.1);
      opt.minimize(() => {
        const d = w.dataSync();
        let pos = 0;
        for (let i = 0; i < d.length; i++) {
          pos += d[i] > 0 ? d[i] : 0;
        }
        return tf.add(tf.sum(tf.mul(w, x)), tf.scalar(pos)) as tf.Scalar;
      });
      return Array.from(w.dataSync());
    }
  `;

  it('a sum of the positive weights inside optimizer.minimize: the old rewrite threw, the suggestion trains', async () => {
    const [finding] = lint(positive);
    expect(finding.messageId).toBe('vectorizableInGradient');
    expect(finding.fixed).toBeUndefined();
    expect(finding.suggestions).toHaveLength(1);
    const suggested = finding.suggestions[0].output;
    // tf.greater has no gradient in TF.js 4.22: the comparison is tf.greaterEqual with the branches swapped.
    expect(suggested).not.toMatch(/\btf\.greater\(/);
    expect(suggested).toMatch(/tf\.greaterEqual\(0, w\)/);
    expect(finding.suggestions[0].desc).toMatch(/optimizer\.minimize differentiates/);
    expect(finding.suggestions[0].desc).toMatch(/NaN/);

    const inputs = () => [tf.variable(tf.tensor1d([-1, 0.5, 2, -3])), tf.tensor1d([1, 1, 1, 1])];
    const before = await run(positive, inputs());
    const after = await run(suggested, inputs());
    // One SGD step: the loop's value was a constant (gradient x = 1); on the tape it adds 1 where w > 0.
    expect(before.value).toEqual([-1.1, 0.4, 1.9, -3.1].map((v) => Math.fround(v)));
    expect(after.value).toEqual([-1.1, 0.3, 1.8, -3.1].map((v) => Math.fround(v)));
    // The rewrite the rule used to apply on its own throws in training.
    const old = suggested.replace(
      'tf.greaterEqual(0, w), tf.fill(w.shape, 0, w.dtype), w',
      'tf.greater(w, 0), w, tf.fill(w.shape, 0, w.dtype)',
    );
    expect(old).not.toBe(suggested);
    await expect(run(old, inputs())).rejects.toThrow(/gradient function not found for Greater/);
  });

  it('an L2 term read with dataSync() inside tf.variableGrads: no autofix, the suggestion says the gradients change', async () => {
    const code = dedent`
      import * as tf from '@tensorflow/tfjs';

      export function run(w: tf.Variable, x: tf.Tensor1D): number[] {
        const { value, grads } = tf.variableGrads(() => {
          const d = w.dataSync();
          let l2 = 0;
          for (let i = 0; i < d.length; i++) l2 += d[i] * d[i];
          return tf.add(tf.sum(tf.mul(w, x)), tf.scalar(0.01 * l2)) as tf.Scalar;
        }, [w]);
        return [value.dataSync()[0], ...Array.from(grads[w.name].dataSync())];
      }
    `;
    const [finding] = lint(code);
    expect(finding.fixed).toBeUndefined();
    expect(finding.suggestions[0].desc).toMatch(/tf\.variableGrads differentiates.*the gradients change/);
    const inputs = () => [tf.variable(tf.tensor1d([1, -2, 3])), tf.tensor1d([1, 1, 1])];
    const before = (await run(code, inputs())).value as number[];
    const after = (await run(finding.suggestions[0].output, inputs())).value as number[];
    // Same loss; the gradient gains 2λw = 0.02·w, which is why --fix must not make this change.
    expect(after[0]).toBeCloseTo(before[0], 5);
    expect(before.slice(1)).toEqual([1, 1, 1]);
    after.slice(1).forEach((g, k) => expect(g).toBeCloseTo(1 + 0.02 * [1, -2, 3][k], 5));
  });

  it('a loop in a helper called from the differentiated function is not autofixed either', () => {
    const code = dedent`
      import * as tf from '@tensorflow/tfjs';

      function penalty(w: tf.Tensor1D): tf.Scalar {
        const d = w.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += Math.abs(d[i]);
        return tf.scalar(s);
      }

      export function step(w: tf.Variable): void {
        tf.train.adam(0.01).minimize(() => tf.add(tf.sum(w), penalty(w)) as tf.Scalar);
      }
    `;
    const [finding] = lint(code);
    expect(finding.messageId).toBe('vectorizableInGradient');
    expect(finding.fixed).toBeUndefined();
    // The same loop outside any gradient is an autofix.
    const outside = lint(code.replace(/export function step[\s\S]*$/, 'export const p = penalty;\n'));
    expect(outside[0].fixed).toBeDefined();
  });
});

describe('dtypes: the result has the sink dtype, computed as the loop computes', () => {
  it('int32 row sums written into a Float32Array stay float32 (a later tf.div is not a floor division)', async () => {
    const code = dedent`
      import * as tf from '@tensorflow/tfjs';

      export function run(x: tf.Tensor2D, counts: tf.Tensor1D): tf.Tensor {
        const d = x.dataSync();
        const [n, m] = x.shape;
        const sums = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          sums[i] = s;
        }
        return tf.div(tf.tensor1d(sums), counts);
      }
    `;
    const [finding] = lint(code);
    expect(finding.fixed).toBeDefined();
    const inputs = () => [
      tf.tensor2d(
        [
          [20, 21],
          [3, 4],
        ],
        [2, 2],
        'int32',
      ),
      tf.tensor1d([2, 2], 'int32'),
    ];
    const before = await run(code, inputs());
    const after = await run(finding.fixed!, inputs());
    expect(data(before.value)).toEqual([20.5, 3.5]);
    expect(data(after.value)).toEqual([20.5, 3.5]);
    expect((after.value as tf.Tensor).dtype).toBe('float32');
  });

  it('a truncating division of int32 data neither floors the quotient nor calls tf.floor on int32', async () => {
    const code = dedent`
      import * as tf from '@tensorflow/tfjs';

      export function run(a: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor1D {
        const x = a.dataSync();
        const y = b.dataSync();
        const out = new Float32Array(x.length);
        for (let i = 0; i < x.length; i++) out[i] = Math.trunc(x[i] / y[i]) + Math.floor(x[i]);
        return tf.tensor1d(out);
      }
    `;
    const [finding] = lint(code);
    const rewritten = finding.fixed ?? finding.suggestions[0]?.output;
    expect(rewritten).toBeDefined();
    const inputs = () => [tf.tensor1d([-7, 7, 9], 'int32'), tf.tensor1d([2, 2, -4], 'int32')];
    const before = await run(code, inputs());
    const after = await run(rewritten, inputs());
    expect(data(before.value)).toEqual([-10, 10, 7]);
    expect(data(after.value)).toEqual(data(before.value));
  });
});

describe('ranks: never from a shape destructuring that may take a prefix', () => {
  it('`const [h, w] = rgb.shape` of an [h, w, 3] image: no rewrite reads rgb as rank 2', async () => {
    const code = dedent`
      import * as tf from '@tensorflow/tfjs';

      export function run(rgb) {
        const px = rgb.dataSync();
        const [h, w] = rgb.shape;
        const out = new Float32Array(h * w);
        for (let i = 0; i < h * w; i++) {
          out[i] = 0.299 * px[i * 3] + 0.587 * px[i * 3 + 1] + 0.114 * px[i * 3 + 2];
        }
        return tf.tensor2d(out, [h, w]);
      }
    `;
    const image = () => [
      tf.tensor3d(
        Array.from({ length: 2 * 3 * 3 }, (_, k) => k),
        [2, 3, 3],
      ),
    ];
    const before = await run(code, image(), 'case.js');
    // Every rewrite the rule offers (autofix or suggestion, under any assumption but `rank`) agrees.
    const assumeAllButRank = [{ assume: ['in-bounds', 'non-empty', 'float32-sums', 'same-shape', 'no-nan'] }];
    for (const finding of lint(code, 'case.js', assumeAllButRank)) {
      for (const rewritten of [finding.fixed, ...finding.suggestions.map((s) => s.output)]) {
        if (!rewritten) continue;
        const after = await run(rewritten, image(), 'case.js');
        expect(data(after.value)).toEqual(data(before.value));
      }
    }
  });
});
