// settings.vectorize.tfjsModules for vectorize/no-element-loop and vectorize/no-gradient-break (issue 11): a
// project that reaches TF.js through a module of its own (`import * as tf from '../backend/adapter'`, a vendored
// `dist/tfjs.esm.js`) has its loops looked at only when the setting names that module; the rewrite then calls
// the ops through the project's binding, as the file already does.
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import elementLoop from '../../src/rules/no-element-loop.js';
import gradientBreak from '../../src/rules/no-gradient-break.js';
import type { TestedRule } from './cases.js';
import type { TestedRule as TestedGradientRule } from './no-gradient-break.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();

const ROW_SUMS = (from: string) => `import * as tf from '${from}';

export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
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
const FIXED = (from: string) => `import * as tf from '${from}';

export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as tf.Tensor1D;
}
`;
const settings = { vectorize: { tfjsModules: ['../backend/adapter', '**/tfjs.esm.js'] } };
const rowSumError = {
  messageId: 'vectorizable' as const,
  data: { what: 'the sum over each row of `x`', replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))` },
};

ruleTester.run('no-element-loop with tfjsModules', elementLoop as unknown as TestedRule, {
  valid: [
    // Without the setting, a project module is not TF.js: nothing is reported.
    { name: 'a re-exporting module the setting does not name', code: ROW_SUMS('../backend/adapter') },
    { name: 'another module than the one named', code: ROW_SUMS('../backend/other'), settings },
  ],
  invalid: [
    {
      name: 'import * as tf from the module the setting names',
      code: ROW_SUMS('../backend/adapter'),
      settings,
      output: FIXED('../backend/adapter'),
      errors: [rowSumError],
    },
    {
      name: 'a vendored bundle matched by a glob',
      code: ROW_SUMS('../../dist/tfjs.esm.js'),
      settings,
      output: FIXED('../../dist/tfjs.esm.js'),
      errors: [rowSumError],
    },
  ],
});

const GRAD = (from: string) => `import * as tf from '${from}';

export function step(w: tf.Variable, x: tf.Tensor1D) {
  const opt = tf.train.sgd(0.1);
  opt.minimize(() => {
    const d = w.dataSync();
    return tf.sum(tf.mul(tf.tensor1d(Array.from(d)), x)) as tf.Scalar;
  });
}
`;

ruleTester.run('no-gradient-break with tfjsModules', gradientBreak as unknown as TestedGradientRule, {
  valid: [{ name: 'a re-exporting module the setting does not name', code: GRAD('../backend/adapter') }],
  invalid: [
    {
      name: 'a read-back in minimize through the module the setting names',
      code: GRAD('../backend/adapter'),
      settings,
      errors: [{ messageId: 'brokenGradient' }],
    },
  ],
});
