// Issue 12 on plain JavaScript (espree, no annotations): vectorize/no-tensor-leak-in-loop and
// vectorize/no-readback-in-loop know a tensor by scope and data flow — a TF.js op's result, an element
// of `tf.unstack` / `tf.split`, a JSDoc `@param {tf.Tensor…}` — and never by a method name alone.
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

const AUGMENT_FIXED = dedent`
  import * as tf from '@tensorflow/tfjs';

  /** @param {tf.Tensor3D[]} images */
  export function augment(images) {
    const out = [];
    for (const img of images) {
      const flipped = img.reverse(1);
      const noise = tf.randomNormal(img.shape, 0, 0.05, 'float32', 7);
      const noisy = flipped.add(noise);
      const clip = noisy.clipByValue(0, 1);
      out.push(clip);
      tf.dispose([flipped, noise, noisy]);
    }
    return out;
  }
`;

ruleTester.run('no-tensor-leak-in-loop (JavaScript, issue 12)', leak as unknown as LeakRule, {
  valid: [
    {
      name: 'a Point class: pt.sub(…).div(…) per point is no tensor op',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        class Point {
          constructor(x, y) {
            this.x = x;
            this.y = y;
          }
          sub(o) {
            return new Point(this.x - o.x, this.y - o.y);
          }
          div(o) {
            return new Point(this.x / o.x, this.y / o.y);
          }
        }

        export function relative(points, box) {
          return points.map((pt) => pt.sub(new Point(box.left, box.top)).div(new Point(box.width, box.height)));
        }
        export const zero = () => tf.scalar(0);
      `,
    },
    {
      name: 'a bundle’s local that reuses a destructured require name',
      filename: 'file.cjs',
      code: dedent`
        const { tensor1d } = require('@tensorflow/tfjs');

        function runAll(jobs) {
          for (let k = 0; k < jobs.length; k++) {
            const tensor1d = jobs[k];
            tensor1d();
          }
        }
        module.exports = { runAll, tensor1d };
      `,
    },
    {
      name: 'an untyped parameter: reverse() and add() prove nothing (arrays have them, so do user classes)',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function augment(images) {
          const out = [];
          for (const img of images) out.push(img.reverse(1).add(1));
          return tf.stack(out);
        }
      `,
    },
    {
      name: 'augmentation in a tf.tidy per image',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        /** @param {tf.Tensor3D[]} images */
        export function augment(images) {
          const out = [];
          for (const img of images) {
            out.push(tf.tidy(() => img.reverse(1).add(tf.randomNormal(img.shape, 0, 0.05)).clipByValue(0, 1)));
          }
          return out;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'augmentation typed by JSDoc: reverse, randomNormal, add per image, then push(clip)',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        /** @param {tf.Tensor3D[]} images */
        export function augment(images) {
          const out = [];
          for (const img of images) {
            const flipped = img.reverse(1);
            const noise = tf.randomNormal(img.shape, 0, 0.05, 'float32', 7);
            const noisy = flipped.add(noise);
            const clip = noisy.clipByValue(0, 1);
            out.push(clip);
          }
          return out;
        }
      `,
      errors: [
        {
          messageId: 'leak',
          data: {
            loop: '`for…of` loop',
            count: '3 tensors',
            tensors: "`img.reverse(1)`, `tf.randomNormal(img.shape, 0, 0.05, 'fl…`, `flipped.add(noise)`",
          },
          line: 7,
          column: 21,
          suggestions: [
            { messageId: 'disposeAtEnd', data: { names: '`flipped`, `noise` and `noisy`' }, output: AUGMENT_FIXED },
          ],
        },
      ],
    },
    {
      name: 'batch.mean(0) per batch of tf.split(…): elements of a TF.js op’s result are tensors',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function batchMeans(xs, n) {
          const out = [];
          for (const batch of tf.split(xs, n)) out.push(batch.mean(0).arraySync());
          return out;
        }
      `,
      errors: [
        {
          messageId: 'leak',
          data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`batch.mean(0)`' },
          line: 5,
          column: 49,
          suggestions: [],
        },
      ],
    },
    {
      name: 'samples[i].expandDims(0) per sample of tf.unstack(…)',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function firsts(x, w) {
          const samples = tf.unstack(x);
          const out = [];
          for (let i = 0; i < samples.length; i++) {
            const input = samples[i].expandDims(0);
            out.push(tf.matMul(input, w).dataSync()[0]);
          }
          return out;
        }
      `,
      errors: [
        {
          messageId: 'leak',
          data: {
            loop: '`for` loop',
            count: '2 tensors',
            tensors: '`samples[i].expandDims(0)`, `tf.matMul(input, w)`',
          },
          line: 7,
          column: 19,
          suggestions: [
            {
              messageId: 'wrapInTidy',
              data: { loop: '`for` loop', tidy: 'tf.tidy' },
              output: dedent`
                import * as tf from '@tensorflow/tfjs';

                export function firsts(x, w) {
                  const samples = tf.unstack(x);
                  const out = [];
                  for (let i = 0; i < samples.length; i++) {
                    tf.tidy(() => {
                      const input = samples[i].expandDims(0);
                      out.push(tf.matMul(input, w).dataSync()[0]);
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
    {
      name: 'the require binding itself, called per iteration',
      filename: 'file.cjs',
      code: dedent`
        const { tensor1d } = require('@tensorflow/tfjs');

        function runAll(jobs) {
          for (let k = 0; k < jobs.length; k++) tensor1d([k]);
        }
        module.exports = { runAll };
      `,
      errors: [
        {
          messageId: 'leak',
          data: { loop: '`for` loop', count: 'a tensor', tensors: '`tensor1d([k])`' },
          line: 4,
          column: 41,
          suggestions: [],
        },
      ],
    },
  ],
});

ruleTester.run('no-readback-in-loop (JavaScript, issue 12)', readback as unknown as ReadbackRule, {
  valid: [
    {
      name: 'a variable assign()ed per step and read: the point of the step',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function descend(w, target, steps) {
          const trace = [];
          for (let step = 0; step < steps; step++) {
            tf.tidy(() => w.assign(w.sub(w.sub(target).mul(0.5))));
            trace.push(w.dataSync()[0]);
          }
          return trace;
        }
      `,
    },
    {
      name: 'an IoU helper that takes the values, read once',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        function overlap(b, i, j) {
          return Math.max(0, Math.min(b[i][1], b[j][1]) - Math.max(b[i][0], b[j][0]));
        }

        export function pairs(boxes) {
          const b = boxes.arraySync();
          const out = [];
          for (let i = 0; i < b.length; i++) for (let j = 0; j < i; j++) out.push(overlap(b, i, j));
          return tf.tensor1d(out);
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'an IoU helper that reads the boxes, called for every pair',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        function overlap(boxes, i, j) {
          const b = boxes.arraySync();
          return Math.max(0, Math.min(b[i][1], b[j][1]) - Math.max(b[i][0], b[j][0]));
        }

        export function pairs(boxes, n) {
          const out = [];
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) out.push(overlap(boxes, i, j));
          return tf.tensor1d(out);
        }
      `,
      output: null,
      errors: [
        {
          messageId: 'invariantReadInCall',
          data: {
            call: 'overlap(boxes, i, j)',
            loop: '`for` loop',
            tensor: 'boxes',
            read: 'boxes.arraySync()',
            line: '4',
            callee: 'overlap',
          },
          line: 10,
          column: 68,
        },
      ],
    },
    {
      name: 'without the assign, the same read of w is loop-invariant and hoisted',
      code: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function trace(w, steps) {
          const out = [];
          for (let step = 0; step < steps; step++) out.push(w.dataSync()[0] * step);
          return tf.tensor1d(out);
        }
      `,
      output: dedent`
        import * as tf from '@tensorflow/tfjs';

        export function trace(w, steps) {
          const out = [];
          const wData = w.dataSync();
          for (let step = 0; step < steps; step++) out.push(wData[0] * step);
          return tf.tensor1d(out);
        }
      `,
      errors: [{ messageId: 'invariantRead', data: { read: 'w.dataSync()', tensor: 'w', loop: '`for` loop' } }],
    },
  ],
});
