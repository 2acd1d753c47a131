// vectorize/no-element-loop on plain JavaScript with ESLint's default parser (espree, `file.js`): no
// type annotations to learn ranks from, no `as tf.Tensor1D` casts in the outputs, and the CommonJS
// `require` forms of the TF.js binding.
import { RuleTester, type InvalidTestCase, type ValidTestCase } from '@typescript-eslint/rule-tester';
import * as espree from 'espree';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-element-loop.js';
import { dedent, type MessageIds, type Options, type TestedRule } from './cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

// ESLint's own default parser in place of the tester's (typescript-eslint's). ESLint's defaults make
// `file.js` an ES module and `file.cjs` (the `require` cases) CommonJS.
const ruleTester = new RuleTester({
  defaultFilenames: { ts: 'file.js', tsx: 'file.jsx' },
  languageOptions: { parser: espree },
});

const valid: ValidTestCase<Options>[] = [
  {
    name: 'no TF.js import',
    code: dedent`
      export function rowSums(x) {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return out;
      }
    `,
  },
  {
    name: 'plain JS array sum',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(values) {
        let s = 0;
        for (let i = 0; i < values.length; i++) s += values[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'break in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function firstNegative(x) {
        const d = x.dataSync();
        let at = -1;
        for (let i = 0; i < d.length; i++) {
          if (d[i] < 0) {
            at = i;
            break;
          }
        }
        return at;
      }
    `,
  },
  {
    name: 'while loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x) {
        const d = x.dataSync();
        let s = 0;
        let i = 0;
        while (i < d.length) {
          s += d[i];
          i++;
        }
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'look-alike: .data() on a non-tensor (not awaited)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';
      import { fetchTable } from './table';

      export function doubled() {
        const table = fetchTable();
        const d = table.data();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] * 2;
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'look-alike: a local `sum` function',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function sum(xs) {
        let s = 0;
        for (let i = 0; i < xs.length; i++) s += xs[i];
        return s;
      }

      export function meanOf(values) {
        return tf.scalar(sum(values) / values.length);
      }
    `,
  },
  {
    name: 'Math.random',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function dropout(x, p) {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.random() < p ? 0 : d[i] / (1 - p);
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'step 2',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function evenSum(x) {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i += 2) s += d[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'generator with yield in the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function* values(x) {
        const d = x.dataSync();
        for (let i = 0; i < d.length; i++) yield d[i] * 2;
      }
    `,
  },
  {
    name: 'for (;;)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function spin(x) {
        const d = x.dataSync();
        for (;;) {
          if (d[0] > 0) break;
        }
        for (let i = 0; ; i++) if (d[i] > 0) break;
        for (let i = 0; i < d.length; ) i++;
      }
    `,
  },
  {
    name: 'callback loop: map over a non-tensor array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function lengths(words) {
        return tf.tensor1d(words.map((w) => w.length));
      }
    `,
  },
  {
    name: 'continue in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positiveSum(x) {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) {
          if (d[i] < 0) continue;
          s += d[i];
        }
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'last = d[i]',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function lastValue(x) {
        const d = x.dataSync();
        let last = 0;
        for (let i = 0; i < d.length; i++) last = d[i];
        return tf.scalar(last);
      }
    `,
  },
  {
    name: 'compaction push inside if',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positives(x) {
        const d = x.dataSync();
        const kept = [];
        for (let i = 0; i < d.length; i++) {
          if (d[i] > 0) kept.push(d[i]);
        }
        return tf.tensor1d(kept);
      }
    `,
  },
  {
    name: 'writes into an object',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function histogram(labels) {
        const d = labels.dataSync();
        const counts = {};
        for (let i = 0; i < d.length; i++) counts[d[i]] = (counts[d[i]] || 0) + 1;
        return counts;
      }
    `,
  },
  {
    name: 'console.log per element of an awaited .data()',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function dump(table) {
        const d = await table.data();
        for (let i = 0; i < d.length; i++) console.log(d[i]);
      }
    `,
  },
  {
    name: 'require of an unrelated module',
    code: dedent`
      const tf = require('./tf-helpers');

      function rowSums(x) {
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
      module.exports = { rowSums };
    `,
    filename: 'file.cjs',
  },
];

const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'row sum',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x) {
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
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
              caveat:
                'nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function rowSums(x) {
                return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'argmax from the first element',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits) {
        const [n, k] = logits.shape;
        const d = logits.dataSync();
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let best = d[i * k];
          let at = 0;
          for (let j = 1; j < k; j++) {
            if (d[i * k + j] > best) {
              best = d[i * k + j];
              at = j;
            }
          }
          out[i] = at;
        }
        return tf.tensor1d(out, 'int32');
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the argmax over each row of `logits`',
          replacement: 'tf.argMax(logits, 1)',
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: 'tf.argMax(logits, 1)',
              caveat:
                'nothing shows the rank of `logits`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function predict(logits) {
                return tf.argMax(logits, 1);
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'matrix product',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function matmul(a, b) {
        const [n, k] = a.shape;
        const m = b.shape[1];
        const ad = a.dataSync();
        const bd = b.dataSync();
        const out = new Float32Array(n * m);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += ad[i * k + p] * bd[p * m + j];
            out[i * m + j] = s;
          }
        }
        return tf.tensor2d(out, [n, m]);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 9,
        column: 3,
        data: {
          what: 'a matrix product of `a` and `b`',
          replacement: `tf.tidy(() => tf.cast(tf.matMul(a, b), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.matMul(a, b), 'float32'))`,
              caveat:
                'nothing shows the rank of `a`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op; nothing shows the rank of `b`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function matmul(a, b) {
                return tf.tidy(() => tf.cast(tf.matMul(a, b), 'float32'));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'nested push + tf.tensor2d',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function squares(x) {
        const a = x.arraySync();
        const out = [];
        for (let i = 0; i < a.length; i++) {
          const row = [];
          for (let j = 0; j < a[i].length; j++) row.push(a[i][j] * a[i][j]);
          out.push(row);
        }
        return tf.tensor2d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise square of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.square(x), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.square(x), 'float32'))`,
              caveat:
                "nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op; for a tensor with no elements `x.arraySync()` gives `[]` whatever the shape, so where a dimension is 0 the loop's result has another shape than the op's",
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function squares(x) {
                return tf.tidy(() => tf.cast(tf.square(x), 'float32'));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'tf.buffer + set + toTensor',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x) {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const buf = tf.buffer([n, m]);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) buf.set(2 * d[i * m + j], i, j);
        }
        return buf.toTensor();
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'an element-wise expression of `x`',
          replacement: 'tf.mul(2, x)',
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: 'tf.mul(2, x)',
              caveat:
                'nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function doubled(x) {
                return tf.mul(2, x);
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'await x.data()',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function rowSums(x) {
        const [n, m] = x.shape;
        const d = await x.data();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tf.tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
              caveat:
                'nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function rowSums(x) {
                return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'if/else → tf.where',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function leaky(x) {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) {
          if (d[i] > 0) out[i] = d[i];
          else out[i] = 0.1 * d[i];
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function leaky(x) {
        return tf.tidy(() => tf.where(tf.greater(tf.reshape(x, [-1]), 0), tf.cast(tf.reshape(x, [-1]), 'float32'), tf.mul(0.1, tf.reshape(x, [-1]))));
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: {
          what: 'a per-element conditional of `x`',
          replacement:
            "tf.tidy(() => tf.where(tf.greater(tf.reshape(x, [-1]), 0), tf.cast(tf.reshape(x, [-1]), 'float32'), tf.mul(0.1, tf.resh…",
        },
      },
    ],
  },
  {
    name: 'prefix sum',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function runningTotal(x) {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        let s = 0;
        for (let i = 0; i < d.length; i++) {
          s += d[i];
          out[i] = s;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function runningTotal(x) {
        return tf.tidy(() => tf.cast(tf.cumsum(tf.reshape(x, [-1]), 0), 'float32'));
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'a prefix sum of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.cumsum(tf.reshape(x, [-1]), 0), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'named imports: adds the missing ops',
    code: dedent`
      import { tensor1d } from '@tensorflow/tfjs';

      export function softplus(x) {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.log(1 + Math.exp(d[i]));
        return tensor1d(out);
      }
    `,
    output: dedent`
      import { tensor1d, add, exp, log, reshape, tidy } from '@tensorflow/tfjs';

      export function softplus(x) {
        return tidy(() => log(add(1, exp(reshape(x, [-1])))));
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: { what: 'an element-wise log of `x`', replacement: 'tidy(() => log(add(1, exp(reshape(x, [-1])))))' },
      },
    ],
  },
  {
    name: 'total that stays a JS number → suggestion',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function totalLoss(losses) {
        const d = losses.dataSync();
        let total = 0;
        for (let i = 0; i < d.length; i++) total += d[i];
        return total;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function totalLoss(losses) {
        let total = tf.tidy(() => tf.sum(losses).dataSync()[0]);
        return total;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 6,
        column: 3,
        data: {
          what: 'the sum over all elements of `losses`',
          replacement: 'tf.tidy(() => tf.sum(losses).dataSync()[0])',
          assumptions: 'float32 arithmetic',
        },
      },
    ],
  },
  {
    name: 'comment inside the loop → suggestion',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x) {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          // accumulate one row
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tf.tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          why: `equal only assuming the rank the loop indexes; it drops a comment inside the loop`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
              caveat:
                'nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op; it drops a comment inside the loop',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function rowSums(x) {
                return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'Math.round: tf.round plus one where x − round(x) is 0.5, the operand computed once',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function stars(r) {
        const d = r.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.round(d[i]);
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function stars(r) {
        return tf.tidy(() => tf.cast(((v) => tf.add(tf.round(v), tf.cast(tf.greaterEqual(tf.sub(v, tf.round(v)), 0.5), 'int32')))(tf.reshape(r, [-1])), 'float32'));
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise round of `r`',
          // (the message shortens a long replacement)
          replacement: `tf.tidy(() => tf.cast(((v) => tf.add(tf.round(v), tf.cast(tf.greaterEqual(tf.sub(v, tf.round(v)), 0.5), 'int32')))(tf.r…`,
        },
      },
    ],
  },
  {
    name: 'in-place write into a dataSync() array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function normalizeInPlace(x, s) {
        const d = x.dataSync();
        for (let i = 0; i < d.length; i++) d[i] = d[i] / s;
        return x;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'inPlaceWrite',
        line: 5,
        column: 3,
        data: { read: 'x.dataSync()' },
      },
    ],
  },
  {
    name: 'EMA recurrence',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function ema(x, alpha) {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        let m = 0;
        for (let i = 0; i < d.length; i++) {
          m = alpha * d[i] + (1 - alpha) * m;
          out[i] = m;
        }
        return tf.tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'notVectorizable',
        line: 7,
        column: 3,
        data: { reason: 'an output element depends on earlier iterations' },
      },
    ],
  },
  {
    name: "require('@tensorflow/tfjs')",
    code: dedent`
      const tf = require('@tensorflow/tfjs');

      function rowSums(x) {
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
      module.exports = { rowSums };
    `,
    filename: 'file.cjs',
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
              caveat:
                'nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              const tf = require('@tensorflow/tfjs');

              function rowSums(x) {
                return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'));
              }
              module.exports = { rowSums };
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'destructured require reuses `sum`',
    code: dedent`
      const { sum, tensor1d } = require('@tensorflow/tfjs');

      function rowSums(x) {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tensor1d(out);
      }
      module.exports = { rowSums };
    `,
    filename: 'file.cjs',
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tidy(() => cast(sum(x, 1), 'float32'))`,
          reason: "`cast` is not imported and cannot be added to the file's TF.js import",
        },
      },
    ],
  },
  {
    name: 'destructured require cannot gain `sum` → cannotFix',
    code: dedent`
      const { tensor1d } = require('@tensorflow/tfjs');

      function rowSums(x) {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tensor1d(out);
      }
      module.exports = { rowSums };
    `,
    filename: 'file.cjs',
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tidy(() => cast(sum(x, 1), 'float32'))`,
          reason: "`sum` is not imported and cannot be added to the file's TF.js import",
        },
      },
    ],
  },
  {
    name: 'a local `sum` blocks adding the import → cannotFix',
    code: dedent`
      import { tensor1d } from '@tensorflow/tfjs';

      const sum = (a, b) => a + b;

      export function rowSums(x) {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 9,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tidy(() => cast(sum(x, 1), 'float32'))`,
          reason: "`sum` is not imported and cannot be added to the file's TF.js import",
        },
      },
    ],
  },
  {
    name: 'aliased named import',
    code: dedent`
      import { sum as reduceSum, tensor1d } from '@tensorflow/tfjs';

      export function rowSums(x) {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tidy(() => cast(reduceSum(x, 1), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tidy(() => cast(reduceSum(x, 1), 'float32'))`,
              caveat:
                'nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              import { sum as reduceSum, cast, tidy } from '@tensorflow/tfjs';

              export function rowSums(x) {
                return tidy(() => cast(reduceSum(x, 1), 'float32'));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'default import',
    code: dedent`
      import tfjs from '@tensorflow/tfjs';

      export function rowSums(x) {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tfjs.tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tfjs.tidy(() => tfjs.cast(tfjs.sum(x, 1), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tfjs.tidy(() => tfjs.cast(tfjs.sum(x, 1), 'float32'))`,
              caveat:
                'nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              import tfjs from '@tensorflow/tfjs';

              export function rowSums(x) {
                return tfjs.tidy(() => tfjs.cast(tfjs.sum(x, 1), 'float32'));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'no semicolons: the replacement keeps the ASI guard',
    code: dedent`
      import * as tf from '@tensorflow/tfjs'

      export function f(x) {
        const [n, m] = x.shape
        const d = x.dataSync()
        const out = new Float32Array(n)
        for (let i = 0; i < n; i++) {
          let s = 0
          for (let j = 0; j < m; j++) s += d[i * m + j]
          out[i] = s
        }
        const y = 1
        ;(tf.tensor1d(out)).print()
        return y
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
              caveat:
                'nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs'

              export function f(x) {
                const y = 1
                ;(tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))).print()
                return y
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'callback loop: rows.map(row => row.reduce(…)), rank from x.shape',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x) {
        const [n, m] = x.shape;
        const rows = x.arraySync();
        return tf.tensor1d(rows.map((row) => row.reduce((s, v) => s + v, 0)));
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 6,
        column: 27,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          why: `equal only assuming the rank the loop indexes`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
              caveat:
                "nothing shows the rank of `x`: the rewrite reads it as a rank-2 tensor, as the loop indexes it; for a tensor of another rank the loop reads other elements than the op; for a tensor with no elements `x.arraySync()` gives `[]` whatever the shape, so where a dimension is 0 the loop's result has another shape than the op's",
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function rowSums(x) {
                const [n, m] = x.shape;
                return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'callback loop: data.reduce, result stays a JS number',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x) {
        const d = x.dataSync();
        return d.reduce((s, v) => s + v, 0);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x) {
        return tf.tidy(() => tf.sum(x).dataSync()[0]);
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 5,
        column: 12,
        data: {
          what: 'the sum over all elements of `x`',
          replacement: 'tf.tidy(() => tf.sum(x).dataSync()[0])',
          assumptions: 'float32 arithmetic',
        },
      },
    ],
  },
];

ruleTester.run('no-element-loop (JavaScript)', rule as unknown as TestedRule, { valid, invalid });
