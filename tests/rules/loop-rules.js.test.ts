// vectorize/no-readback-in-loop and vectorize/no-tensor-leak-in-loop on plain JavaScript with ESLint's
// default parser (espree): no annotations, untyped parameters, and the CommonJS `require` binding
// (`file.cjs`).
import { RuleTester } from '@typescript-eslint/rule-tester';
import * as espree from 'espree';
import { afterAll, describe, it } from 'vitest';
import readback from '../../src/rules/no-readback-in-loop.js';
import leak from '../../src/rules/no-tensor-leak-in-loop.js';
import { dedent } from './cases.js';
import type { TestedRule as ReadbackRule } from './no-readback-in-loop.cases.js';
import type { TestedRule as LeakRule } from './no-tensor-leak-in-loop.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester({
  defaultFilenames: { ts: 'file.js', tsx: 'file.jsx' },
  languageOptions: { parser: espree },
});

ruleTester.run('no-readback-in-loop (JavaScript)', readback as unknown as ReadbackRule, {
  valid: [
    {
      name: 'no TF.js import',
      code: dedent`
        export function total(x, n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += x.dataSync()[i];
          return s;
        }
      `,
    },
    {
      name: 'one read per epoch of awaited model.fit',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export async function train(model, xs, ys) {
          for (let epoch = 0; epoch < 10; epoch++) {
            await model.fit(xs, ys, { epochs: 1 });
            const loss = model.evaluate(xs, ys);
            console.log(loss.dataSync()[0]);
            tf.dispose(loss);
          }
        }
      `,
    },
    {
      name: 'awaited data() on the result of an unknown call',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export async function sizes(names, open) {
          const out = [];
          for (const name of names) {
            const file = await open(name);
            out.push((await file.data()).length);
          }
          return tf.tensor1d(out);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'require binding, untyped parameter: hoisted (autofix)',
      filename: 'file.cjs',
      code: dedent`
        const tf = require('@tensorflow/tfjs');

        function total(x, n) {
          let s = 0;
          for (let i = 0; i < n; i++) s += x.dataSync()[i];
          return s;
        }
        module.exports = { total, tf };
      `,
      output: dedent`
        const tf = require('@tensorflow/tfjs');

        function total(x, n) {
          let s = 0;
          const xData = x.dataSync();
          for (let i = 0; i < n; i++) s += xData[i];
          return s;
        }
        module.exports = { total, tf };
      `,
      errors: [
        {
          messageId: 'invariantRead',
          data: { read: 'x.dataSync()', tensor: 'x', loop: '`for` loop' },
          line: 5,
          column: 36,
        },
      ],
    },
    {
      name: 'awaited data() of an untyped parameter: a suggestion',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export async function total(x, n) {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const d = await x.data();
            s += d[i];
          }
          return tf.scalar(s);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'invariantRead',
          data: { read: 'await x.data()', tensor: 'x', loop: '`for` loop' },
          suggestions: [
            {
              messageId: 'hoistRead',
              data: {
                tensor: 'x',
                caveat:
                  'the loop no longer waits for the backend on each iteration, so other async work interleaves differently',
              },
              output: dedent`
                import * as tf from '@tensorflow/tfjs';

                export async function total(x, n) {
                  let s = 0;
                  const d = await x.data();
                  for (let i = 0; i < n; i++) {
                    s += d[i];
                  }
                  return tf.scalar(s);
                }
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a read per element of a forEach',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function rows(ts) {
          const out = [];
          ts.forEach((t) => out.push(t.arraySync()));
          return tf.tensor(out);
        }
      `,
      output: null,
      errors: [{ messageId: 'readInLoop', data: { read: 't.arraySync()', loop: '`forEach` callback' } }],
    },
  ],
});

ruleTester.run('no-tensor-leak-in-loop (JavaScript)', leak as unknown as LeakRule, {
  valid: [
    {
      name: 'the body runs in tf.tidy',
      filename: 'file.cjs',
      code: dedent`
        const tf = require('@tensorflow/tfjs');

        function sums(xs) {
          const out = [];
          for (const x of xs) tf.tidy(() => { out.push(tf.sum(x).dataSync()[0]); });
          return out;
        }
        module.exports = { sums };
      `,
    },
    {
      name: 'array methods that tensors share, on plain arrays',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function tails(rows) {
          const out = [];
          for (const row of rows) out.push(row.slice(1).concat(row.slice(0, 1)));
          return tf.tensor2d(out);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'require binding: tf.sum(x) read in place and dropped',
      filename: 'file.cjs',
      code: dedent`
        const tf = require('@tensorflow/tfjs');

        function sums(xs) {
          const out = [];
          for (const x of xs) {
            out.push(tf.sum(x).dataSync()[0]);
          }
          return out;
        }
        module.exports = { sums };
      `,
      errors: [
        {
          messageId: 'leak',
          data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`tf.sum(x)`' },
          line: 6,
          suggestions: [
            {
              messageId: 'wrapInTidy',
              data: { loop: '`for…of` loop', tidy: 'tf.tidy' },
              output: dedent`
                const tf = require('@tensorflow/tfjs');

                function sums(xs) {
                  const out = [];
                  for (const x of xs) {
                    tf.tidy(() => {
                      out.push(tf.sum(x).dataSync()[0]);
                    });
                  }
                  return out;
                }
                module.exports = { sums };
              `,
            },
          ],
        },
      ],
    },
    {
      name: 'a method only tensors have, on an untyped value',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function energies(xs) {
          const out = [];
          for (const x of xs) {
            const sq = x.square();
            out.push(tf.sum(sq).dataSync()[0]);
            sq.dispose();
          }
          return out;
        }
      `,
      errors: [
        {
          messageId: 'leak',
          data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`tf.sum(sq)`' },
          line: 7,
          suggestions: [
            {
              messageId: 'wrapInTidy',
              data: { loop: '`for…of` loop', tidy: 'tf.tidy' },
              output: dedent`
                import * as tf from '@tensorflow/tfjs';

                export function energies(xs) {
                  const out = [];
                  for (const x of xs) {
                    tf.tidy(() => {
                      const sq = x.square();
                      out.push(tf.sum(sq).dataSync()[0]);
                      sq.dispose();
                    });
                  }
                  return out;
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});
