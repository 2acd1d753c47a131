/**
 * The cases of `vectorize/no-readback-in-loop`, shared by the untyped suite and the typed one
 * (projectService on tests/rules/fixtures/): types may add certainty, never change a verdict.
 */
import type { InvalidTestCase, RuleTester, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { ESLintUtils } from '@typescript-eslint/utils';
import type rule from '../../src/rules/no-readback-in-loop.js';
import { dedent } from './cases.js';

export type MessageIds = ESLintUtils.InferMessageIdsTypeFromRule<typeof rule>;
export type Options = ESLintUtils.InferOptionsTypeFromRule<typeof rule>;
/** See cases.ts: the tester's own copy of @typescript-eslint/utils types the rule differently. */
export type TestedRule = Parameters<typeof RuleTester.prototype.run<MessageIds, Options>>[1];

const LOOP_MSG = (read: string, tensor: string, loop = '`for` loop') => ({ read, tensor, loop });

export const valid: ValidTestCase<Options>[] = [
  {
    name: 'no TF.js import',
    code: dedent`
      export function total(x: { dataSync(): Float32Array }, n: number): number {
        let s = 0;
        for (let i = 0; i < n; i++) s += x.dataSync()[i];
        return s;
      }
    `,
  },
  {
    name: 'the read is hoisted before the loop (an element loop: vectorize/no-element-loop reports it, not this rule)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor1D): number {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return s;
      }
    `,
  },
  {
    name: 'a read in the head of a for…of runs once',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positives(x: tf.Tensor1D): number[] {
        const out: number[] = [];
        for (const v of x.dataSync()) if (v > 0) out.push(v);
        return out;
      }
    `,
  },
  {
    name: 'a read in a for loop initialiser runs once',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function last(x: tf.Tensor1D): number {
        let v = 0;
        for (let i = 0, d = x.dataSync(); i < d.length; i++) v = d[i];
        return v;
      }
    `,
  },
  {
    name: 'a read that a per-element callback walks is made once, before the callback',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function firstColumn(x: tf.Tensor2D): number[] {
        return x.arraySync().map((row) => row[0]);
      }
    `,
  },
  {
    name: 'a read after the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function accumulate(xs: tf.Tensor1D[]): Float32Array {
        let acc = tf.zeros([3]);
        for (const x of xs) {
          const next = acc.add(x);
          acc.dispose();
          acc = next;
        }
        return acc.dataSync() as Float32Array;
      }
    `,
  },
  {
    name: 'training loop: one loss read per epoch of awaited model.fit',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function train(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
        for (let epoch = 0; epoch < 20; epoch++) {
          await model.fit(xs, ys, { epochs: 1 });
          const loss = model.evaluate(xs, ys) as tf.Scalar;
          console.log(epoch, loss.dataSync()[0]);
          loss.dispose();
        }
      }
    `,
  },
  {
    name: 'custom training loop: optimizer.minimize per step and the returned cost read once',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function fit(w: tf.Variable, xs: tf.Tensor2D, ys: tf.Tensor1D, steps: number): number[] {
        const optimizer = tf.train.sgd(0.1);
        const history: number[] = [];
        for (let step = 0; step < steps; step++) {
          const cost = optimizer.minimize(() => tf.losses.meanSquaredError(ys, tf.matMul(xs, w).squeeze()), true);
          history.push(cost!.dataSync()[0]);
          cost!.dispose();
        }
        return history;
      }
    `,
  },
  {
    name: 'a read per epoch around a loop of batches',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function train(optimizer: tf.Optimizer, batches: tf.Tensor2D[], lossFn: (b: tf.Tensor2D) => tf.Scalar, epochs: number): void {
        for (let epoch = 0; epoch < epochs; epoch++) {
          let last: tf.Scalar | null = null;
          for (const batch of batches) {
            last?.dispose();
            last = optimizer.minimize(() => lossFn(batch), true);
          }
          if (last) console.log(\`epoch \${epoch}: \${last.dataSync()[0]}\`);
          last?.dispose();
        }
      }
    `,
  },
  {
    name: 'convergence loop: the test reads the cost of the last minimize step',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function solve(optimizer: tf.Optimizer, f: () => tf.Scalar): void {
        let cost = optimizer.minimize(f, true)!;
        while (cost.dataSync()[0] > 1e-3) {
          cost.dispose();
          cost = optimizer.minimize(f, true)!;
        }
        cost.dispose();
      }
    `,
  },
  {
    name: 'animation loop: one awaited data() per frame, waiting on tf.nextFrame',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function loop(model: tf.LayersModel, grab: () => tf.Tensor3D, draw: (d: Float32Array) => void): Promise<void> {
        for (;;) {
          const pred = tf.tidy(() => model.predict(grab().expandDims(0)) as tf.Tensor);
          draw((await pred.data()) as Float32Array);
          pred.dispose();
          await tf.nextFrame();
        }
      }
    `,
  },
  {
    name: 'animation loop: requestAnimationFrame wrapped in a promise',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function run(model: tf.LayersModel, frames: () => tf.Tensor4D, show: (v: number) => void): Promise<void> {
        let running = true;
        setTimeout(() => (running = false), 10_000);
        while (running) {
          const score = tf.tidy(() => (model.predict(frames()) as tf.Tensor).max());
          show(score.dataSync()[0]);
          score.dispose();
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
      }
    `,
  },
  {
    name: 'data iterator: one read per batch of a for await loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function meanLabel(ds: tf.data.Dataset<{ ys: tf.Tensor }>): Promise<number> {
        let sum = 0;
        let count = 0;
        for await (const batch of ds) {
          const m = batch.ys.mean();
          sum += m.dataSync()[0];
          count++;
          tf.dispose([batch.ys, m]);
        }
        return sum / count;
      }
    `,
  },
  {
    name: 'data iterator: await it.next() per step',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function firstValues(ds: tf.data.Dataset<tf.Tensor>): Promise<number[]> {
        const it = await ds.iterator();
        const out: number[] = [];
        for (let r = await it.next(); !r.done; r = await it.next()) {
          out.push((await r.value.data())[0]);
          r.value.dispose();
        }
        return out;
      }
    `,
  },
  {
    name: 'tf.data forEachAsync: one read per element',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function collect(ds: tf.data.Dataset<tf.Tensor>): Promise<number[]> {
        const out: number[] = [];
        await ds.forEachAsync((t) => {
          out.push(t.dataSync()[0]);
        });
        return out;
      }
    `,
  },
  {
    name: 'allowedReadsPerStep: 2 lets a step read loss and accuracy',
    options: [{ allowedReadsPerStep: 2 }],
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function train(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
        for (let epoch = 0; epoch < 10; epoch++) {
          await model.fit(xs, ys, { epochs: 1 });
          const [loss, acc] = model.evaluate(xs, ys) as tf.Scalar[];
          console.log(loss.dataSync()[0], acc.dataSync()[0]);
          tf.dispose([loss, acc]);
        }
      }
    `,
  },
  {
    name: 'batched inference: tensor ops per batch inside tf.tidy, no read-back (fixtures/never/predict-per-batch.ts)',
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
    name: 'a read in a handler defined in a loop runs when the event fires, not per iteration',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function bind(buttons: HTMLButtonElement[], scores: tf.Tensor1D): void {
        for (const [i, b] of buttons.entries()) {
          b.onclick = () => console.log(scores.dataSync()[i]);
        }
      }
    `,
  },
  {
    name: 'awaited data() on something that is not shown to be a tensor',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      declare function open(name: string): Promise<{ data(): Promise<number[]> }>;
      export async function sizes(names: string[]): Promise<tf.Tensor1D> {
        const out: number[] = [];
        for (const name of names) {
          const file = await open(name);
          out.push((await file.data()).length);
        }
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'dataSync() on a value annotated with a non-tensor type',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      interface Table { dataSync(): number[] }
      export function sums(tables: Table[], t: Table): tf.Tensor1D {
        const out: number[] = [];
        for (let i = 0; i < tables.length; i++) out.push(t.dataSync()[i]);
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'an element loop over a view made before it (fixtures/never/early-break.ts)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sample(cdf: tf.Tensor1D, u = 0.6): number {
        const c = cdf.dataSync();
        let bucket = c.length - 1;
        for (let i = 0; i < c.length; i++) {
          if (c[i] >= u) {
            bucket = i;
            break;
          }
        }
        return bucket;
      }
    `,
  },
  {
    name: 'greedy NMS over arraySync() rows read before the loops (fixtures/never/nms-greedy.ts)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function nms(boxes: tf.Tensor2D, scores: tf.Tensor1D): number[] {
        const b = boxes.arraySync();
        const s = scores.arraySync();
        const order = s.map((_, i) => i).sort((i, j) => s[j] - s[i]);
        const kept: number[] = [];
        for (const i of order) {
          let suppressed = false;
          for (const k of kept) if (Math.abs(b[i][0] - b[k][0]) < 0.5) suppressed = true;
          if (!suppressed) kept.push(i);
        }
        return kept;
      }
    `,
  },
  {
    name: 'a tf.buffer filled in a loop is not a read-back (fixtures/never/one-hot-from-labels.ts)',
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
  // Issue 12: a tensor the loop changes is no invariant, and reading it each step is the point.
  {
    name: 'a tf.Variable the loop assign()s, read once per step: a training step by hand, not an invariant read',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function descend(w: tf.Variable, target: tf.Tensor, steps: number): number[] {
        const trace: number[] = [];
        for (let step = 0; step < steps; step++) {
          tf.tidy(() => {
            w.assign(w.sub(w.sub(target).mul(0.5)));
          });
          trace.push(w.dataSync()[0]);
        }
        return trace;
      }
    `,
  },
  {
    name: 'the helper is given the values read once before the loop (neighbour of the IoU read per pair)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function overlap(b: number[][], i: number, j: number): number {
        return Math.max(0, Math.min(b[i][1], b[j][1]) - Math.max(b[i][0], b[j][0]));
      }

      export function pairs(boxes: tf.Tensor2D): number[] {
        const b = boxes.arraySync();
        const out: number[] = [];
        for (let i = 0; i < b.length; i++) for (let j = 0; j < i; j++) out.push(overlap(b, i, j));
        return out;
      }
    `,
  },
  {
    name: 'a helper that reads back, called once after the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function total(t: tf.Tensor): number {
        return tf.tidy(() => t.sum().dataSync()[0]);
      }

      export function sumAll(ts: tf.Tensor[]): number {
        const parts: tf.Tensor[] = [];
        for (const t of ts) parts.push(t);
        return total(tf.stack(parts));
      }
    `,
  },
  {
    name: 'greedy decoding: the token read each step is written into the next step’s input',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function decode(model: tf.LayersModel, start: number, length: number): number[] {
        const tokens = tf.buffer([1, length], 'int32');
        tokens.set(start, 0, 0);
        const out: number[] = [];
        for (let i = 1; i < length; i++) {
          const next = tf.tidy(() => (model.predict(tokens.toTensor()) as tf.Tensor2D).argMax(-1).dataSync()[0]);
          tokens.set(next, 0, i);
          out.push(next);
        }
        return out;
      }
    `,
  },
  {
    name: 'sampling until an end token: the value read decides whether the loop goes on',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sample(step: (prev: number) => tf.Tensor1D, end: number, maxLength: number): number[] {
        const out: number[] = [];
        let prev = 0;
        let done = false;
        while (!done) {
          prev = tf.tidy(() => step(prev).argMax().dataSync()[0]);
          out.push(prev);
          if (prev === end || out.length >= maxLength) done = true;
        }
        return out;
      }
    `,
  },
  {
    name: 'a search that stops at the first match: the read decides the break',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function firstAbove(scores: tf.Tensor1D[], threshold: number): number {
        let found = -1;
        for (let k = 0; k < scores.length; k++) {
          const best = tf.tidy(() => scores[k].max().dataSync()[0]);
          if (best > threshold) {
            found = k;
            break;
          }
        }
        return found;
      }
    `,
  },
  {
    name: 'a read in a branch a constant flag turns off (a demo switch) never runs',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      interface Face {
        topLeft: tf.Tensor1D | number[];
      }

      export function draw(faces: Face[], ctx: { fillRect(x: number, y: number, w: number, h: number): void }): void {
        const returnTensors = false;
        for (let i = 0; i < faces.length; i++) {
          if (returnTensors) faces[i].topLeft = (faces[i].topLeft as tf.Tensor1D).arraySync();
          const [x, y] = faces[i].topLeft as number[];
          ctx.fillRect(x, y, 1, 1);
        }
      }
    `,
  },
  {
    name: 'a file that reaches TF.js through its own module, without the tfjsModules setting: not TF.js',
    code: dedent`
      import * as tf from '../backend/adapter';

      export async function totals(ts: tf.Tensor[]): Promise<number[]> {
        const out: number[] = [];
        for (const t of ts) out.push((await t.data())[0]);
        return out;
      }
    `,
  },
];

export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'a loop-invariant read indexed in place: hoisted (autofix)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor1D): tf.Tensor1D {
        const out = new Float32Array(x.size);
        for (let i = 0; i < x.size; i++) out[i] = x.dataSync()[i] * 2;
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor1D): tf.Tensor1D {
        const out = new Float32Array(x.size);
        const xData = x.dataSync();
        for (let i = 0; i < x.size; i++) out[i] = xData[i] * 2;
        return tf.tensor1d(out);
      }
    `,
    errors: [
      {
        messageId: 'invariantRead',
        data: LOOP_MSG('x.dataSync()', 'x'),
        line: 5,
        column: 45,
        endLine: 5,
        endColumn: 57,
      },
    ],
  },
  {
    name: 'a declaration of the read in the loop body moves above the loop (autofix, comment kept)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pick(x: tf.Tensor1D, idx: number[]): number {
        let s = 0;
        for (const i of idx) {
          const d = /* flat */ x.dataSync();
          s += d[i];
        }
        return s;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pick(x: tf.Tensor1D, idx: number[]): number {
        let s = 0;
        const d = /* flat */ x.dataSync();
        for (const i of idx) {
          s += d[i];
        }
        return s;
      }
    `,
    errors: [
      {
        messageId: 'invariantRead',
        data: LOOP_MSG('x.dataSync()', 'x', '`for…of` loop'),
        line: 6,
        column: 26,
        endLine: 6,
        endColumn: 38,
      },
    ],
  },
  {
    name: 'two reads of the same tensor share one hoisted declaration',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function diffs(x: tf.Tensor1D): number[] {
        const out: number[] = [];
        for (let i = 1; i < x.size; i++) out.push(x.dataSync()[i] - x.dataSync()[i - 1]);
        return out;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function diffs(x: tf.Tensor1D): number[] {
        const out: number[] = [];
        const xData = x.dataSync();
        for (let i = 1; i < x.size; i++) out.push(xData[i] - xData[i - 1]);
        return out;
      }
    `,
    errors: [
      { messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x'), line: 5, column: 45 },
      { messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x'), line: 5, column: 63 },
    ],
  },
  {
    name: 'the hoisted name avoids one already in the file',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      const xData = 1;
      export function scaled(x: tf.Tensor1D, n: number): number[] {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push(x.dataSync()[i] * xData);
        return out;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      const xData = 1;
      export function scaled(x: tf.Tensor1D, n: number): number[] {
        const out: number[] = [];
        const xData2 = x.dataSync();
        for (let i = 0; i < n; i++) out.push(xData2[i] * xData);
        return out;
      }
    `,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x') }],
  },
  {
    name: 'a name with $ in it: the fresh name is checked as a whole identifier',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      const $xData = [1];
      export function scaled($x: tf.Tensor1D, n: number): number[] {
        const out: number[] = [];
        for (let i = 0; i < n; i++) out.push($x.dataSync()[i] * $xData[0]);
        return out;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      const $xData = [1];
      export function scaled($x: tf.Tensor1D, n: number): number[] {
        const out: number[] = [];
        const $xData2 = $x.dataSync();
        for (let i = 0; i < n; i++) out.push($xData2[i] * $xData[0]);
        return out;
      }
    `,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('$x.dataSync()', '$x') }],
  },
  {
    name: 'a read in the loop test is hoisted',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function count(x: tf.Tensor1D): number {
        let c = 0;
        for (let i = 0; i < x.dataSync().length; i++) c++;
        return c;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function count(x: tf.Tensor1D): number {
        let c = 0;
        const xData = x.dataSync();
        for (let i = 0; i < xData.length; i++) c++;
        return c;
      }
    `,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x'), line: 5, column: 23 }],
  },
  {
    name: 'forEach callback: the read goes above the statement that holds the call',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function gather(x: tf.Tensor2D, idx: number[]): number[] {
        const out: number[] = [];
        idx.forEach((i) => {
          out.push(x.arraySync()[i][0]);
        });
        return out;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function gather(x: tf.Tensor2D, idx: number[]): number[] {
        const out: number[] = [];
        const xValues = x.arraySync();
        idx.forEach((i) => {
          out.push(xValues[i][0]);
        });
        return out;
      }
    `,
    errors: [
      { messageId: 'invariantRead', data: LOOP_MSG('x.arraySync()', 'x', '`forEach` callback'), line: 6, column: 14 },
    ],
  },
  {
    name: 'map callback in a declaration: bufferSync().get hoisted',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function diagonal(x: tf.Tensor2D): number[] {
        const values = [0, 1, 2].map((i) => x.bufferSync().get(i, i));
        return values;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function diagonal(x: tf.Tensor2D): number[] {
        const xBuffer = x.bufferSync();
        const values = [0, 1, 2].map((i) => xBuffer.get(i, i));
        return values;
      }
    `,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.bufferSync()', 'x', '`map` callback') }],
  },
  {
    name: 'a labelled loop: the declaration goes above the label',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function scan(x: tf.Tensor1D, n: number): number {
        let s = 0;
        outer: for (let i = 0; i < n; i++) {
          s += x.dataSync()[i];
          for (let j = 0; j < i; j++) if (j > 3) continue outer;
        }
        return s;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function scan(x: tf.Tensor1D, n: number): number {
        let s = 0;
        const xData = x.dataSync();
        outer: for (let i = 0; i < n; i++) {
          s += xData[i];
          for (let j = 0; j < i; j++) if (j > 3) continue outer;
        }
        return s;
      }
    `,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x') }],
  },
  {
    name: 'nested loops: the read moves out one loop per pass',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sum2(x: tf.Tensor2D, n: number, m: number): number {
        let s = 0;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) s += x.dataSync()[i * m + j];
        }
        return s;
      }
    `,
    output: [
      dedent`
        import * as tf from '@tensorflow/tfjs';

        export function sum2(x: tf.Tensor2D, n: number, m: number): number {
          let s = 0;
          for (let i = 0; i < n; i++) {
            const xData = x.dataSync();
            for (let j = 0; j < m; j++) s += xData[i * m + j];
          }
          return s;
        }
      `,
      dedent`
        import * as tf from '@tensorflow/tfjs';

        export function sum2(x: tf.Tensor2D, n: number, m: number): number {
          let s = 0;
          const xData = x.dataSync();
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < m; j++) s += xData[i * m + j];
          }
          return s;
        }
      `,
    ],
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x') }],
  },
  {
    name: 'an awaited read is offered as a suggestion: the loop would stop yielding per iteration',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function total(x: tf.Tensor1D, n: number): Promise<number> {
        let s = 0;
        for (let i = 0; i < n; i++) s += (await x.data())[i];
        return s;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'invariantRead',
        data: LOOP_MSG('await x.data()', 'x'),
        line: 5,
        column: 37,
        endColumn: 51,
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

              export async function total(x: tf.Tensor1D, n: number): Promise<number> {
                let s = 0;
                const xData = await x.data();
                for (let i = 0; i < n; i++) s += (xData)[i];
                return s;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'a parameter read in a loop that calls unknown code: suggestion (a tf.Variable could change)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function trace(w: tf.Tensor1D, step: () => void, n: number): number[] {
        const seen: number[] = [];
        for (let i = 0; i < n; i++) {
          step();
          seen.push(w.dataSync()[0]);
        }
        return seen;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'invariantRead',
        data: LOOP_MSG('w.dataSync()', 'w'),
        suggestions: [
          {
            messageId: 'hoistRead',
            data: {
              tensor: 'w',
              caveat: 'if `w` is a tf.Variable that a call in the loop assigns, the hoisted values go stale',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function trace(w: tf.Tensor1D, step: () => void, n: number): number[] {
                const seen: number[] = [];
                const wData = w.dataSync();
                for (let i = 0; i < n; i++) {
                  step();
                  seen.push(wData[0]);
                }
                return seen;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'a tensor made by a TF.js op cannot change: autofix even with unknown calls in the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function report(logits: tf.Tensor2D, labels: string[], log: (s: string) => void): void {
        const probs = tf.softmax(logits);
        for (let i = 0; i < labels.length; i++) log(\`\${labels[i]}: \${probs.arraySync()[i][0]}\`);
        probs.dispose();
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function report(logits: tf.Tensor2D, labels: string[], log: (s: string) => void): void {
        const probs = tf.softmax(logits);
        const probsValues = probs.arraySync();
        for (let i = 0; i < labels.length; i++) log(\`\${labels[i]}: \${probsValues[i][0]}\`);
        probs.dispose();
      }
    `,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('probs.arraySync()', 'probs') }],
  },
  {
    name: 'a read inside an if: reported, not hoisted (it may never run)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function firstPositive(x: tf.Tensor1D, flags: boolean[]): number {
        let s = 0;
        for (let i = 0; i < flags.length; i++) {
          if (flags[i]) s += x.dataSync()[i];
        }
        return s;
      }
    `,
    output: null,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x'), line: 6, column: 24 }],
  },
  {
    name: 'a read after a continue: reported, not hoisted',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sumOdd(x: tf.Tensor1D, n: number): number {
        let s = 0;
        for (let i = 0; i < n; i++) {
          if (i % 2 === 0) continue;
          s += x.dataSync()[i];
        }
        return s;
      }
    `,
    output: null,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x'), line: 7 }],
  },
  {
    name: 'a read whose array is written: reported, not hoisted (iterations would share one array)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function bumped(x: tf.Tensor1D, n: number): number[] {
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          const d = x.dataSync();
          d[0] += i;
          out.push(d[0]);
        }
        return out;
      }
    `,
    output: null,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x'), line: 6 }],
  },
  {
    name: 'a tensor disposed in the loop: reported, not hoisted',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function once(x: tf.Tensor1D, n: number): number {
        let s = 0;
        for (let i = 0; i < n; i++) {
          s += x.dataSync()[0];
          x.dispose();
        }
        return s;
      }
    `,
    output: null,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x'), line: 6 }],
  },
  {
    name: 'a loop that is the branch of an if without braces: reported, not hoisted',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function maybe(x: tf.Tensor1D, n: number, on: boolean): number {
        let s = 0;
        if (on) for (let i = 0; i < n; i++) s += x.dataSync()[i];
        return s;
      }
    `,
    output: null,
    errors: [{ messageId: 'invariantRead', data: LOOP_MSG('x.dataSync()', 'x'), line: 5 }],
  },
  {
    name: 'one read-back per tensor of a list (no-element-loop leaves it alone): the read depends on the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function totals(ts: tf.Tensor[]): number {
        let total = 0;
        for (const t of ts) total += t.dataSync()[0];
        return total;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'readInLoop',
        data: { read: 't.dataSync()', loop: '`for…of` loop' },
        line: 5,
        column: 32,
        endColumn: 44,
      },
    ],
  },
  {
    name: 'rows.forEach((r) => r.arraySync())',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function toRows(rows: tf.Tensor1D[]): number[][] {
        const out: number[][] = [];
        rows.forEach((r) => out.push(r.arraySync()));
        return out;
      }
    `,
    output: null,
    errors: [
      { messageId: 'readInLoop', data: { read: 'r.arraySync()', loop: '`forEach` callback' }, line: 5, column: 32 },
    ],
  },
  {
    name: 'a read of an op on each element of a map',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function norms(x: tf.Tensor2D): number[] {
        return tf.unstack(x).map((row) => row.norm().dataSync()[0]);
      }
    `,
    output: null,
    errors: [{ messageId: 'readInLoop', data: { read: 'row.norm().dataSync()', loop: '`map` callback' } }],
  },
  {
    name: 'per-batch evaluation: a loss read per batch with no training in the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function evalLosses(model: tf.LayersModel, xs: tf.Tensor2D[], ys: tf.Tensor2D[]): number[] {
        const losses: number[] = [];
        for (let b = 0; b < xs.length; b++) {
          const loss = tf.tidy(() => tf.losses.meanSquaredError(ys[b], model.predict(xs[b]) as tf.Tensor2D));
          losses.push(loss.dataSync()[0]);
          loss.dispose();
        }
        return losses;
      }
    `,
    output: null,
    errors: [{ messageId: 'readInLoop', data: { read: 'loss.dataSync()', loop: '`for` loop' }, line: 7 }],
  },
  {
    name: 'model.predict(…).data() awaited per item',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function classify(model: tf.LayersModel, images: tf.Tensor4D[]): Promise<Float32Array[]> {
        const out: Float32Array[] = [];
        for (const img of images) out.push((await (model.predict(img) as tf.Tensor).data()) as Float32Array);
        return out;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'readInLoop',
        data: { read: 'await (model.predict(img) as tf.Tensor).data()', loop: '`for…of` loop' },
      },
    ],
  },
  {
    name: 'a second read in one training step',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function train(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
        for (let epoch = 0; epoch < 10; epoch++) {
          await model.fit(xs, ys, { epochs: 1 });
          const [loss, acc] = model.evaluate(xs, ys) as tf.Scalar[];
          console.log(loss.dataSync()[0], acc.dataSync()[0]);
          tf.dispose([loss, acc]);
        }
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'extraStepRead',
        data: { read: 'acc.dataSync()', count: '2', loop: '`for` loop', allowed: '1' },
        line: 7,
        column: 37,
      },
    ],
  },
  {
    name: 'allowedReadsPerStep: 0 reports the read of a training loop too',
    options: [{ allowedReadsPerStep: 0 }],
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function train(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<void> {
        for (let epoch = 0; epoch < 10; epoch++) {
          await model.fit(xs, ys, { epochs: 1 });
          const loss = model.evaluate(xs, ys) as tf.Scalar;
          console.log(loss.dataSync()[0]);
          loss.dispose();
        }
      }
    `,
    output: null,
    errors: [{ messageId: 'readInLoop', data: { read: 'loss.dataSync()', loop: '`for` loop' }, line: 7 }],
  },
  // Issue 12: read-backs one level down, in a helper of the same module called on every iteration.
  {
    name: 'an IoU helper that reads the whole boxes tensor, called for every pair of boxes',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function overlap(boxes: tf.Tensor2D, i: number, j: number): number {
        const b = boxes.arraySync();
        return Math.max(0, Math.min(b[i][1], b[j][1]) - Math.max(b[i][0], b[j][0]));
      }

      export function pairs(boxes: tf.Tensor2D): number[] {
        const out: number[] = [];
        for (let i = 0; i < boxes.shape[0]; i++) for (let j = 0; j < i; j++) out.push(overlap(boxes, i, j));
        return out;
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
        column: 81,
        endLine: 10,
        endColumn: 101,
      },
    ],
  },
  {
    name: 'a helper that reads back a tensor made from its argument, called per element',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function total(t: tf.Tensor): number {
        return tf.tidy(() => t.sum().dataSync()[0]);
      }

      export function sums(ts: tf.Tensor[]): number[] {
        return ts.map((t) => total(t));
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'readInCall',
        data: {
          call: 'total(t)',
          loop: '`map` callback',
          read: 't.sum().dataSync()',
          line: '4',
          callee: 'total',
        },
        line: 8,
        column: 24,
        endLine: 8,
        endColumn: 32,
      },
    ],
  },
  {
    name: 'a read inside a tf.tidy callback runs on every iteration too',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sums(ts: tf.Tensor[]): number[] {
        const out: number[] = [];
        for (const t of ts) out.push(tf.tidy(() => t.sum().dataSync()[0]));
        return out;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'readInLoop',
        data: { read: 't.sum().dataSync()', loop: '`for…of` loop' },
        line: 5,
        column: 46,
        endLine: 5,
        endColumn: 64,
      },
    ],
  },
  // Issue 12: a variable the loop assign()s is not loop-invariant: reported, never hoisted.
  {
    name: 'allowedReadsPerStep: 0 and a tf.Variable the loop assign()s: reported as a read per iteration, no hoist',
    options: [{ allowedReadsPerStep: 0 }],
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function descend(w: tf.Variable, target: tf.Tensor, steps: number): number[] {
        const trace: number[] = [];
        for (let step = 0; step < steps; step++) {
          tf.tidy(() => {
            w.assign(w.sub(w.sub(target).mul(0.5)));
          });
          trace.push(w.dataSync()[0]);
        }
        return trace;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'readInLoop',
        data: { read: 'w.dataSync()', loop: '`for` loop' },
        line: 9,
        column: 16,
        endLine: 9,
        endColumn: 28,
        suggestions: [],
      },
    ],
  },
  {
    name: 'the same tokens fed from a list instead of back from the model: a read per step that one batch replaces',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function classify(model: tf.LayersModel, inputs: tf.Tensor2D[]): number[] {
        const out: number[] = [];
        for (let i = 0; i < inputs.length; i++) {
          const next = tf.tidy(() => (model.predict(inputs[i]) as tf.Tensor).argMax().dataSync()[0]);
          out.push(next);
        }
        return out;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'readInLoop',
        data: { read: '(model.predict(inputs[i]) as tf.Tensor).argMax().dataSync()', loop: '`for` loop' },
        line: 6,
        column: 32,
      },
    ],
  },
  {
    name: 'a flag that is a parameter (neighbour of the constant demo switch): the read may run',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      interface Face {
        topLeft: tf.Tensor1D | number[];
      }

      export function toArrays(faces: Face[], returnTensors: boolean): void {
        for (let i = 0; i < faces.length; i++) {
          if (!returnTensors) faces[i].topLeft = (faces[i].topLeft as tf.Tensor1D).arraySync();
        }
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'readInLoop',
        data: { read: '(faces[i].topLeft as tf.Tensor1D).arraySync()', loop: '`for` loop' },
        line: 9,
        column: 44,
      },
    ],
  },
  {
    name: 'settings.vectorize.tfjsModules: TF.js reached through the project’s own module',
    settings: { vectorize: { tfjsModules: ['../backend/adapter'] } },
    code: dedent`
      import * as tf from '../backend/adapter';

      export async function totals(ts: tf.Tensor[]): Promise<number[]> {
        const out: number[] = [];
        for (const t of ts) out.push((await t.data())[0]);
        return out;
      }
    `,
    output: null,
    errors: [{ messageId: 'readInLoop', data: { read: 'await t.data()', loop: '`for…of` loop' }, line: 5, column: 33 }],
  },
  {
    name: 'settings.vectorize.tfjsModules as a glob: a vendored bundle',
    settings: { vectorize: { tfjsModules: ['**/tfjs.esm.js'] } },
    code: dedent`
      import * as tf from '../dist/tfjs.esm.js';

      export function firsts(ts: tf.Tensor[]): number[] {
        return ts.map((t) => t.dataSync()[0]);
      }
    `,
    output: null,
    errors: [{ messageId: 'readInLoop', data: { read: 't.dataSync()', loop: '`map` callback' }, line: 4, column: 24 }],
  },
];
