/**
 * The cases of `vectorize/no-gradient-break`, shared by the untyped suite and the typed one
 * (projectService on tests/rules/fixtures/): types may add certainty, never change a verdict.
 */
import type { InvalidTestCase, RuleTester, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { ESLintUtils } from '@typescript-eslint/utils';
import type rule from '../../src/rules/no-gradient-break.js';
import { dedent } from './cases.js';

export type MessageIds = ESLintUtils.InferMessageIdsTypeFromRule<typeof rule>;
export type Options = ESLintUtils.InferOptionsTypeFromRule<typeof rule>;
/** See cases.ts: the tester's own copy of @typescript-eslint/utils types the rule differently. */
export type TestedRule = Parameters<typeof RuleTester.prototype.run<MessageIds, Options>>[1];

const CONNECTION = 'Cannot find a connection between any variable and the result of the loss function';
const OPTIMIZER = `when no other path connects a variable, it throws "${CONNECTION}"; otherwise the variables are updated with a gradient that misses this part`;
const GRAD =
  'when no other path connects the input, it throws "Cannot compute gradient of y=f(x) with respect to x"; otherwise the gradient misses this part';
const VARIABLE_GRADS = `when no other path connects a variable, it throws "${CONNECTION}"; otherwise that variable's gradient misses this part`;
const LAYER = `model.fit trains through it: when no other path connects a weight, it throws "${CONNECTION}"; otherwise the layers before it get a gradient that misses this part`;
const MSG = (read: string, api: string, creator: string, consequence: string) => ({
  read: `\`${read}\``,
  api,
  creator,
  consequence,
});

export const valid: ValidTestCase<Options>[] = [
  {
    name: 'no TF.js import',
    code: dedent`
      export function step(optimizer: { minimize(f: () => unknown): void }, w: { dataSync(): number[] }, tf: { scalar(v: number): unknown }) {
        optimizer.minimize(() => tf.scalar(w.dataSync()[0]));
      }
    `,
  },
  {
    name: 'a training loop: minimize of a loss made of TF.js ops only',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, ys: tf.Tensor2D, epochs: number): void {
        const w = tf.variable(tf.zeros([2, 1]));
        const optimizer = tf.train.sgd(0.1);
        for (let e = 0; e < epochs; e++) {
          optimizer.minimize(() => tf.losses.meanSquaredError(ys, xs.matMul(w)) as tf.Scalar);
        }
      }
    `,
  },
  {
    name: 'the loss is logged with dataSync outside the closure (minimize(f, true) returns it)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, ys: tf.Tensor2D, w: tf.Variable): number {
        const optimizer = tf.train.adam(0.01);
        const loss = optimizer.minimize(() => xs.matMul(w).sub(ys).square().mean() as tf.Scalar, true);
        const value = loss!.dataSync()[0];
        const again = tf.scalar(value);
        again.dispose();
        return value;
      }
    `,
  },
  {
    name: 'a read-back inside the closure only feeds logging',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, ys: tf.Tensor2D, w: tf.Variable, optimizer: tf.Optimizer): void {
        optimizer.minimize(() => {
          const loss = xs.matMul(w).sub(ys).square().mean() as tf.Scalar;
          console.log('loss', loss.dataSync()[0]);
          return loss;
        });
      }
    `,
  },
  {
    name: 'a read-back for early stopping: JS control flow that never becomes a tensor',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, ys: tf.Tensor2D, w: tf.Variable, optimizer: tf.Optimizer): boolean {
        let stop = false;
        optimizer.minimize(() => {
          const loss = xs.matMul(w).sub(ys).square().mean() as tf.Scalar;
          if (loss.dataSync()[0] < 1e-3) stop = true;
          return loss;
        });
        return stop;
      }
    `,
  },
  {
    name: 'early stopping on a read-back after minimize, in the training loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, ys: tf.Tensor2D, w: tf.Variable): void {
        const optimizer = tf.train.sgd(0.05);
        for (let e = 0; e < 100; e++) {
          const cost = optimizer.minimize(() => xs.matMul(w).sub(ys).square().mean() as tf.Scalar, true);
          if (cost!.dataSync()[0] < 1e-3) break;
          cost!.dispose();
        }
      }
    `,
  },
  {
    name: 'a read-back outside any gradient closure, made a tensor again (no tape to break)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rescale(x: tf.Tensor1D): tf.Tensor1D {
        const max = x.max().dataSync()[0];
        return tf.tidy(() => x.div(tf.scalar(max)));
      }
    `,
  },
  {
    name: 'tf.tidy is no gradient closure',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function f(x: tf.Tensor1D): tf.Tensor {
        return tf.tidy(() => tf.tensor(x.arraySync()).square());
      }
    `,
  },
  {
    name: 'tf.grad of TF.js ops only',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      const g = tf.grad((x: tf.Tensor) => x.square().sum());
      export const run = (x: tf.Tensor1D) => g(x);
    `,
  },
  {
    name: 'labels read back from data outside the tape (a constant tensor, not a broken path)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(model: tf.Sequential, xs: tf.Tensor2D, ys: tf.Tensor1D, optimizer: tf.Optimizer): void {
        optimizer.minimize(() => {
          const labels = tf.tensor1d(ys.arraySync().map((y) => y * 2));
          return tf.losses.meanSquaredError(labels, (model.predict(xs) as tf.Tensor2D).squeeze()) as tf.Scalar;
        });
      }
    `,
  },
  {
    name: 'a JS number read back only scales a TF.js op (the tape still runs through w)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, w: tf.Variable, optimizer: tf.Optimizer): void {
        optimizer.minimize(() => {
          const y = xs.matMul(w);
          const scale = 1 / y.abs().max().dataSync()[0];
          return y.mul(scale).square().mean() as tf.Scalar;
        });
      }
    `,
  },
  {
    name: '.minimize on something not named like an optimizer nor made by tf.train',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function run(solver: { minimize(f: () => tf.Scalar): void }, w: tf.Variable): void {
        solver.minimize(() => tf.scalar(w.dataSync()[0]));
      }
    `,
  },
  {
    name: "tf.customGrad: the gradient is gradFunc's, whatever the forward pass does",
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export const clipped = tf.customGrad((x: tf.Tensor, save: tf.GradSaveFunc) => {
        save([x]);
        return { value: tf.tensor(x.dataSync()), gradFunc: (dy: tf.Tensor) => [dy] };
      });
    `,
  },
  {
    name: 'a read-back made a tensor that is computed but not returned',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, w: tf.Variable, optimizer: tf.Optimizer): void {
        optimizer.minimize(() => {
          const loss = xs.matMul(w).square().mean() as tf.Scalar;
          const copy = tf.scalar(loss.dataSync()[0]);
          copy.print();
          return loss;
        });
      }
    `,
  },
  {
    name: 'a helper of the module that uses TF.js ops only',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function mse(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
        return a.sub(b).square().mean() as tf.Scalar;
      }
      export function train(xs: tf.Tensor2D, ys: tf.Tensor2D, w: tf.Variable): void {
        const opt = tf.train.sgd(0.1);
        opt.minimize(() => mse(xs.matMul(w), ys));
      }
    `,
  },
  {
    name: 'variableGrads of TF.js ops',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function grads(xs: tf.Tensor2D, w: tf.Variable) {
        return tf.variableGrads(() => xs.matMul(w).sum() as tf.Scalar);
      }
    `,
  },
  {
    name: 'a constant computed in the closure from data outside it (not on the tape) and read back',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, ys: tf.Tensor1D, w: tf.Variable, optimizer: tf.Optimizer): void {
        optimizer.minimize(() => {
          const targets = tf.tensor1d((ys.toFloat().arraySync() as number[]).map((y) => Math.log1p(y)));
          const weights = tf.tensor([1, 2, 3]);
          const scale = tf.scalar(weights.sum().dataSync()[0]);
          return xs.matMul(w).squeeze().sub(targets).square().mean().div(scale) as tf.Scalar;
        });
      }
    `,
  },
  {
    name: "a custom layer's call made of TF.js ops",
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Scale extends tf.layers.Layer {
        call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
          const x = Array.isArray(inputs) ? inputs[0] : inputs;
          return tf.mul(x, 2);
        }
      }
    `,
  },
  {
    name: 'a call method of a class that is not a layer',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Reader {
        call(x: tf.Tensor): tf.Tensor {
          return tf.tensor(x.dataSync());
        }
      }
    `,
  },
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: "a custom layer's call reads its input back and rebuilds it (model.fit differentiates it)",
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Clip extends tf.layers.Layer {
        call(inputs: tf.Tensor): tf.Tensor {
          const d = inputs.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = Math.min(d[i], 1);
          return tf.tensor(out, inputs.shape);
        }
      }
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('inputs.dataSync()', "a custom layer's call", 'tf.tensor', LAYER),
        line: 5,
        column: 15,
        endLine: 5,
        endColumn: 32,
        suggestions: [
          {
            messageId: 'useVectorized',
            data: {
              replacement: 'tf.tidy(() => tf.reshape(tf.minimum(tf.reshape(inputs, [-1]), 1), inputs.shape))',
              caveat: 'the same values, computed by TF.js ops',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export class Clip extends tf.layers.Layer {
                call(inputs: tf.Tensor): tf.Tensor {
                  return tf.tidy(() => tf.reshape(tf.minimum(tf.reshape(inputs, [-1]), 1), inputs.shape));
                }
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'tf.scalar(loss.dataSync()[0]) returned from an optimizer.minimize callback',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, ys: tf.Tensor2D, w: tf.Variable): void {
        const optimizer = tf.train.sgd(0.1);
        optimizer.minimize(() => {
          const loss = xs.matMul(w).sub(ys).square().mean();
          return tf.scalar(loss.dataSync()[0]);
        });
      }
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('loss.dataSync()', 'optimizer.minimize', 'tf.scalar', OPTIMIZER),
        line: 7,
        column: 22,
        endLine: 7,
        endColumn: 37,
      },
    ],
  },
  {
    name: 'an element loop rebuilds the prediction from JS numbers (computeGradients on an optimizer named like one)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function step(xs: tf.Tensor1D, w: tf.Variable, myOptimizer: tf.Optimizer) {
        return myOptimizer.computeGradients(() => {
          const y = xs.mul(w);
          const d = y.dataSync();
          const out: number[] = [];
          for (let i = 0; i < d.length; i++) out.push(d[i] * d[i]);
          return tf.tensor1d(out).sum() as tf.Scalar;
        });
      }
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('y.dataSync()', 'optimizer.computeGradients', 'tf.tensor1d', OPTIMIZER),
        line: 6,
        column: 15,
        endLine: 6,
        endColumn: 27,
        // no-element-loop's rewrite of the loop, offered here because it keeps the gradient
        suggestions: [
          {
            messageId: 'useVectorized',
            data: {
              replacement: "tf.tidy(() => tf.cast(tf.square(tf.reshape(y, [-1])), 'float32'))",
              caveat: 'the same values, computed by TF.js ops',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function step(xs: tf.Tensor1D, w: tf.Variable, myOptimizer: tf.Optimizer) {
                return myOptimizer.computeGradients(() => {
                  const y = xs.mul(w);
                  return (tf.tidy(() => tf.cast(tf.square(tf.reshape(y, [-1])), 'float32')) as tf.Tensor1D).sum() as tf.Scalar;
                });
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'tf.grad of a function that reads its input back',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export const g = tf.grad((x: tf.Tensor) => tf.tensor(x.arraySync() as number[]).square().sum());
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('x.arraySync()', 'tf.grad', 'tf.tensor', GRAD),
        line: 3,
        column: 54,
        endLine: 3,
        endColumn: 67,
      },
    ],
  },
  {
    name: 'a buffer filled from a read-back, then toTensor(), in tf.valueAndGrad',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export const vg = tf.valueAndGrad((x: tf.Tensor1D) => {
        const values = x.dataSync();
        const buf = tf.buffer([values.length]);
        values.forEach((v, i) => buf.set(v * 2, i));
        return buf.toTensor().sum();
      });
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('x.dataSync()', 'tf.valueAndGrad', 'buf.toTensor', GRAD),
        line: 4,
        column: 18,
        endLine: 4,
        endColumn: 30,
      },
    ],
  },
  {
    name: 'tf.variableGrads of a tf.variable declared in the module, read back and summed in JavaScript',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      const w = tf.variable(tf.ones([3]));
      export function grads() {
        return tf.variableGrads(() => {
          const v = w.dataSync();
          return tf.scalar(v[0] + v[1] + v[2]);
        });
      }
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('w.dataSync()', 'tf.variableGrads', 'tf.scalar', VARIABLE_GRADS),
        line: 6,
        column: 15,
        endLine: 6,
        endColumn: 27,
      },
    ],
  },
  {
    name: 'the loss function is declared apart and passed by name',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, w: tf.Variable): void {
        const loss = () => {
          const total = xs.matMul(w).sum().arraySync() as number;
          return tf.scalar(total * total);
        };
        tf.train.adam(0.01).minimize(loss);
      }
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('xs.matMul(w).sum().arraySync()', 'optimizer.minimize', 'tf.scalar', OPTIMIZER),
        line: 5,
        column: 19,
        endLine: 5,
        endColumn: 49,
      },
    ],
  },
  {
    name: 'a helper of the module breaks the path: reported at its call',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function squaredSum(t: tf.Tensor): tf.Scalar {
        let s = 0;
        for (const v of t.dataSync()) s += v * v;
        return tf.scalar(s);
      }
      export function train(xs: tf.Tensor2D, w: tf.Variable, optimizer: tf.Optimizer): void {
        optimizer.minimize(() => squaredSum(xs.matMul(w)));
      }
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: {
          read: '`squaredSum(xs.matMul(w))` reads back `t.dataSync()` in its helper, which',
          api: 'optimizer.minimize',
          creator: 'tf.scalar',
          consequence: OPTIMIZER,
        },
        line: 9,
        column: 28,
        endLine: 9,
        endColumn: 52,
      },
    ],
  },
  {
    name: 'the broken tensor is added to a connected one: the gradient silently misses a part',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(xs: tf.Tensor2D, w: tf.Variable, optimizer: tf.Optimizer): void {
        optimizer.minimize(() => {
          const fit = xs.matMul(w).square().mean() as tf.Scalar;
          const penalty = tf.scalar(w.abs().sum().dataSync()[0] * 0.01);
          return fit.add(penalty);
        });
      }
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('w.abs().sum().dataSync()', 'optimizer.minimize', 'tf.scalar', OPTIMIZER),
        line: 6,
        column: 31,
        endLine: 6,
        endColumn: 55,
      },
    ],
  },
  {
    name: "a model prediction read back and rebuilt (the model's weights are on the tape)",
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(model: tf.LayersModel, xs: tf.Tensor2D, ys: tf.Tensor2D, optimizer: tf.Optimizer): void {
        optimizer.minimize(() => {
          const predicted = tf.tensor2d(model.predict(xs).arraySync() as number[][]);
          return tf.losses.meanSquaredError(ys, predicted) as tf.Scalar;
        });
      }
    `,
    errors: [
      {
        messageId: 'brokenGradient',
        data: MSG('model.predict(xs).arraySync()', 'optimizer.minimize', 'tf.tensor2d', OPTIMIZER),
        line: 5,
        column: 35,
        endLine: 5,
        endColumn: 64,
      },
    ],
  },
];
