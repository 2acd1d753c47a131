/**
 * The cases of `vectorize/no-tensor-leak-in-loop`, shared by the untyped suite and the typed one
 * (projectService on tests/rules/fixtures/): types may add certainty, never change a verdict.
 */
import type { InvalidTestCase, RuleTester, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { ESLintUtils } from '@typescript-eslint/utils';
import type rule from '../../src/rules/no-tensor-leak-in-loop.js';
import { dedent } from './cases.js';

export type MessageIds = ESLintUtils.InferMessageIdsTypeFromRule<typeof rule>;
export type Options = ESLintUtils.InferOptionsTypeFromRule<typeof rule>;
/** See cases.ts: the tester's own copy of @typescript-eslint/utils types the rule differently. */
export type TestedRule = Parameters<typeof RuleTester.prototype.run<MessageIds, Options>>[1];

const TIDY = (loop: string, tidy = 'tf.tidy') => ({ messageId: 'wrapInTidy' as const, data: { loop, tidy } });

export const valid: ValidTestCase<Options>[] = [
  {
    name: 'no TF.js import',
    code: dedent`
      export function squares(xs: { square(): unknown }[]): void {
        for (const x of xs) x.square();
      }
    `,
  },
  {
    name: 'the body runs in tf.tidy',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function argmaxes(model: tf.LayersModel, xs: tf.Tensor[]): number[] {
        const out: number[] = [];
        for (const x of xs) {
          tf.tidy(() => {
            const p = model.predict(x) as tf.Tensor;
            out.push(p.argMax(-1).dataSync()[0]);
          });
        }
        return out;
      }
    `,
  },
  {
    name: 'the whole loop runs in tf.tidy',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(xs: tf.Tensor1D[]): number {
        return tf.tidy(() => {
          let s = 0;
          for (const x of xs) s += x.square().sum().dataSync()[0];
          return s;
        });
      }
    `,
  },
  {
    name: 'disposed at the end of each iteration',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function argmaxes(model: tf.LayersModel, xs: tf.Tensor[]): number[] {
        const out: number[] = [];
        for (const x of xs) {
          const p = model.predict(x) as tf.Tensor;
          out.push(p.dataSync()[0]);
          p.dispose();
        }
        return out;
      }
    `,
  },
  {
    name: 'tf.dispose of a list',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function norms(xs: tf.Tensor1D[]): number[] {
        const out: number[] = [];
        for (const x of xs) {
          const sq = tf.square(x);
          const n = tf.sum(sq);
          out.push(Math.sqrt(n.dataSync()[0]));
          tf.dispose([sq, n]);
        }
        return out;
      }
    `,
  },
  {
    name: 'per-batch predictions kept in an array outside the loop, disposed after it (fixtures/never/predict-per-batch.ts)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predictAll(model: tf.LayersModel, x: tf.Tensor2D, batchSize: number): tf.Tensor {
        const [n, f] = x.shape;
        const outputs: tf.Tensor[] = [];
        for (let start = 0; start < n; start += batchSize) {
          const size = Math.min(batchSize, n - start);
          outputs.push(tf.tidy(() => model.predict(x.slice([start, 0], [size, f])) as tf.Tensor));
        }
        const all = tf.concat(outputs, 0);
        tf.dispose(outputs);
        return all;
      }
    `,
  },
  {
    name: 'map returns the new tensors',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function shifted(xs: tf.Tensor[]): tf.Tensor[] {
        return xs.map((x) => x.add(1));
      }
    `,
  },
  {
    name: 'returned from inside the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function firstPositive(xs: tf.Tensor1D[]): tf.Tensor | null {
        for (const x of xs) {
          const r = tf.relu(x);
          if (r.dataSync()[0] > 0) return r;
          r.dispose();
        }
        return null;
      }
    `,
  },
  {
    name: 'handed to code that may keep it (a cache)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function warm(cache: Map<string, tf.Tensor>, xs: Record<string, tf.Tensor>): void {
        for (const [key, x] of Object.entries(xs)) cache.set(key, x.square());
      }
    `,
  },
  {
    name: 'tf.keep inside a tidy',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function keepAll(xs: tf.Tensor[]): tf.Tensor[] {
        const kept: tf.Tensor[] = [];
        tf.tidy(() => {
          for (const x of xs) kept.push(tf.keep(x.clone()));
        });
        return kept;
      }
    `,
  },
  {
    name: 'the previous value disposed before the new one is stored',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function accumulate(xs: tf.Tensor1D[]): tf.Tensor {
        let acc: tf.Tensor = tf.zeros([3]);
        for (const x of xs) {
          const next = acc.add(x);
          acc.dispose();
          acc = next;
        }
        return acc;
      }
    `,
  },
  {
    name: 'training loop: the previous cost disposed, minimize without returnCost creates nothing',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(optimizer: tf.Optimizer, batches: tf.Tensor2D[], lossFn: (b: tf.Tensor2D) => tf.Scalar): number {
        let last: tf.Scalar | null = null;
        for (const batch of batches) {
          last?.dispose();
          last = optimizer.minimize(() => lossFn(batch), true);
          optimizer.minimize(() => lossFn(batch));
        }
        const v = last ? last.dataSync()[0] : NaN;
        last?.dispose();
        return v;
      }
    `,
  },
  {
    name: 'training loop with awaited model.fit and tensors made inside the loss closure',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function train(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, w: tf.Variable): Promise<void> {
        const optimizer = tf.train.adam();
        for (let epoch = 0; epoch < 5; epoch++) {
          await model.fit(xs, ys, { epochs: 1 });
          optimizer.minimize(() => tf.mean(tf.square(tf.sub(ys, tf.matMul(xs, w)))));
        }
      }
    `,
  },
  {
    name: 'a loop inside the loss closure of optimizer.minimize and of tf.grad: their scopes dispose intermediates',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function step(optimizer: tf.Optimizer, w: tf.Variable, xs: tf.Tensor2D[], ys: tf.Tensor1D[]): tf.Tensor {
        optimizer.minimize(() => {
          let total = tf.scalar(0);
          for (let b = 0; b < xs.length; b++) total = total.add(tf.losses.meanSquaredError(ys[b], tf.matMul(xs[b], w).squeeze()));
          return total as tf.Scalar;
        });
        const g = tf.grad((x: tf.Tensor) => {
          let y = x;
          for (let k = 0; k < 3; k++) y = y.mul(x);
          return y;
        });
        return g(w);
      }
    `,
  },
  {
    name: 'building a model: layers are not tensors',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function model(units: number[]): tf.Sequential {
        const m = tf.sequential();
        for (let i = 0; i < units.length; i++) m.add(tf.layers.dense({ units: units[i], activation: 'relu' }));
        return m;
      }
    `,
  },
  {
    name: 'a tf.buffer filled in a loop is not a tensor (fixtures/never/one-hot-from-labels.ts)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      const LABELS = [0, 2, 1, 3];
      export function oneHot(numClasses: number): tf.Tensor2D {
        const targets = tf.buffer([LABELS.length, numClasses]);
        for (let i = 0; i < LABELS.length; i++) targets.set(1, i, LABELS[i]);
        return targets.toTensor() as tf.Tensor2D;
      }
    `,
  },
  {
    name: 'an element loop over data read before it creates no tensors (fixtures/never/filter-push.ts)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function above(scores: tf.Tensor1D, threshold = 0.5): tf.Tensor1D {
        const s = scores.dataSync();
        const keep: number[] = [];
        for (let i = 0; i < s.length; i++) {
          if (s[i] > threshold) keep.push(i);
        }
        return tf.tensor1d(keep, 'int32');
      }
    `,
  },
  {
    name: 'a tensor made in a handler defined in the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function bind(buttons: HTMLButtonElement[], x: tf.Tensor): void {
        for (const b of buttons) b.onclick = () => x.square().print();
      }
    `,
  },
  {
    name: 'split and moments return containers, not one tensor (not tracked)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function halves(xs: tf.Tensor1D[]): void {
        for (const x of xs) {
          const [a, b] = tf.split(x, 2);
          tf.dispose([a, b]);
        }
      }
    `,
  },
  {
    name: 'array methods with tensor-like names on plain arrays',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function flat(rows: number[][], seen: Set<number>): tf.Tensor1D {
        const out: number[] = [];
        for (const row of rows) {
          out.push(...row.slice(1).concat(row.slice(0, 1)).reverse());
          seen.add(row.length);
        }
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'animation loop: the frame tensor disposed each frame',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function loop(video: HTMLVideoElement, model: tf.LayersModel, draw: (d: Float32Array) => void): Promise<void> {
        for (;;) {
          const pred = tf.tidy(() => model.predict(tf.browser.fromPixels(video).expandDims(0).toFloat()) as tf.Tensor);
          draw((await pred.data()) as Float32Array);
          pred.dispose();
          await tf.nextFrame();
        }
      }
    `,
  },
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'predict and argMax per item: two tensors leak per iteration (suggestion: tidy)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function argmaxes(model: tf.LayersModel, xs: tf.Tensor[]): number[] {
        const out: number[] = [];
        for (const x of xs) {
          const p = model.predict(x) as tf.Tensor;
          out.push(p.argMax(-1).dataSync()[0]);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: '2 tensors', tensors: '`model.predict(x)`, `p.argMax(-1)`' },
        line: 6,
        column: 15,
        endLine: 6,
        endColumn: 31,
        suggestions: [
          {
            ...TIDY('`for…of` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function argmaxes(model: tf.LayersModel, xs: tf.Tensor[]): number[] {
                const out: number[] = [];
                for (const x of xs) {
                  tf.tidy(() => {
                    const p = model.predict(x) as tf.Tensor;
                    out.push(p.argMax(-1).dataSync()[0]);
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
    name: 'one named tensor: tidy or dispose at the end',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function maxima(xs: tf.Tensor1D[]): number[] {
        const out: number[] = [];
        for (const x of xs) {
          const m = tf.max(x);
          out.push(m.dataSync()[0]);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`tf.max(x)`' },
        line: 6,
        column: 15,
        suggestions: [
          {
            ...TIDY('`for…of` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function maxima(xs: tf.Tensor1D[]): number[] {
                const out: number[] = [];
                for (const x of xs) {
                  tf.tidy(() => {
                    const m = tf.max(x);
                    out.push(m.dataSync()[0]);
                  });
                }
                return out;
              }
            `,
          },
          {
            messageId: 'disposeAtEnd',
            data: { name: 'm' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function maxima(xs: tf.Tensor1D[]): number[] {
                const out: number[] = [];
                for (const x of xs) {
                  const m = tf.max(x);
                  out.push(m.dataSync()[0]);
                  m.dispose();
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
    name: 'a chain read in place: tf.sum(x) leaks behind dataSync()',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sums(xs: tf.Tensor[]): number[] {
        const out: number[] = [];
        for (let i = 0; i < xs.length; i++) {
          out.push(tf.sum(xs[i]).dataSync()[0]);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for` loop', count: 'a tensor', tensors: '`tf.sum(xs[i])`' },
        line: 6,
        column: 14,
        suggestions: [
          {
            ...TIDY('`for` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function sums(xs: tf.Tensor[]): number[] {
                const out: number[] = [];
                for (let i = 0; i < xs.length; i++) {
                  tf.tidy(() => {
                    out.push(tf.sum(xs[i]).dataSync()[0]);
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
    name: 'forEach callback: tensors made from each element (suggestion wraps the callback body)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function energy(xs: tf.Tensor1D[]): number {
        let s = 0;
        xs.forEach((x) => {
          const y = x.square();
          s += y.sum().dataSync()[0];
        });
        return s;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`forEach` callback', count: '2 tensors', tensors: '`x.square()`, `y.sum()`' },
        line: 6,
        column: 15,
        suggestions: [
          {
            ...TIDY('`forEach` callback'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function energy(xs: tf.Tensor1D[]): number {
                let s = 0;
                xs.forEach((x) => {
                  tf.tidy(() => {
                    const y = x.square();
                    s += y.sum().dataSync()[0];
                  });
                });
                return s;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'disposing one tensor and not its reduction',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function energy(xs: tf.Tensor1D[]): number {
        let s = 0;
        for (const x of xs) {
          const y = x.square();
          s += y.sum().dataSync()[0];
          tf.dispose(y);
        }
        return s;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`y.sum()`' },
        line: 7,
        column: 10,
        suggestions: [
          {
            ...TIDY('`for…of` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function energy(xs: tf.Tensor1D[]): number {
                let s = 0;
                for (const x of xs) {
                  tf.tidy(() => {
                    const y = x.square();
                    s += y.sum().dataSync()[0];
                    tf.dispose(y);
                  });
                }
                return s;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'tf.dispose of a list that misses an intermediate',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function norms(xs: tf.Tensor1D[]): number[] {
        const out: number[] = [];
        for (const x of xs) {
          const sq = tf.square(x);
          const n = tf.sqrt(tf.sum(sq));
          out.push(n.dataSync()[0]);
          tf.dispose([sq, n]);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`tf.sum(sq)`' },
        line: 7,
        column: 23,
        suggestions: [
          {
            ...TIDY('`for…of` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function norms(xs: tf.Tensor1D[]): number[] {
                const out: number[] = [];
                for (const x of xs) {
                  tf.tidy(() => {
                    const sq = tf.square(x);
                    const n = tf.sqrt(tf.sum(sq));
                    out.push(n.dataSync()[0]);
                    tf.dispose([sq, n]);
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
    name: 'an accumulator overwritten without disposing the tensor it held',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function accumulate(xs: tf.Tensor1D[]): tf.Tensor {
        let acc: tf.Tensor = tf.zeros([3]);
        for (const x of xs) acc = acc.add(x);
        return acc;
      }
    `,
    errors: [
      { messageId: 'overwritten', data: { name: 'acc', loop: '`for…of` loop' }, line: 5, column: 23, endColumn: 39 },
    ],
  },
  {
    name: 'a tidy result overwritten each step',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function iterate(x0: tf.Tensor, steps: number): tf.Tensor {
        let x = x0.clone();
        for (let k = 0; k < steps; k++) {
          x = tf.tidy(() => x.mul(0.5).add(1));
        }
        return x;
      }
    `,
    errors: [{ messageId: 'overwritten', data: { name: 'x', loop: '`for` loop' }, line: 6 }],
  },
  {
    name: 'the cost of minimize(…, true) read and never disposed',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function fit(optimizer: tf.Optimizer, f: () => tf.Scalar, steps: number): number[] {
        const history: number[] = [];
        for (let step = 0; step < steps; step++) {
          const cost = optimizer.minimize(f, true);
          history.push(cost!.dataSync()[0]);
        }
        return history;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for` loop', count: 'a tensor', tensors: '`optimizer.minimize(f, true)`' },
        line: 6,
        suggestions: [
          {
            ...TIDY('`for` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function fit(optimizer: tf.Optimizer, f: () => tf.Scalar, steps: number): number[] {
                const history: number[] = [];
                for (let step = 0; step < steps; step++) {
                  tf.tidy(() => {
                    const cost = optimizer.minimize(f, true);
                    history.push(cost!.dataSync()[0]);
                  });
                }
                return history;
              }
            `,
          },
          {
            messageId: 'disposeAtEnd',
            data: { name: 'cost' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function fit(optimizer: tf.Optimizer, f: () => tf.Scalar, steps: number): number[] {
                const history: number[] = [];
                for (let step = 0; step < steps; step++) {
                  const cost = optimizer.minimize(f, true);
                  history.push(cost!.dataSync()[0]);
                  cost?.dispose();
                }
                return history;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'animation loop: fromPixels per frame never disposed (async body: no tidy suggestion)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function loop(video: HTMLVideoElement, show: (v: number) => void): Promise<void> {
        for (;;) {
          const frame = tf.browser.fromPixels(video);
          show(frame.shape[0]);
          await tf.nextFrame();
        }
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for` loop', count: 'a tensor', tensors: '`tf.browser.fromPixels(video)`' },
        line: 5,
        suggestions: [
          {
            messageId: 'disposeAtEnd',
            data: { name: 'frame' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function loop(video: HTMLVideoElement, show: (v: number) => void): Promise<void> {
                for (;;) {
                  const frame = tf.browser.fromPixels(video);
                  show(frame.shape[0]);
                  await tf.nextFrame();
                  frame.dispose();
                }
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'a discarded result',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function touch(xs: tf.Tensor[]): void {
        for (const x of xs) tf.relu(x);
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`tf.relu(x)`' },
        line: 4,
        column: 23,
        suggestions: [],
      },
    ],
  },
  {
    name: 'more than three leaks are counted',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function stats(xs: tf.Tensor1D[]): number[][] {
        const out: number[][] = [];
        for (const x of xs) out.push([tf.min(x).dataSync()[0], tf.max(x).dataSync()[0], tf.mean(x).dataSync()[0], tf.sum(x).dataSync()[0]]);
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: '4 tensors', tensors: '`tf.min(x)`, `tf.max(x)`, `tf.mean(x)`, 1 more' },
        line: 5,
        suggestions: [],
      },
    ],
  },
  {
    name: 'named imports: the suggestion uses the imported tidy',
    code: dedent`
      import { square, sum, tidy, type Tensor } from '@tensorflow/tfjs';

      export function energies(xs: Tensor[]): number[] {
        const out: number[] = [];
        for (const x of xs) {
          out.push(sum(square(x)).dataSync()[0]);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: '2 tensors', tensors: '`sum(square(x))`, `square(x)`' },
        line: 6,
        suggestions: [
          {
            ...TIDY('`for…of` loop', 'tidy'),
            output: dedent`
              import { square, sum, tidy, type Tensor } from '@tensorflow/tfjs';

              export function energies(xs: Tensor[]): number[] {
                const out: number[] = [];
                for (const x of xs) {
                  tidy(() => {
                    out.push(sum(square(x)).dataSync()[0]);
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
    name: 'a continue in the body: neither suggestion (it would skip the dispose, and tidy cannot continue)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positives(xs: tf.Tensor[]): number[] {
        const out: number[] = [];
        for (const x of xs) {
          const r = tf.relu(x);
          if (x.size === 0) continue;
          out.push(r.dataSync()[0]);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`tf.relu(x)`' },
        line: 6,
        suggestions: [],
      },
    ],
  },
  {
    name: 'one tensor kept outside the body: no tidy suggestion (tidy would dispose it)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function collect(xs: tf.Tensor[]): tf.Tensor[] {
        const kept: tf.Tensor[] = [];
        for (const x of xs) {
          const big = tf.mul(x, 2);
          kept.push(tf.relu(x));
          console.log(big.shape);
        }
        return kept;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`tf.mul(x, 2)`' },
        line: 6,
        suggestions: [
          {
            messageId: 'disposeAtEnd',
            data: { name: 'big' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function collect(xs: tf.Tensor[]): tf.Tensor[] {
                const kept: tf.Tensor[] = [];
                for (const x of xs) {
                  const big = tf.mul(x, 2);
                  kept.push(tf.relu(x));
                  console.log(big.shape);
                  big.dispose();
                }
                return kept;
              }
            `,
          },
        ],
      },
    ],
  },
];
