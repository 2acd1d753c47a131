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
  // Issue 12: TF.js by scope, never by name.
  {
    name: 'a local that reuses the name of a named TF.js import is not TF.js (minified bundles do this)',
    code: dedent`
      import { tensor1d, type Tensor1D } from '@tensorflow/tfjs';

      export function runAll(jobs: Array<() => void>): Tensor1D {
        for (let k = 0; k < jobs.length; k++) {
          const tensor1d = jobs[k];
          tensor1d();
        }
        return tensor1d([jobs.length]);
      }
    `,
  },
  {
    name: 'a Point class with sub() and div(): not tensor methods',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      class Point {
        constructor(
          readonly x: number,
          readonly y: number,
        ) {}
        sub(o: Point): Point {
          return new Point(this.x - o.x, this.y - o.y);
        }
        div(o: Point): Point {
          return new Point(this.x / o.x, this.y / o.y);
        }
      }

      export function relative(points: Point[], box: { left: number; top: number; width: number; height: number }): Point[] {
        return points.map((pt) => pt.sub(new Point(box.left, box.top)).div(new Point(box.width, box.height)));
      }

      export function plot(points: Point[]): void {
        for (const pt of points) pt.sub(new Point(1, 1));
      }

      export const origin = (): tf.Tensor => tf.zeros([2]);
    `,
  },
  {
    name: 'slices of a typed array read back before the loop are not tensors',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function steps(roll: tf.Tensor2D, width: number): Promise<number[][]> {
        const flat = (await roll.data()) as Uint8Array;
        const out: number[][] = [];
        for (let s = 0; s < roll.shape[0]; s++) out.push(Array.from(flat.slice(s * width, (s + 1) * width)));
        return out;
      }
    `,
  },
  // Issue 12: tensors a caller's tf.tidy frees.
  {
    name: 'a helper only ever called inside a tf.tidy callback: the caller’s tidy frees its intermediates',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function addBias(xs: tf.Tensor2D[], b: tf.Tensor1D): tf.Tensor2D[] {
        const out: tf.Tensor2D[] = [];
        for (const x of xs) out.push(tf.relu(x.add(b)));
        return out;
      }

      export function forward(xs: tf.Tensor2D[], b: tf.Tensor1D): tf.Tensor {
        return tf.tidy(() => tf.concat(addBias(xs, b)));
      }
    `,
  },
  {
    name: 'a private method only called from a tf.tidy, with an accumulator overwritten per step',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Rnn {
        constructor(private readonly cell: (x: tf.Tensor2D, h: tf.Tensor2D) => tf.Tensor2D) {}

        run(chunks: tf.Tensor2D[]): tf.Tensor2D {
          return tf.tidy(() => this.runImpl(chunks));
        }

        private runImpl(chunks: tf.Tensor2D[]): tf.Tensor2D {
          let state = tf.zeros([1, 4]) as tf.Tensor2D;
          for (const chunk of chunks) state = this.cell(chunk, state).tanh();
          return state;
        }
      }
    `,
  },
  // Issue 12: suggestions that are always right, or none.
  {
    name: 'a model output array whose elements are each disposed by index',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function run(model: tf.GraphModel, chunks: tf.Tensor1D[]): Promise<Float32Array[]> {
        const out: Float32Array[] = [];
        for (const chunk of chunks) {
          const outputs = model.execute({ audio: chunk }) as tf.Tensor[];
          out.push((await outputs[0].data()) as Float32Array);
          outputs[0].dispose();
          outputs[1].dispose();
        }
        return out;
      }
    `,
  },
  {
    name: 'a tensor captured by a closure kept after the iteration is owned by the closure',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function cells(kernels: tf.Tensor2D[]): Array<(x: tf.Tensor2D) => tf.Tensor> {
        const out: Array<(x: tf.Tensor2D) => tf.Tensor> = [];
        for (const k of kernels) {
          const bias = tf.scalar(1);
          out.push((x: tf.Tensor2D) => tf.add(tf.matMul(x, k), bias));
        }
        return out;
      }
    `,
  },
  // Issue 12: the augmentation loop, done right.
  {
    name: 'augmentation with the intermediates freed by a tf.tidy per image (the clipped image kept)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function augment(images: tf.Tensor3D[]): tf.Tensor3D[] {
        const out: tf.Tensor3D[] = [];
        for (const img of images) {
          out.push(
            tf.tidy(() => {
              const flipped = img.reverse(1);
              const noise = tf.randomNormal(img.shape, 0, 0.05, 'float32', 7);
              return flipped.add(noise).clipByValue(0, 1) as tf.Tensor3D;
            }),
          );
        }
        return out;
      }
    `,
  },
  {
    name: 'a helper that frees what it makes, called per element',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function distance(a: tf.Tensor1D, b: tf.Tensor1D): number {
        return tf.tidy(() => tf.sub(a, b).square().sum().dataSync()[0]);
      }

      export function distances(xs: tf.Tensor1D[], y: tf.Tensor1D): number[] {
        return xs.map((x) => distance(x, y));
      }
    `,
  },
  {
    name: 'a file that reaches TF.js through its own module, without the tfjsModules setting: not TF.js',
    code: dedent`
      import * as tf from '../backend/adapter';

      export function touch(xs: tf.Tensor[]): void {
        for (const x of xs) tf.relu(x);
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
            data: { names: '`m`' },
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
            data: { names: '`cost`' },
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
            data: { names: '`frame`' },
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
            data: { names: '`big`' },
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
  // Issue 12: the neighbours of the cases above, which do leak.
  {
    name: 'the named TF.js import itself, called per iteration',
    code: dedent`
      import { tensor1d, type Tensor1D } from '@tensorflow/tfjs';

      export function runAll(jobs: Array<() => void>): Tensor1D {
        for (let k = 0; k < jobs.length; k++) tensor1d([k]);
        return tensor1d([jobs.length]);
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for` loop', count: 'a tensor', tensors: '`tensor1d([k])`' },
        line: 4,
        column: 41,
        endLine: 4,
        endColumn: 54,
        suggestions: [],
      },
    ],
  },
  {
    name: 'sub() on a tensor (neighbour of the Point class): each result dropped',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function plot(points: tf.Tensor1D[], origin: tf.Tensor1D): void {
        for (const pt of points) pt.sub(origin).print();
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`pt.sub(origin)`' },
        line: 4,
        column: 28,
        endLine: 4,
        endColumn: 42,
        suggestions: [],
      },
    ],
  },
  {
    name: 'a slice of the tensor per step (neighbour of the typed-array slices)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function steps(roll: tf.Tensor2D, width: number): number[][] {
        const out: number[][] = [];
        for (let s = 0; s < roll.shape[0]; s++) {
          const row = roll.slice([s, 0], [1, width]);
          out.push(Array.from(row.dataSync()));
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for` loop', count: 'a tensor', tensors: '`roll.slice([s, 0], [1, width])`' },
        line: 6,
        column: 17,
        endLine: 6,
        endColumn: 47,
        suggestions: [
          {
            ...TIDY('`for` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function steps(roll: tf.Tensor2D, width: number): number[][] {
                const out: number[][] = [];
                for (let s = 0; s < roll.shape[0]; s++) {
                  tf.tidy(() => {
                    const row = roll.slice([s, 0], [1, width]);
                    out.push(Array.from(row.dataSync()));
                  });
                }
                return out;
              }
            `,
          },
          {
            messageId: 'disposeAtEnd',
            data: { names: '`row`' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function steps(roll: tf.Tensor2D, width: number): number[][] {
                const out: number[][] = [];
                for (let s = 0; s < roll.shape[0]; s++) {
                  const row = roll.slice([s, 0], [1, width]);
                  out.push(Array.from(row.dataSync()));
                  row.dispose();
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
    name: 'the same helper also called outside any tidy: its loop leaks there',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function addBias(xs: tf.Tensor2D[], b: tf.Tensor1D): tf.Tensor2D[] {
        const out: tf.Tensor2D[] = [];
        for (const x of xs) out.push(tf.relu(x.add(b)));
        return out;
      }

      export function forward(xs: tf.Tensor2D[], b: tf.Tensor1D): tf.Tensor {
        return tf.tidy(() => tf.concat(addBias(xs, b)));
      }

      export function layers(xs: tf.Tensor2D[], b: tf.Tensor1D): tf.Tensor2D[] {
        return addBias(xs, b);
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`x.add(b)`' },
        line: 5,
        column: 40,
        endLine: 5,
        endColumn: 48,
        suggestions: [],
      },
    ],
  },
  {
    name: 'a model output array never disposed: tf.dispose(outputs), never outputs.dispose()',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function run(model: tf.GraphModel, chunks: tf.Tensor1D[]): Promise<Float32Array[]> {
        const out: Float32Array[] = [];
        for (const chunk of chunks) {
          const outputs = model.execute({ audio: chunk }) as tf.Tensor[];
          out.push((await outputs[0].data()) as Float32Array);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`model.execute({ audio: chunk })`' },
        line: 6,
        column: 21,
        endLine: 6,
        endColumn: 52,
        suggestions: [
          {
            messageId: 'disposeAtEnd',
            data: { names: '`outputs`' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function run(model: tf.GraphModel, chunks: tf.Tensor1D[]): Promise<Float32Array[]> {
                const out: Float32Array[] = [];
                for (const chunk of chunks) {
                  const outputs = model.execute({ audio: chunk }) as tf.Tensor[];
                  out.push((await outputs[0].data()) as Float32Array);
                  tf.dispose(outputs);
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
    name: 'a closure keeps one tensor and another leaks: dispose the one that leaks, no tidy (it would free the kept one)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function cells(kernels: tf.Tensor2D[], log: (n: number) => void): Array<(x: tf.Tensor2D) => tf.Tensor> {
        const out: Array<(x: tf.Tensor2D) => tf.Tensor> = [];
        for (const k of kernels) {
          const bias = tf.scalar(1);
          const size = tf.norm(k);
          log(size.dataSync()[0]);
          out.push((x: tf.Tensor2D) => tf.add(tf.matMul(x, k), bias));
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`tf.norm(k)`' },
        line: 7,
        column: 18,
        endLine: 7,
        endColumn: 28,
        suggestions: [
          {
            messageId: 'disposeAtEnd',
            data: { names: '`size`' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function cells(kernels: tf.Tensor2D[], log: (n: number) => void): Array<(x: tf.Tensor2D) => tf.Tensor> {
                const out: Array<(x: tf.Tensor2D) => tf.Tensor> = [];
                for (const k of kernels) {
                  const bias = tf.scalar(1);
                  const size = tf.norm(k);
                  log(size.dataSync()[0]);
                  out.push((x: tf.Tensor2D) => tf.add(tf.matMul(x, k), bias));
                  size.dispose();
                }
                return out;
              }
            `,
          },
        ],
      },
    ],
  },
  // Issue 12: the classic augmentation leak in typed TS.
  {
    name: 'augmentation: reverse, randomNormal and add per image, then push(clip)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function augment(images: tf.Tensor3D[]): tf.Tensor3D[] {
        const out: tf.Tensor3D[] = [];
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
        line: 6,
        column: 21,
        endLine: 6,
        endColumn: 35,
        suggestions: [
          {
            messageId: 'disposeAtEnd',
            data: { names: '`flipped`, `noise` and `noisy`' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function augment(images: tf.Tensor3D[]): tf.Tensor3D[] {
                const out: tf.Tensor3D[] = [];
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
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'batch.mean(0) per batch, read in place',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function batchMeans(batches: tf.Tensor2D[]): number[][] {
        const out: number[][] = [];
        for (const batch of batches) {
          out.push(batch.mean(0).arraySync() as number[]);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for…of` loop', count: 'a tensor', tensors: '`batch.mean(0)`' },
        line: 6,
        column: 14,
        endLine: 6,
        endColumn: 27,
        suggestions: [
          {
            ...TIDY('`for…of` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function batchMeans(batches: tf.Tensor2D[]): number[][] {
                const out: number[][] = [];
                for (const batch of batches) {
                  tf.tidy(() => {
                    out.push(batch.mean(0).arraySync() as number[]);
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
    name: 'samples[i].expandDims(0) per sample, then a product read back',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function scores(samples: tf.Tensor1D[], w: tf.Tensor2D): number[] {
        const out: number[] = [];
        for (let i = 0; i < samples.length; i++) {
          const input = samples[i].expandDims(0);
          const p = tf.matMul(input, w);
          out.push(p.dataSync()[0]);
          p.dispose();
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'leak',
        data: { loop: '`for` loop', count: 'a tensor', tensors: '`samples[i].expandDims(0)`' },
        line: 6,
        column: 19,
        endLine: 6,
        endColumn: 43,
        suggestions: [
          {
            ...TIDY('`for` loop'),
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function scores(samples: tf.Tensor1D[], w: tf.Tensor2D): number[] {
                const out: number[] = [];
                for (let i = 0; i < samples.length; i++) {
                  tf.tidy(() => {
                    const input = samples[i].expandDims(0);
                    const p = tf.matMul(input, w);
                    out.push(p.dataSync()[0]);
                    p.dispose();
                  });
                }
                return out;
              }
            `,
          },
          {
            messageId: 'disposeAtEnd',
            data: { names: '`input`' },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function scores(samples: tf.Tensor1D[], w: tf.Tensor2D): number[] {
                const out: number[] = [];
                for (let i = 0; i < samples.length; i++) {
                  const input = samples[i].expandDims(0);
                  const p = tf.matMul(input, w);
                  out.push(p.dataSync()[0]);
                  p.dispose();
                  input.dispose();
                }
                return out;
              }
            `,
          },
        ],
      },
    ],
  },
  // Issue 12: leaks one level down, in a helper of the same module called on every iteration.
  {
    name: 'a helper that drops its intermediates, called per element: reported at the call',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function distance(a: tf.Tensor1D, b: tf.Tensor1D): number {
        const d = tf.sub(a, b);
        return d.square().sum().dataSync()[0];
      }

      export function distances(xs: tf.Tensor1D[], y: tf.Tensor1D): number[] {
        return xs.map((x) => distance(x, y));
      }
    `,
    errors: [
      {
        messageId: 'leakInCall',
        data: {
          call: 'distance(x, y)',
          loop: '`map` callback',
          callee: 'distance',
          count: '3 tensors',
          tensors: '`tf.sub(a, b)` on line 4, `d.square().sum()` on line 5, `d.square()` on line 5',
        },
        line: 9,
        column: 24,
        endLine: 9,
        endColumn: 38,
      },
    ],
  },
  {
    name: 'settings.vectorize.tfjsModules: TF.js reached through the project’s own module',
    settings: { vectorize: { tfjsModules: ['../backend/adapter'] } },
    code: dedent`
      import * as tf from '../backend/adapter';

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
];
