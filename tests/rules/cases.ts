/**
 * The cases of `vectorize/no-element-loop`, shared by the untyped suite (no-element-loop.test.ts)
 * and the typed one (no-element-loop.typed.test.ts): types may only add certainty, so both must
 * give exactly these results. Each `output` was produced by the rule and then checked by hand
 * against the loop it replaces (op semantics, axes, transpose flags, dtypes).
 */
import type { InvalidTestCase, RuleTester, ValidTestCase } from '@typescript-eslint/rule-tester';
import type { ESLintUtils } from '@typescript-eslint/utils';
import type rule from '../../src/rules/no-element-loop.js';

export type MessageIds = ESLintUtils.InferMessageIdsTypeFromRule<typeof rule>;
export type Options = ESLintUtils.InferOptionsTypeFromRule<typeof rule>;

/**
 * The rule's type as `RuleTester#run` spells it. @typescript-eslint/rule-tester 8.72.0 brings its
 * own copy of @typescript-eslint/utils (the plugin is built on 8.73.0), and the two copies'
 * `RuleModule` types differ by private members only: the same object at runtime.
 */
export type TestedRule = Parameters<typeof RuleTester.prototype.run<MessageIds, Options>>[1];

/**
 * Source text written indented inside a case: drops the first and last line (the ones holding the
 * backticks) and the common indentation, and ends the text with a newline.
 */
export function dedent(strings: TemplateStringsArray): string {
  const lines = strings.join('').split('\n').slice(1, -1);
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

// Loops the rule must leave alone: no TF.js data read, effects it cannot move, look-alike APIs, odd syntax.
export const valid: ValidTestCase<Options>[] = [
  {
    // The view of `d` is asked while it is computed (the recursive call passes it on): none, and no endless
    // recursion (a stack overflow, until 2026-12-07).
    name: 'a recursive helper that passes its own parameter on, and two helpers that pass one to each other',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(d: Float32Array, n: number): number {
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return n > 0 ? total(d, n - 1) + s : s;
      }

      function ping(d: Float32Array, n: number): number {
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i] * 2;
        return n > 0 ? pong(d, n - 1) : s;
      }

      function pong(d: Float32Array, n: number): number {
        let m = 0;
        for (let i = 0; i < d.length; i++) m = Math.max(m, d[i]);
        return n > 0 ? ping(d, n - 1) : m;
      }

      const x = tf.ones([4]);
      export const y = total(x.dataSync() as Float32Array, 2) + ping(x.dataSync() as Float32Array, 3);
    `,
  },
  {
    name: 'a running index advanced only for some elements (a compaction into a typed array)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positives(x: tf.Tensor1D): Float32Array {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        let k = 0;
        for (let i = 0; i < d.length; i++) {
          if (d[i] > 0) out[k++] = d[i];
        }
        return out;
      }
    `,
  },
  {
    name: 'a running index read after the loop, and one advanced by data',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function counted(x: tf.Tensor1D): number {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        let k = 0;
        for (let i = 0; i < d.length; i++) out[k++] = d[i] * 2;
        return k + out[0];
      }

      export function jumps(x: tf.Tensor1D, steps: number[]): Float32Array {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        let k = 0;
        for (let i = 0; i < d.length; i++) {
          out[k] = d[i];
          k += steps[i];
        }
        return out;
      }
    `,
  },
  {
    name: 'two writes per element that overlap the next element (positions 2i and 2i + 2)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function overlap(x: tf.Tensor1D): Float32Array {
        const d = x.dataSync();
        const n = d.length;
        const out = new Float32Array(2 * n + 1);
        for (let i = 0; i < n; i++) {
          out[2 * i] = d[i];
          out[2 * i + 2] = -d[i];
        }
        return out;
      }
    `,
  },
  {
    name: 'no TF.js import',
    code: dedent`
      export function rowSums(x: { shape: number[]; dataSync(): Float32Array }): Float32Array {
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
    name: 'loops with a dependence over data read back from a tensor no variable holds are not flagged as such',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function groups(ys: tf.Tensor2D): number[][] {
        const classIndices = tf.argMax(ys, -1).dataSync();
        const byClass: number[][] = [];
        for (let i = 0; i < classIndices.length; ++i) {
          const c = classIndices[i];
          if (byClass[c] == null) byClass[c] = [];
          byClass[c].push(i);
        }
        return byClass;
      }

      export function pick(model: tf.LayersModel, x: tf.Tensor2D): number {
        const result = (model.predict(x) as tf.Tensor).arraySync() as number[][];
        let best = 0;
        let at = 7;
        for (let i = 0; i < 7; i++) {
          if (result[0][i] > best) at = i;
        }
        return at;
      }
    `,
  },
  {
    name: 'row literals the rule leaves alone: rows of truth values, a spread',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function flags(kp: tf.Tensor2D): boolean[][] {
        const rows = kp.arraySync();
        return rows.map((r) => [r[0] > 0, r[1] > 0]);
      }

      export function homogeneous(kp: tf.Tensor2D): number[][] {
        const rows = kp.arraySync();
        return rows.map((r) => [...r, 1]);
      }
    `,
  },
  {
    name: 'a public method of an exported class may have callers elsewhere: its rows are not assumed to be tensor data',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Pipeline {
        run(keypoints: tf.Tensor2D): number[][] {
          return this.scale(keypoints.arraySync(), 2);
        }

        scale(rows: number[][], s: number): number[][] {
          return rows.map((c) => [c[0] * s, c[1] * s]);
        }
      }
    `,
  },
  {
    name: 'JS values the loop may see change are not taken once: a getter, a field or an array entry written in the loop, an entry past a table',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class A {
        private k = 2;
        get g(): number {
          return 3;
        }
        scaleGetter(x: tf.Tensor1D): Float32Array {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = d[i] * this.g;
          return out;
        }
        scaleWritten(x: tf.Tensor1D): Float32Array {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) {
            out[i] = d[i] * this.k;
            this.k = 3;
          }
          return out;
        }
      }

      export function mutated(x: tf.Tensor1D): Float32Array {
        const d = x.dataSync();
        const s = [1, 2];
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) {
          out[i] = d[i] * s[0];
          s[0] = d[i];
        }
        return out;
      }

      export function beyond(x: tf.Tensor1D): Float32Array {
        const d = x.dataSync();
        const s = [1, 2];
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] * s[2];
        return out;
      }
    `,
  },
  {
    name: 'awaited .data() on the result of an unknown call is not a tensor read',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';
      declare function fetchTable(): Promise<{ data(): Promise<Float32Array> }>;
      export async function doubled(): Promise<tf.Tensor1D> {
        const table = await fetchTable();
        const d = await table.data();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] * 2;
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'arraySync() of a value imported from another module',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';
      import { store } from './store';
      export function doubled(): tf.Tensor2D {
        const rows = store.arraySync();
        const out: number[][] = [];
        for (const row of rows) {
          const r: number[] = [];
          for (const v of row) r.push(v * 2);
          out.push(r);
        }
        return tf.tensor2d(out);
      }
    `,
  },
  {
    name: 'writing into an arraySync() copy is not an in-place write on the tensor',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';
      export function clampRows(x: tf.Tensor2D): tf.Tensor2D {
        const a = x.arraySync();
        for (let i = 0; i < a.length; i++) {
          for (let j = 0; j < a[i].length; j++) a[i][j] = Math.max(a[i][j], 0);
        }
        return tf.tensor2d(a);
      }
    `,
  },
  {
    name: 'type-only TF.js import',
    code: dedent`
      import type { Tensor2D } from '@tensorflow/tfjs';

      export function rowSums(x: Tensor2D): Float32Array {
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
    name: 'a global `tf` without an import',
    code: dedent`
      declare const tf: any;

      export function rowSums(x: any): any {
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
  },
  {
    name: 'plain JS array sum',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(values: number[]): tf.Scalar {
        let s = 0;
        for (let i = 0; i < values.length; i++) s += values[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'plain JS nested-array matmul',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function matmul(a: number[][], b: number[][]): tf.Tensor2D {
        const out: number[][] = [];
        for (let i = 0; i < a.length; i++) {
          const row: number[] = [];
          for (let j = 0; j < b[0].length; j++) {
            let s = 0;
            for (let k = 0; k < b.length; k++) s += a[i][k] * b[k][j];
            row.push(s);
          }
          out.push(row);
        }
        return tf.tensor2d(out);
      }
    `,
  },
  {
    name: 'canvas ImageData',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function grayscale(ctx: CanvasRenderingContext2D, w: number, h: number): tf.Tensor2D {
        const img = ctx.getImageData(0, 0, w, h);
        const d = img.data;
        const out = new Float32Array(w * h);
        for (let i = 0; i < w * h; i++) out[i] = (d[4 * i] + d[4 * i + 1] + d[4 * i + 2]) / 765;
        return tf.tensor2d(out, [h, w]);
      }
    `,
  },
  {
    name: 'strings',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function encode(text: string, vocab: Map<string, number>): tf.Tensor1D {
        const ids: number[] = [];
        for (let i = 0; i < text.length; i++) ids.push(vocab.get(text[i]) ?? 0);
        return tf.tensor1d(ids, 'int32');
      }
    `,
  },
  {
    name: 'building a tensor from non-tensor values',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positions(n: number): tf.Tensor1D {
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) out[i] = Math.sin(i / n);
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'class weights from JS counts',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      const COUNTS = [120, 30, 45, 5];

      export function classWeights(): tf.Tensor1D {
        const total = COUNTS.reduce((a, b) => a + b, 0);
        const w: number[] = [];
        for (let c = 0; c < COUNTS.length; c++) w.push(total / (COUNTS.length * COUNTS[c]));
        return tf.tensor1d(w);
      }
    `,
  },
  {
    name: 'tensor ops per batch',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function trainEpoch(model: tf.LayersModel, xs: tf.Tensor2D[], ys: tf.Tensor2D[]): number[] {
        const losses: number[] = [];
        for (let b = 0; b < xs.length; b++) {
          const loss = tf.tidy(() => tf.losses.meanSquaredError(ys[b], model.predict(xs[b]) as tf.Tensor2D));
          losses.push(loss.dataSync()[0]);
          loss.dispose();
        }
        return losses;
      }
    `,
  },
  {
    name: 'tf.tidy per item',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predictAll(model: tf.LayersModel, xs: tf.Tensor2D[]): tf.Tensor[] {
        const outs: tf.Tensor[] = [];
        for (let i = 0; i < xs.length; i++) outs.push(tf.tidy(() => model.predict(xs[i]) as tf.Tensor));
        return outs;
      }
    `,
  },
  {
    name: 'break in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function firstNegative(x: tf.Tensor1D): number {
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
    name: 'continue in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positiveSum(x: tf.Tensor1D): tf.Scalar {
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
    name: 'return in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function hasNaN(x: tf.Tensor1D): boolean {
        const d = x.dataSync();
        for (let i = 0; i < d.length; i++) {
          if (Number.isNaN(d[i])) return true;
        }
        return false;
      }
    `,
  },
  {
    name: 'throw in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function checkedSum(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) {
          if (d[i] < 0) throw new Error('negative input');
          s += d[i];
        }
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'console.log in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSumsLogged(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          console.log(i, s);
          out[i] = s;
        }
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'a call with side effects in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      declare function track(v: number): number;

      export function tracked(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = track(d[i]);
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'Math.random',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function dropout(x: tf.Tensor1D, p: number): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.random() < p ? 0 : d[i] / (1 - p);
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'compaction push inside if',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positives(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const kept: number[] = [];
        for (let i = 0; i < d.length; i++) {
          if (d[i] > 0) kept.push(d[i]);
        }
        return tf.tensor1d(kept);
      }
    `,
  },
  {
    name: 'non-max suppression',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      declare function iou(a: number[], b: number[]): number;

      export function nms(boxes: tf.Tensor2D, scores: tf.Tensor1D, threshold: number): number[] {
        const b = boxes.arraySync();
        const s = scores.dataSync();
        const order = Array.from(s.keys()).sort((p, q) => s[q] - s[p]);
        const keep: number[] = [];
        for (const i of order) {
          let ok = true;
          for (const k of keep) if (iou(b[i], b[k]) > threshold) ok = false;
          if (ok) keep.push(i);
        }
        return keep;
      }
    `,
  },
  {
    name: 'step 2',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function evenSum(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i += 2) s += d[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'loop starting at 2',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function tailSum(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 2; i < d.length; i++) s += d[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'last = d[i]',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function lastValue(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let last = 0;
        for (let i = 0; i < d.length; i++) last = d[i];
        return tf.scalar(last);
      }
    `,
  },
  {
    name: 'while loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor1D): tf.Scalar {
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
    name: 'do…while loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        let i = 0;
        do {
          s += d[i];
          i++;
        } while (i < d.length);
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'writes into an object',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function histogram(labels: tf.Tensor1D): Record<number, number> {
        const d = labels.dataSync();
        const counts: Record<number, number> = {};
        for (let i = 0; i < d.length; i++) counts[d[i]] = (counts[d[i]] ?? 0) + 1;
        return counts;
      }
    `,
  },
  {
    name: 'accumulates into an object property',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function stats(x: tf.Tensor1D): { sum: number } {
        const d = x.dataSync();
        const acc = { sum: 0 };
        for (let i = 0; i < d.length; i++) acc.sum += d[i];
        return acc;
      }
    `,
  },
  {
    name: 'unrelated loop in a file that imports tf',
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
    name: 'look-alike: .data() on a non-tensor (not awaited)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';
      import { fetchTable } from './table';

      export function doubled(): tf.Tensor1D {
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

      function sum(xs: ArrayLike<number>): number {
        let s = 0;
        for (let i = 0; i < xs.length; i++) s += xs[i];
        return s;
      }

      export function meanOf(values: number[]): tf.Scalar {
        return tf.scalar(sum(values) / values.length);
      }
    `,
  },
  {
    name: 'look-alike: Map#get in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function lookup(ids: number[], table: Map<number, number>): tf.Tensor1D {
        const out = new Float32Array(ids.length);
        for (let i = 0; i < ids.length; i++) out[i] = table.get(ids[i]) ?? 0;
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'accumulator never used after the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function noop(x: tf.Tensor1D): void {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
      }
    `,
  },
  {
    name: 'partial write (d.length - 1)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function diffs(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length - 1);
        for (let i = 0; i < d.length - 1; i++) out[i] = d[i + 1] - d[i];
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: '`<=` bound',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i <= d.length - 1; i++) s += d[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: '`%` (truncated vs floored remainder)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function wrap(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] % 1;
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'non-affine index d[i * i]',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function squaresIdx(x: tf.Tensor1D, n: number): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < n; i++) s += d[i * i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'one read-back per tensor of a list',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function totals(ts: tf.Tensor[]): number {
        let total = 0;
        for (const t of ts) total += t.dataSync()[0];
        return total;
      }
    `,
  },
  {
    name: 'await inside the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function totals(ts: tf.Tensor[]): Promise<number> {
        let total = 0;
        for (let i = 0; i < ts.length; i++) {
          const d = await ts[i].data();
          total += d[0];
        }
        return total;
      }
    `,
  },
  {
    name: 'reads its own output from a loop that starts at 1',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function smooth(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 1; i < d.length; i++) out[i] = out[i - 1] + d[i];
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'look-alike: Map#set in the body (not a tf.buffer)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function index(x: tf.Tensor1D): Map<number, number> {
        const d = x.dataSync();
        const byPosition = new Map<number, number>();
        for (let i = 0; i < d.length; i++) byPosition.set(i, d[i] * 2);
        return byPosition;
      }
    `,
  },
  {
    name: 'pushes into an array the caller owns',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function appendDoubled(x: tf.Tensor1D, out: number[]): void {
        const d = x.dataSync();
        for (let i = 0; i < d.length; i++) out.push(d[i] * 2);
      }
    `,
  },
  {
    name: 'bitwise `&`',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function parity(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Int32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] & 1;
        return tf.tensor1d(out, 'int32');
      }
    `,
  },
  {
    name: 'callback loop: map over a non-tensor array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function lengths(words: string[]): tf.Tensor1D {
        return tf.tensor1d(words.map((w) => w.length));
      }
    `,
  },
  {
    name: 'callback loop: reduce over a non-tensor array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(values: number[]): tf.Scalar {
        return tf.scalar(values.reduce((s, v) => s + v, 0));
      }
    `,
  },
  {
    name: 'callback loop: forEach over a non-tensor array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function lengths(words: string[]): tf.Tensor1D {
        const out = new Float32Array(words.length);
        words.forEach((w, i) => {
          out[i] = w.length;
        });
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'adversarial: odd map / reduce / forEach calls',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      declare function step(v: number): number;

      export async function odd(x: tf.Tensor2D, fn: (row: number[]) => number): Promise<unknown[]> {
        const rows = x.arraySync();
        const d = x.dataSync();
        const out: unknown[] = [];
        out.push(rows.map());
        out.push(rows.map(fn));
        out.push(d.reduce(step as never));
        out.push(d.reduce((s) => s, 0));
        out.push([].map.call(d, (v: number) => v));
        out.push(rows.map(async (row) => row[0]));
        out.push(rows.map((row, i, all) => all.length + i));
        out.push(rows.map(([a, b]) => a + b));
        out.push(rows.map((row = [1]) => row[0]));
        out.push(rows.map((...args) => args.length));
        rows.forEach((row) => out.push(row));
        rows.forEach(fn);
        rows.forEach(async (row) => { await Promise.resolve(row); });
        d.forEach((v, i) => { if (i > 0) out.push(v); });
        return out;
      }
    `,
  },
  {
    name: 'callback loop: a tensor op per tensor of a list',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sums(ts: tf.Tensor[]): tf.Tensor[] {
        return ts.map((t) => tf.sum(t));
      }
    `,
  },
  {
    name: 'callback loop: console.log per row',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function dump(x: tf.Tensor2D): void {
        const rows = x.arraySync();
        rows.forEach((row, i) => console.log(i, row.join(' ')));
      }
    `,
  },
  {
    name: 'callback loop: map that reads only the index',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positions(x: tf.Tensor2D): tf.Tensor1D {
        const rows = x.arraySync();
        return tf.tensor1d(rows.map((_, i) => i));
      }
    `,
  },
  {
    name: 'callback loop: filter (compaction)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function positives(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        return tf.tensor1d(d.filter((v) => v > 0));
      }
    `,
  },
  {
    name: 'callback loop: some (early exit)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function hasNaN(x: tf.Tensor): boolean {
        return x.dataSync().some((v) => Number.isNaN(v));
      }
    `,
  },
  {
    name: 'callback loop: reduce into a string',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function csv(x: tf.Tensor1D): string {
        const d = x.dataSync();
        return d.reduce((s, v) => s + String(v) + ',', '');
      }
    `,
  },
  {
    name: 'callback loop: reduce into an object',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function counts(labels: tf.Tensor1D): Record<number, number> {
        const d = Array.from(labels.dataSync());
        return d.reduce<Record<number, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
      }
    `,
  },
  {
    name: 'adversarial: empty file',
    code: '',
  },
  {
    name: 'adversarial: only an import',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';
    `,
  },
  {
    name: 'adversarial: labelled break',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function find(x: tf.Tensor2D): number {
        const [n, m] = x.shape;
        const d = x.dataSync();
        let found = -1;
        outer: for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) {
            if (d[i * m + j] === 0) {
              found = i;
              break outer;
            }
          }
        }
        return found;
      }
    `,
  },
  {
    name: 'adversarial: labelled inner loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          cols: for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'adversarial: generator with yield in the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function* values(x: tf.Tensor1D): Generator<number> {
        const d = x.dataSync();
        for (let i = 0; i < d.length; i++) yield d[i] * 2;
      }
    `,
  },
  {
    name: 'adversarial: for (;;), missing test, missing update',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function spin(x: tf.Tensor1D): void {
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
    name: 'adversarial: class fields, private names, static block',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Scaler {
        d = tf.ones([4]).dataSync();
        out = new Float32Array(4);
        #n = 4;
        run(): tf.Tensor1D {
          for (let i = 0; i < this.#n; i++) this.out[i] = this.d[i] * 2;
          for (let i = 0; i < this.d.length; i++) this.out[i] = this.d[i];
          return tf.tensor1d(this.out);
        }
        static { for (let i = 0; i < 1; i++); }
      }
    `,
  },
  {
    name: 'adversarial: weird destructuring',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function weird(x: tf.Tensor2D, { k = 2 } = {}): tf.Tensor1D {
        const [, m] = x.shape;
        const [n = 1, ...rest] = x.shape;
        const { length } = x.dataSync();
        const [a0, a1] = x.arraySync();
        const out = new Float32Array(n);
        for (let i = 0, j = 0; i < n; i++, j++) out[i] = a0[i];
        for (const [p, q] of x.arraySync()) out[0] = p + q;
        for (const { v } of [{ v: 1 }]) out[0] = v;
        for (let [i] = [0]; i < n; i++) out[i] = a1[i];
        for (var q = 0; q < m; q++) out[q] = rest.length + length + k;
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'adversarial: for…in and for await',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function keys(x: tf.Tensor1D): string[] {
        const d = x.dataSync();
        const out: string[] = [];
        for (const k in d) out.push(k);
        for await (const v of [Promise.resolve(1)]) out.push(String(v));
        return out;
      }
    `,
  },
  {
    name: 'adversarial: tf shadowed inside the loop, shadowed loop variable',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function shadow(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) {
          const tf = { sum: (v: number) => v };
          s += tf.sum(d[i]);
        }
        for (let i = 0; i < d.length; i++) for (let i = 0; i < d.length; i++) s += d[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'adversarial: loop variable written in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function skip(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) {
          s += d[i];
          i += 1;
        }
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'not a histogram: counts read between their zeros and the loop, a var loop variable, a shifted label, part of the data',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function notHistograms(classes: tf.Tensor1D, n: number): number[][] {
        const d = classes.dataSync();
        const a = new Array(n).fill(0);
        const first = a[0];
        for (let i = 0; i < d.length; i++) a[d[i]]++;
        const b = new Array(n).fill(0);
        for (var i = 0; i < d.length; i++) b[d[i]]++;
        const c = new Array(n).fill(0);
        for (let j = 0; j < d.length; j++) c[d[j] - 1]++;
        const e = new Array(n).fill(0);
        for (let j = 0; j < 3; j++) e[d[j]]++;
        const f = new Array(n).fill(1);
        for (let j = 0; j < d.length; j++) f[d[j]]++;
        return [a, b, c, e, f, [first, i]];
      }
    `,
  },
  {
    name: 'a helper handed a buffer and a loop index only (no position read from data) is not a gather',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function at(k: number, b: tf.TensorBuffer<tf.Rank.R2>) {
        return b.get(k, 0);
      }

      export function firsts(coords: tf.TensorBuffer<tf.Rank.R2>, b: tf.TensorBuffer<tf.Rank.R2>): number[] {
        const out: number[] = [];
        for (let k = 0; k < 17; k++) {
          const y = coords.get(k, 0);
          out.push(at(k, b) + y);
        }
        return out;
      }
    `,
  },
  {
    name: 'not an argmax: indexOf the max of other data, from an index, lastIndexOf, or over a plain array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function searches(a: tf.Tensor1D, b: tf.Tensor1D, plain: number[]): number[] {
        const d = Array.from(a.dataSync());
        const e = Array.from(b.dataSync());
        return [
          d.indexOf(Math.max(...e)),
          d.indexOf(Math.max(...d), 1),
          d.lastIndexOf(Math.max(...d)),
          plain.indexOf(Math.max(...plain)),
        ];
      }
    `,
  },
  {
    name: "a typed array's own map is not rewritten (it returns a typed array of the data's type, which truncates or rounds)",
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function halves(x: tf.Tensor1D): Float32Array {
        return x.dataSync().map((v) => v / 2) as Float32Array;
      }
    `,
  },
  {
    name: 'not a count: filter(…) kept as an array, a filter over a plain array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function counts(p: tf.Tensor1D, plain: number[]): number[] {
        const d = Array.from(p.dataSync());
        const kept = d.filter((v) => v > 0.5);
        return [kept.length, plain.filter((v) => v > 0).length];
      }
    `,
  },
  {
    name: 'a JS array replaced by read-back data on every path is not a one-path view',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function peak(x: tf.Tensor1D): Promise<number> {
        let d: number[] = [];
        d = await x.array();
        let m = 0;
        for (let i = 0; i < d.length; i++) m = Math.max(m, d[i]);
        return m;
      }
    `,
  },
  {
    name: 'adversarial: reassigned view',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function swap(x: tf.Tensor1D, y: tf.Tensor1D): tf.Scalar {
        let d = x.dataSync();
        d = y.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'adversarial: ??, %, template index, negative index, i++ in index, i--, 0.5 start, <=',
    code: "import * as tf from '@tensorflow/tfjs';\n\nexport function odd(x: tf.Tensor1D): tf.Scalar {\n  const d = x.dataSync();\n  let s = 0;\n  for (let i = 0; i < d.length; i++) s += d[i] ?? 0;\n  for (let i = 0; i < d.length; i++) s += d[i] % 3;\n  for (let i = 0; i < d.length; i++) s += d[`${i}` as unknown as number];\n  for (let i = 0; i < d.length; i++) s += d[-i];\n  for (let i = 0; i < d.length; i++) s += d[i * i];\n  for (let i = 0; i < d.length; i++) s += (d as any)[i]!;\n  for (let i = 0; i < d.length; i++) s += d[i++];\n  for (let i = 0; i < d.length; i--) s += d[i];\n  for (let i = 0; d.length > i; i = i + 1) s -= 0;\n  for (let i = 0.5; i < d.length; i++) s += d[i];\n  for (let i = 0; i <= d.length; i++) s += d[i];\n  return tf.scalar(s);\n}\n",
  },
  {
    name: 'tensor variable reassigned before the read',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function shifted(input: tf.Tensor1D): tf.Scalar {
        let x = input;
        x = tf.add(x, 1);
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return tf.scalar(s);
      }
    `,
  },
  {
    name: 'switch in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function codes(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) {
          switch (d[i]) {
            case 0:
              out[i] = 1;
              break;
            default:
              out[i] = 0;
          }
        }
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'try/finally in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function guarded(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) {
          try {
            out[i] = d[i] * 2;
          } finally {
            out[i] += 0;
          }
        }
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'function call in the body',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = ((v: number) => v * 2)(d[i]);
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'reverse loop (suffix sums)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function suffixSums(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        let s = 0;
        for (let i = d.length - 1; i >= 0; i--) {
          s += d[i];
          out[i] = s;
        }
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'sink written twice per iteration',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function twice(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) {
          out[i] = d[i];
          out[i] = 2 * d[i];
        }
        return tf.tensor1d(out);
      }
    `,
  },
  {
    name: 'string concatenation',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function describe(x: tf.Tensor1D): string {
        const d = x.dataSync();
        let s = '';
        for (let i = 0; i < d.length; i++) s += String(d[i]) + ',';
        return s;
      }
    `,
  },
  {
    name: 'top-k by sorting with a comparator that never returns 0 (ties in engine order) is not reported',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function best(scores: tf.Tensor1D): number[] {
        const d = scores.dataSync();
        const pairs: { v: number; i: number }[] = [];
        for (let i = 0; i < d.length; i++) pairs.push({ v: d[i], i });
        pairs.sort((a, b) => (b.v > a.v ? 1 : -1));
        return pairs.slice(0, 3).map((p) => p.i);
      }
    `,
  },
  {
    name: 'sorting pairs that carry a third field is not a top-k',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function names(scores: tf.Tensor1D, labels: string[]): string[] {
        const d = scores.dataSync();
        const pairs: { s: number; i: number; name: string }[] = [];
        for (let i = 0; i < d.length; i++) pairs.push({ s: d[i], i, name: labels[i] });
        pairs.sort((a, b) => b.s - a.s);
        return pairs.map((p) => p.name);
      }
    `,
  },
  {
    name: 'pairs pushed over only part of the data are not a top-k of the tensor',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function best(scores: tf.Tensor1D, n: number): number[] {
        const d = scores.dataSync();
        const pairs: { s: number; i: number }[] = [];
        for (let i = 0; i < n; i++) pairs.push({ s: d[i], i });
        pairs.sort((a, b) => b.s - a.s);
        return pairs.map((p) => p.i);
      }
    `,
  },
  {
    name: 'compaction in a synchronous function is not reported (TF.js has only async compaction ops)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function keep(scores: tf.Tensor1D, t: number): number[] {
        const d = scores.dataSync();
        const out: number[] = [];
        for (let i = 0; i < d.length; i++) if (d[i] > t) out.push(i);
        return out;
      }
    `,
  },
  {
    name: 'compaction whose threshold changes inside the loop is not a mask',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function keep(scores: tf.Tensor1D): Promise<number[]> {
        const d = await scores.data();
        const out: number[] = [];
        let t = 0;
        for (let i = 0; i < d.length; i++) {
          if (d[i] > t) {
            out.push(i);
            t = d[i];
          }
        }
        return out;
      }
    `,
  },
  {
    name: 'a map over indices that reads a plain table, not tensor data, is not a gather',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      const NAMES = ['a', 'b', 'c'];
      export function names(x: tf.Tensor1D, ids: number[]): string[] {
        return ids.map((i) => NAMES[i] + x.size);
      }
    `,
  },
  {
    name: 'a buffer read at positions from JS objects is not a gather of tensor data',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function at(buf: tf.TensorBuffer<tf.Rank.R3>, points: { y: number; x: number }[]): number[] {
        const out: number[] = [];
        for (let k = 0; k < points.length; k++) out.push(buf.get(points[k].y, points[k].x, k));
        return out;
      }
    `,
  },
];

// Loops the rule reports: autofixes, suggestions, traps (cannotFix), recurrences and in-place writes.
export const invalid: InvalidTestCase<MessageIds, Options>[] = [
  {
    name: 'row sum over a flat dataSync() view → tf.sum(x, 1)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

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
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the sum over each row of `x`', replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))` },
      },
    ],
  },
  {
    name: 'column sum → tf.sum(x, 0)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function colSums(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(m);
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += d[i * m + j];
          out[j] = s;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function colSums(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.sum(x, 0), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each column of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 0), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'column sums accumulated with += into a zero-filled Float32Array → tf.sum(x, 0)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function colSums(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const sums = new Float32Array(m);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) sums[j] += d[i * m + j];
        }
        return tf.tensor1d(sums);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function colSums(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.sum(x, 0), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each column of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 0), 'float32'))`,
        },
      },
    ],
  },
  {
    name: "clip to constant bounds → tf.minimum(tf.maximum(…)) (NaN-safe on every backend, unlike wasm's clipByValue); a rank-unknown x.shape keeps the shape",
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function clip(g: tf.Tensor): tf.Tensor {
        const values = g.dataSync();
        const clipped = new Float32Array(values.length);
        for (let i = 0; i < values.length; i++) clipped[i] = Math.min(Math.max(values[i], -1), 1);
        return tf.tensor(clipped, g.shape);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function clip(g: tf.Tensor): tf.Tensor {
        return tf.tidy(() => tf.reshape(tf.minimum(tf.maximum(tf.reshape(g, [-1]), (-1)), 1), g.shape));
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: {
          what: 'a clip of `g`',
          replacement: 'tf.tidy(() => tf.reshape(tf.minimum(tf.maximum(tf.reshape(g, [-1]), (-1)), 1), g.shape))',
        },
      },
    ],
  },
  {
    name: 'forEach pushing row.map(…) rows → one element-wise op (suggestion: arraySync of an empty tensor)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor2D): tf.Tensor2D {
        const rows = x.arraySync();
        const out: number[][] = [];
        rows.forEach((row) => {
          out.push(row.map((v) => v * 2));
        });
        return tf.tensor2d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor2D): tf.Tensor2D {
        return tf.mul(x, 2) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 6,
        column: 8,
        data: { what: 'an element-wise expression of `x`', replacement: 'tf.mul(x, 2)', assumptions: 'no empty axis' },
      },
    ],
  },
  {
    name: 'a labelled loop is removed with its label',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor1D): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        rows: for (let i = 0; i < d.length; i++) s += d[i];
        const t = tf.scalar(s);
        return t;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor1D): tf.Scalar {
        const t = tf.tidy(() => tf.cast(tf.sum(x), 'float32')) as tf.Scalar;
        return t;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 9,
        data: { what: 'the sum over all elements of `x`', replacement: `tf.tidy(() => tf.cast(tf.sum(x), 'float32'))` },
      },
    ],
  },
  {
    name: 'whole-tensor sum into tf.scalar → tf.sum(x)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return tf.scalar(s);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor): tf.Scalar {
        return tf.tidy(() => tf.cast(tf.sum(x), 'float32')) as tf.Scalar;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: { what: 'the sum over all elements of `x`', replacement: `tf.tidy(() => tf.cast(tf.sum(x), 'float32'))` },
      },
    ],
  },
  {
    name: 'row mean → tf.mean(x, 1)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMeans(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s / m;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMeans(x: tf.Tensor2D): tf.Tensor1D {
        const [, m] = x.shape;
        return tf.tidy(() => tf.div(tf.sum(x, 1), m)) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the mean over each row of `x`', replacement: 'tf.tidy(() => tf.div(tf.sum(x, 1), m))' },
      },
    ],
  },
  {
    name: 'whole-tensor mean, s / d.length → a sum divided by x.size (the read-back goes)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function meanOf(x: tf.Tensor): tf.Scalar {
        const d = x.dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return tf.scalar(s / d.length);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function meanOf(x: tf.Tensor): tf.Scalar {
        return tf.tidy(() => tf.div(tf.sum(x), x.size)) as tf.Scalar;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: { what: 'the mean over all elements of `x`', replacement: 'tf.tidy(() => tf.div(tf.sum(x), x.size))' },
      },
    ],
  },
  {
    name: 'row product → tf.prod in float32 (int32 data would overflow)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowProducts(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let p = 1;
          for (let j = 0; j < m; j++) p *= d[i * m + j];
          out[i] = p;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowProducts(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.prod(tf.cast(x, 'float32'), 1)) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'the prod over each row of `x`',
          replacement: `tf.tidy(() => tf.prod(tf.cast(x, 'float32'), 1))`,
        },
      },
    ],
  },
  {
    name: 'row max with Math.max from the first element → tf.max(x, 1)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMax(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let best = d[i * m];
          for (let j = 1; j < m; j++) best = Math.max(best, d[i * m + j]);
          out[i] = best;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMax(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.max(x, 1), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the max over each row of `x`', replacement: `tf.tidy(() => tf.cast(tf.max(x, 1), 'float32'))` },
      },
    ],
  },
  {
    name: 'row max with `if (v > best)` skips NaN → suggestion',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMax(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let best = d[i * m];
          for (let j = 1; j < m; j++) {
            if (d[i * m + j] > best) best = d[i * m + j];
          }
          out[i] = best;
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
          what: 'the max over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.max(x, 1), 'float32'))`,
          why: `equal only assuming no NaN in the data`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.max(x, 1), 'float32'))`,
              caveat: 'the loop skips NaN values, tf.max propagates them',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function rowMax(x: tf.Tensor2D): tf.Tensor1D {
                return tf.tidy(() => tf.cast(tf.max(x, 1), 'float32')) as tf.Tensor1D;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'column min over arraySync() from Infinity → suggestion',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function colMin(x: tf.Tensor2D): tf.Tensor1D {
        const a = x.arraySync();
        const [n, m] = x.shape;
        const out = new Float32Array(m);
        for (let j = 0; j < m; j++) {
          let lo = Infinity;
          for (let i = 0; i < n; i++) lo = Math.min(lo, a[i][j]);
          out[j] = lo;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function colMin(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.min(x, 0), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 7,
        column: 3,
        data: {
          what: 'the min over each column of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.min(x, 0), 'float32'))`,
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'row max from a sentinel keeps the sentinel → tf.maximum',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMax(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let best = -1000;
          for (let j = 0; j < m; j++) best = Math.max(best, d[i * m + j]);
          out[i] = best;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMax(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.maximum((-1000), tf.max(x, 1))) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the max over each row of `x`', replacement: 'tf.tidy(() => tf.maximum((-1000), tf.max(x, 1)))' },
      },
    ],
  },
  {
    name: 'argmax with `>` from the first element, j = 1 → tf.argMax',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits: tf.Tensor2D): tf.Tensor1D {
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
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits: tf.Tensor2D): tf.Tensor1D {
        return tf.argMax(logits, 1) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the argmax over each row of `logits`', replacement: 'tf.argMax(logits, 1)' },
      },
    ],
  },
  {
    name: 'argmax into Int32Array, tf.tensor1d(out) infers int32 → tf.argMax',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits: tf.Tensor2D): tf.Tensor1D {
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
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits: tf.Tensor2D): tf.Tensor1D {
        return tf.argMax(logits, 1) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the argmax over each row of `logits`', replacement: 'tf.argMax(logits, 1)' },
      },
    ],
  },
  {
    name: 'argmax from -Infinity skips NaN: searched with NaN as -Infinity (exact)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits: tf.Tensor2D): tf.Tensor1D {
        const [n, k] = logits.shape;
        const d = logits.dataSync();
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let best = -Infinity;
          let at = 0;
          for (let j = 0; j < k; j++) {
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
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.argMax(tf.where(tf.isNaN(logits), tf.fill(logits.shape, -Infinity, logits.dtype), logits), 1)) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'the argmax over each row of `logits`',
          replacement:
            'tf.tidy(() => tf.argMax(tf.where(tf.isNaN(logits), tf.fill(logits.shape, -Infinity, logits.dtype), logits), 1))',
        },
      },
    ],
  },
  {
    name: 'argmin with `<` from the first element → tf.argMin',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function nearest(dist: tf.Tensor2D): tf.Tensor1D {
        const [n, k] = dist.shape;
        const d = dist.dataSync();
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let best = d[i * k];
          let at = 0;
          for (let j = 1; j < k; j++) {
            if (d[i * k + j] < best) {
              best = d[i * k + j];
              at = j;
            }
          }
          out[i] = at;
        }
        return tf.tensor1d(out, 'int32');
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function nearest(dist: tf.Tensor2D): tf.Tensor1D {
        return tf.argMin(dist, 1) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the argmin over each row of `dist`', replacement: 'tf.argMin(dist, 1)' },
      },
    ],
  },
  {
    name: 'total that stays a JS number → suggestion',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function totalLoss(losses: tf.Tensor1D): number {
        const d = losses.dataSync();
        let total = 0;
        for (let i = 0; i < d.length; i++) total += d[i];
        return total;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function totalLoss(losses: tf.Tensor1D): number {
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
    name: 'matrix-vector product → tf.dot(x, w)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function scores(x: tf.Tensor2D, w: tf.Tensor1D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const wv = w.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j] * wv[j];
          out[i] = s;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function scores(x: tf.Tensor2D, w: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.dot(x, w), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 8,
        column: 3,
        data: {
          what: 'a matrix-vector product of `x` and `w`',
          replacement: `tf.tidy(() => tf.cast(tf.dot(x, w), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'vector-matrix product → tf.dot(v, w)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function project(v: tf.Tensor1D, w: tf.Tensor2D): tf.Tensor1D {
        const [k, m] = w.shape;
        const vv = v.dataSync();
        const wd = w.dataSync();
        const out = new Float32Array(m);
        for (let j = 0; j < m; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += vv[p] * wd[p * m + j];
          out[j] = s;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function project(v: tf.Tensor1D, w: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.dot(v, w), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 8,
        column: 3,
        data: {
          what: 'a matrix-vector product of `v` and `w`',
          replacement: `tf.tidy(() => tf.cast(tf.dot(v, w), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'matrix product → tf.matMul(a, b)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function matmul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
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
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function matmul(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.matMul(a, b), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 9,
        column: 3,
        data: {
          what: 'a matrix product of `a` and `b`',
          replacement: `tf.tidy(() => tf.cast(tf.matMul(a, b), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'matrix product reading a transposed (arraySync rows, push) → matMul(a, b, true, false)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function gramT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
        const [k, n] = a.shape;
        const m = b.shape[1];
        const aa = a.arraySync();
        const bb = b.arraySync();
        const out: number[][] = [];
        for (let i = 0; i < n; i++) {
          const row: number[] = [];
          for (let j = 0; j < m; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += aa[p][i] * bb[p][j];
            row.push(s);
          }
          out.push(row);
        }
        return tf.tensor2d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function gramT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.matMul(a, b, true, false), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 9,
        column: 3,
        data: {
          what: 'a matrix product of `a` and `b`',
          replacement: `tf.tidy(() => tf.cast(tf.matMul(a, b, true, false), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'matrix product reading b transposed → matMul(a, b, false, true)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function similarity(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
        const [n, k] = a.shape;
        const [m, kb] = b.shape;
        const ad = a.dataSync();
        const bd = b.dataSync();
        const out = new Float32Array(n * m);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += ad[i * k + p] * bd[j * kb + p];
            out[i * m + j] = s;
          }
        }
        return tf.tensor2d(out, [n, m]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function similarity(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.matMul(a, b, false, true), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 9,
        column: 3,
        data: {
          what: 'a matrix product of `a` and `b`',
          replacement: `tf.tidy(() => tf.cast(tf.matMul(a, b, false, true), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'dot product → tf.dot(a, b)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function dot(a: tf.Tensor1D, b: tf.Tensor1D): tf.Scalar {
        const ad = a.dataSync();
        const bd = b.dataSync();
        let s = 0;
        for (let i = 0; i < ad.length; i++) s += ad[i] * bd[i];
        return tf.scalar(s);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function dot(a: tf.Tensor1D, b: tf.Tensor1D): tf.Scalar {
        return tf.tidy(() => tf.cast(tf.dot(a, b), 'float32')) as tf.Scalar;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'a dot product of `a` and `b`', replacement: `tf.tidy(() => tf.cast(tf.dot(a, b), 'float32'))` },
      },
    ],
  },
  {
    name: 'relu of a Gram matrix → tf.relu(tf.matMul(x, x, false, true))',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function reluGram(x: tf.Tensor2D): tf.Tensor2D {
        const [n, k] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n * n);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += d[i * k + p] * d[j * k + p];
            out[i * n + j] = Math.max(s, 0);
          }
        }
        return tf.tensor2d(out, [n, n]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function reluGram(x: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.relu(tf.matMul(x, x, false, true)), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'the relu of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.relu(tf.matMul(x, x, false, true)), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'element-wise Math.exp(v) - 1',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function expAll(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.exp(d[i]) - 1;
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function expAll(x: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.sub(tf.exp(x), 1)) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: { what: 'an element-wise exp of `x`', replacement: 'tf.tidy(() => tf.sub(tf.exp(x), 1))' },
      },
    ],
  },
  {
    name: 'element-wise Math.sqrt(Math.abs(v)) over a 2-D nest',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function magnitude(x: tf.Tensor2D): tf.Tensor2D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n * m);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) out[i * m + j] = Math.sqrt(Math.abs(d[i * m + j]));
        }
        return tf.tensor2d(out, [n, m]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function magnitude(x: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.sqrt(tf.cast(tf.abs(x), 'float32'))) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'an element-wise sqrt of `x`',
          replacement: `tf.tidy(() => tf.sqrt(tf.cast(tf.abs(x), 'float32')))`,
        },
      },
    ],
  },
  {
    name: '1 / (1 + Math.exp(-v)) → tf.sigmoid',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sigmoid(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = 1 / (1 + Math.exp(-d[i]));
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function sigmoid(x: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.sigmoid(tf.cast(x, 'float32'))) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: { what: 'the sigmoid of `x`', replacement: `tf.tidy(() => tf.sigmoid(tf.cast(x, 'float32')))` },
      },
    ],
  },
  {
    name: 'per-column scale and shift broadcast over rows',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function affine(x: tf.Tensor2D, scale: tf.Tensor1D, shift: tf.Tensor1D): tf.Tensor2D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const s = scale.dataSync();
        const b = shift.dataSync();
        const out = new Float32Array(n * m);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) out[i * m + j] = d[i * m + j] * s[j] + b[j];
        }
        return tf.tensor2d(out, [n, m]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function affine(x: tf.Tensor2D, scale: tf.Tensor1D, shift: tf.Tensor1D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.add(tf.mul(x, scale), shift), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 9,
        column: 3,
        data: {
          what: 'an element-wise expression of `x`, `scale` and `shift`',
          replacement: `tf.tidy(() => tf.cast(tf.add(tf.mul(x, scale), shift), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'per-row scale → tf.expandDims',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function scaleRows(x: tf.Tensor2D, w: tf.Tensor1D): tf.Tensor2D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const wv = w.dataSync();
        const out = new Float32Array(n * m);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) out[i * m + j] = d[i * m + j] * wv[i];
        }
        return tf.tensor2d(out, [n, m]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function scaleRows(x: tf.Tensor2D, w: tf.Tensor1D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.mul(x, tf.expandDims(w, 1)), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 8,
        column: 3,
        data: {
          what: 'an element-wise expression of `x` and `w`',
          replacement: `tf.tidy(() => tf.cast(tf.mul(x, tf.expandDims(w, 1)), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'if/else per element → tf.where',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function leaky(x: tf.Tensor1D): tf.Tensor1D {
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

      export function leaky(x: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.where(tf.greater(x, 0), tf.cast(x, 'float32'), tf.mul(0.1, x))) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: {
          what: 'a per-element conditional of `x`',
          replacement: `tf.tidy(() => tf.where(tf.greater(x, 0), tf.cast(x, 'float32'), tf.mul(0.1, x)))`,
        },
      },
    ],
  },
  {
    name: 'ternary per element with a JS number → tf.where',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function clampNeg(x: tf.Tensor1D, t: number): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] < t ? t : d[i];
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function clampNeg(x: tf.Tensor1D, t: number): tf.Tensor1D {
        return tf.tidy(() => tf.where(tf.less(x, t), tf.fill(x.shape, t), tf.cast(x, 'float32'))) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 6,
        column: 3,
        data: {
          what: 'a per-element conditional of `x`',
          replacement: `tf.tidy(() => tf.where(tf.less(x, t), tf.fill(x.shape, t), tf.cast(x, 'float32')))`,
          assumptions: 'float32 arithmetic',
        },
      },
    ],
  },
  {
    name: 'prefix sum → tf.cumsum(x, 0)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function runningTotal(x: tf.Tensor1D): tf.Tensor1D {
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

      export function runningTotal(x: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.cumsum(x, 0), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'a prefix sum of `x`', replacement: `tf.tidy(() => tf.cast(tf.cumsum(x, 0), 'float32'))` },
      },
    ],
  },
  {
    name: 'exclusive prefix sum → tf.cumsum(x, 0, true)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function offsets(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        let s = 0;
        for (let i = 0; i < d.length; i++) {
          out[i] = s;
          s += d[i];
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function offsets(x: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.cumsum(x, 0, true), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'a prefix sum of `x`', replacement: `tf.tidy(() => tf.cast(tf.cumsum(x, 0, true), 'float32'))` },
      },
    ],
  },
  {
    name: 'prefix sum along rows → tf.cumsum(x, 1)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowCumsum(x: tf.Tensor2D): tf.Tensor2D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n * m);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) {
            s += d[i * m + j];
            out[i * m + j] = s;
          }
        }
        return tf.tensor2d(out, [n, m]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowCumsum(x: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.cumsum(x, 1), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'a prefix sum of `x`', replacement: `tf.tidy(() => tf.cast(tf.cumsum(x, 1), 'float32'))` },
      },
    ],
  },
  {
    name: 'tf.buffer + set + toTensor',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor2D): tf.Tensor2D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const buf = tf.buffer([n, m]);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) buf.set(2 * d[i * m + j], i, j);
        }
        return buf.toTensor();
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor2D): tf.Tensor2D {
        return tf.mul(2, x);
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'an element-wise expression of `x`', replacement: 'tf.mul(2, x)' },
      },
    ],
  },
  {
    name: 'bufferSync().get into a transposed tf.buffer → tf.transpose',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function transposed(x: tf.Tensor2D): tf.Tensor2D {
        const [n, m] = x.shape;
        const src = x.bufferSync();
        const buf = tf.buffer([m, n]);
        for (let j = 0; j < m; j++) {
          for (let i = 0; i < n; i++) buf.set(src.get(i, j), j, i);
        }
        return buf.toTensor();
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function transposed(x: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.transpose(x, [1, 0]), 'float32'));
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'an element-wise expression of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.transpose(x, [1, 0]), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'nested push + tf.tensor2d',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function squares(x: tf.Tensor2D): tf.Tensor2D {
        const a = x.arraySync();
        const out: number[][] = [];
        for (let i = 0; i < a.length; i++) {
          const row: number[] = [];
          for (let j = 0; j < a[i].length; j++) row.push(a[i][j] * a[i][j]);
          out.push(row);
        }
        return tf.tensor2d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function squares(x: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.square(x), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise square of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.square(x), 'float32'))`,
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'for…of over arraySync rows',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowNorms(x: tf.Tensor2D): tf.Tensor1D {
        const rows = x.arraySync();
        const out: number[] = [];
        for (const row of rows) {
          let s = 0;
          for (const v of row) s += v * v;
          out.push(Math.sqrt(s));
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowNorms(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.sqrt(tf.cast(tf.sum(tf.square(x), 1), 'float32'))) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise sqrt of `x`',
          replacement: `tf.tidy(() => tf.sqrt(tf.cast(tf.sum(tf.square(x), 1), 'float32')))`,
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'two outputs of one loop: a copy and a JS number',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function normalized(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        let norm = 0;
        for (let i = 0; i < d.length; i++) {
          out[i] = d[i];
          norm += d[i] * d[i];
        }
        return tf.div(tf.tensor1d(out), Math.sqrt(norm));
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function normalized(x: tf.Tensor1D): tf.Tensor1D {
        let norm = tf.tidy(() => tf.sum(tf.square(x)).dataSync()[0]);
        return tf.div(tf.cast(x, 'float32') as tf.Tensor1D, Math.sqrt(norm));
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 7,
        column: 3,
        data: {
          what: 'an element-wise expression of `x` and the sum over all elements of `x`',
          replacement: "tf.cast(x, 'float32')` and `tf.tidy(() => tf.sum(tf.square(x)).dataSync()[0])",
          assumptions: 'float32 arithmetic',
        },
      },
    ],
  },
  {
    name: 'await x.data()',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function rowSums(x: tf.Tensor2D): Promise<tf.Tensor1D> {
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
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function rowSums(x: tf.Tensor2D): Promise<tf.Tensor1D> {
        return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the sum over each row of `x`', replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))` },
      },
    ],
  },
  {
    name: 'trap: a JS-number total of data read with await → cannotFix',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function total(x: tf.Tensor1D): Promise<number> {
        const d = await x.data();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return s;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 6,
        column: 3,
        data: {
          what: 'the sum over all elements of `x`',
          replacement: 'tf.tidy(() => tf.sum(x).dataSync()[0])',
          reason: '`s` stays a JS number and the data was read asynchronously',
        },
      },
    ],
  },
  {
    name: 'named imports: reuses the imported `sum`',
    code: dedent`
      import { sum, tensor1d, type Tensor2D } from '@tensorflow/tfjs';

      export function rowSums(x: Tensor2D) {
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
    output: dedent`
      import { sum, type Tensor2D, cast, tidy } from '@tensorflow/tfjs';

      export function rowSums(x: Tensor2D) {
        return tidy(() => cast(sum(x, 1), 'float32'));
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the sum over each row of `x`', replacement: `tidy(() => cast(sum(x, 1), 'float32'))` },
      },
    ],
  },
  {
    name: 'named imports: adds the missing ops to the import',
    code: dedent`
      import { tensor1d, Tensor1D } from '@tensorflow/tfjs';

      export function softplus(x: Tensor1D) {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.log(1 + Math.exp(d[i]));
        return tensor1d(out);
      }
    `,
    output: dedent`
      import { Tensor1D, add, exp, log, tidy } from '@tensorflow/tfjs';

      export function softplus(x: Tensor1D) {
        return tidy(() => log(add(1, exp(x)))) as Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: { what: 'an element-wise log of `x`', replacement: 'tidy(() => log(add(1, exp(x))))' },
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
                return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as import('@tensorflow/tfjs').Tensor1D;
              }
              module.exports = { rowSums };
            `,
          },
        ],
      },
    ],
  },
  {
    name: '@tensorflow/tfjs-node import',
    code: dedent`
      import * as tf from '@tensorflow/tfjs-node';

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
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs-node';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the sum over each row of `x`', replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))` },
      },
    ],
  },
  {
    name: 'max-subtracted softmax over rows → tf.softmax',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function softmaxRows(x: tf.Tensor2D): tf.Tensor2D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n * m);
        for (let i = 0; i < n; i++) {
          let mx = -Infinity;
          for (let j = 0; j < m; j++) mx = Math.max(mx, d[i * m + j]);
          let z = 0;
          for (let j = 0; j < m; j++) z += Math.exp(d[i * m + j] - mx);
          for (let j = 0; j < m; j++) out[i * m + j] = Math.exp(d[i * m + j] - mx) / z;
        }
        return tf.tensor2d(out, [n, m]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function softmaxRows(x: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.softmax(tf.cast(x, 'float32'))) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'the softmax over each row of `x`',
          replacement: `tf.tidy(() => tf.softmax(tf.cast(x, 'float32')))`,
        },
      },
    ],
  },
  {
    name: 'per-row pick by label → tf.gatherND with (row, label) pairs (tf.gather with batchDims is wrong on wasm)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pick(x: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
        const [n, c] = x.shape;
        const d = x.dataSync();
        const y = labels.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) out[i] = d[i * c + y[i]];
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pick(x: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.gatherND(x, tf.stack([tf.range(0, x.shape[0], 1, 'int32'), tf.cast(labels, 'int32')], 1)), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 8,
        column: 3,
        data: {
          what: 'a gather of `x` and `labels`',
          replacement: `tf.tidy(() => tf.cast(tf.gatherND(x, tf.stack([tf.range(0, x.shape[0], 1, 'int32'), tf.cast(labels, 'int32')], 1)), 'fl…`,
          assumptions: 'indices in range, no empty axis',
        },
      },
    ],
  },
  {
    name: 'callback loop: rows.map(row => row.reduce(…)) over arraySync()',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        const rows = x.arraySync();
        return tf.tensor1d(rows.map((row) => row.reduce((s, v) => s + v, 0)));
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 5,
        column: 27,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'callback loop: x.arraySync().map(row => Math.max(...row))',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMax(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tensor1d(x.arraySync().map((row) => Math.max(...row)));
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowMax(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.max(x, 1), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 4,
        column: 36,
        data: {
          what: 'the max over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.max(x, 1), 'float32'))`,
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'callback loop: rows.forEach((row, i) => …) writing a typed array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        const rows = x.arraySync();
        const out = new Float32Array(rows.length);
        rows.forEach((row, i) => {
          let s = 0;
          for (const v of row) s += v;
          out[i] = s;
        });
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 6,
        column: 8,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'callback loop: nested maps + tf.tensor2d',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function squares(x: tf.Tensor2D): tf.Tensor2D {
        const a = x.arraySync();
        return tf.tensor2d(a.map((row) => row.map((v) => v * v)));
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function squares(x: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.cast(tf.square(x), 'float32')) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 5,
        column: 24,
        data: {
          what: 'an element-wise square of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.square(x), 'float32'))`,
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'callback loop: data.reduce with an initial value, result stays a JS number',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor): number {
        const d = x.dataSync();
        return d.reduce((s, v) => s + v, 0);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor): number {
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
  {
    name: 'callback loop: data.reduce without an initial value into tf.scalar',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor): tf.Scalar {
        const d = x.dataSync();
        return tf.scalar(d.reduce((s, v) => s + v));
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function total(x: tf.Tensor): tf.Scalar {
        return tf.tidy(() => tf.cast(tf.sum(x), 'float32')) as tf.Scalar;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 5,
        column: 22,
        data: {
          what: 'the sum over all elements of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x), 'float32'))`,
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'one-hot: buf.set(1, i, labels[i]) into a zero tf.buffer → tf.oneHot',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function oneHot(labels: tf.Tensor1D, depth: number): tf.Tensor2D {
        const y = labels.dataSync();
        const n = labels.shape[0];
        const buf = tf.buffer([n, depth]);
        for (let i = 0; i < n; i++) buf.set(1, i, y[i]);
        return buf.toTensor() as tf.Tensor2D;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'a one-hot encoding of `labels`',
          replacement: "tf.tidy(() => tf.cast(tf.oneHot(tf.cast(labels, 'int32'), depth), 'float32'))",
          why: `tf.oneHot throws when \`depth\` is less than 2`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: "tf.tidy(() => tf.cast(tf.oneHot(tf.cast(labels, 'int32'), depth), 'float32'))",
              caveat:
                'a label read from `labels` outside [0, depth) makes the loop write into another row, while the one-hot row stays all zeros; tf.oneHot throws when `depth` is less than 2',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function oneHot(labels: tf.Tensor1D, depth: number): tf.Tensor2D {
                return tf.tidy(() => tf.cast(tf.oneHot(tf.cast(labels, 'int32'), depth), 'float32')) as tf.Tensor2D;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'two-pass variance → tf.moments',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowVariance(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          const mu = s / m;
          let v = 0;
          for (let j = 0; j < m; j++) v += (d[i * m + j] - mu) * (d[i * m + j] - mu);
          out[i] = v / m;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowVariance(x: tf.Tensor2D): tf.Tensor1D {
        return tf.tidy(() => tf.moments(x, 1).variance) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 7,
        column: 3,
        data: {
          what: 'the variance over each row of `x`',
          replacement: 'tf.tidy(() => tf.moments(x, 1).variance)',
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'max-shifted log-sum-exp → tf.logSumExp',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function logSumExp(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let mx = -Infinity;
          for (let j = 0; j < m; j++) mx = Math.max(mx, d[i * m + j]);
          let z = 0;
          for (let j = 0; j < m; j++) z += Math.exp(d[i * m + j] - mx);
          out[i] = mx + Math.log(z);
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function logSumExp(x: tf.Tensor2D): tf.Tensor1D {
        return tf.logSumExp(x, 1) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 7,
        column: 3,
        data: {
          what: 'the logsumexp over each row of `x`',
          replacement: 'tf.logSumExp(x, 1)',
          assumptions: 'no empty axis',
        },
      },
    ],
  },
  {
    name: 'max-shifted log-softmax → tf.logSoftmax',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function logSoftmax(x: tf.Tensor2D): tf.Tensor2D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n * m);
        for (let i = 0; i < n; i++) {
          let mx = -Infinity;
          for (let j = 0; j < m; j++) mx = Math.max(mx, d[i * m + j]);
          let z = 0;
          for (let j = 0; j < m; j++) z += Math.exp(d[i * m + j] - mx);
          for (let j = 0; j < m; j++) out[i * m + j] = d[i * m + j] - mx - Math.log(z);
        }
        return tf.tensor2d(out, [n, m]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function logSoftmax(x: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => tf.logSoftmax(tf.cast(x, 'float32'))) as tf.Tensor2D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'the log-softmax over each row of `x`',
          replacement: `tf.tidy(() => tf.logSoftmax(tf.cast(x, 'float32')))`,
        },
      },
    ],
  },
  {
    name: 'option fix: suggest',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

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
    `,
    options: [{ fix: 'suggest' }],
    output: null,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          why: `the rule's \`fix\` option is 'suggest'`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
              caveat: 'review the rewrite before applying it',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
                return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as tf.Tensor1D;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'option fix: off',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

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
    `,
    options: [{ fix: 'off' }],
    output: null,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: { what: 'the sum over each row of `x`', replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))` },
      },
    ],
  },
  {
    name: 'option fix: off still reports a trap as cannotFix',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits: tf.Tensor2D): tf.Tensor1D {
        const [n, k] = logits.shape;
        const d = logits.dataSync();
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let best = -1;
          let at = 0;
          for (let j = 0; j < k; j++) {
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
    options: [{ fix: 'off' }],
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 7,
        column: 3,
        data: {
          what: 'the argmax over each row of `logits`',
          replacement: 'tf.argMax(logits, 1)',
          reason: 'the search starts from a sentinel (not -Infinity at index 0), which tf.argMax cannot express',
        },
      },
    ],
  },
  {
    name: 'a comment inside the loop → suggestion only',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
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
          why: `it drops a comment inside the loop`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
              caveat: 'it drops a comment inside the loop',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
                return tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32')) as tf.Tensor1D;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'Math.round rounds halves up: tf.round plus one where x − round(x) is 0.5',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function stars(r: tf.Tensor1D): tf.Tensor1D {
        const d = r.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.round(d[i]);
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function stars(r: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.add(tf.round(r), tf.cast(tf.greaterEqual(tf.sub(r, tf.round(r)), 0.5), 'int32')), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise round of `r`',
          replacement: `tf.tidy(() => tf.cast(tf.add(tf.round(r), tf.cast(tf.greaterEqual(tf.sub(r, tf.round(r)), 0.5), 'int32')), 'float32'))`,
        },
      },
    ],
  },
  {
    name: '`>=` argmax keeps the last tie: the reversed row, counted back (suggestion: NaN at either end)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function predict(logits: tf.Tensor2D): tf.Tensor1D {
        const [n, k] = logits.shape;
        const d = logits.dataSync();
        const out = new Int32Array(n);
        for (let i = 0; i < n; i++) {
          let best = d[i * k];
          let at = 0;
          for (let j = 1; j < k; j++) {
            if (d[i * k + j] >= best) {
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
          replacement: `tf.tidy(() => tf.sub(tf.scalar(k - 1, 'int32'), tf.argMax(tf.reverse(logits, 1), 1)))`,
          why: `equal only assuming no NaN in the data`,
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: `tf.tidy(() => tf.sub(tf.scalar(k - 1, 'int32'), tf.argMax(tf.reverse(logits, 1), 1)))`,
              caveat:
                'where a row starts or ends with NaN the loop and the reversed tf.argMax differ; over an empty axis the loop gives 0, the reversed tf.argMax gives -1',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function predict(logits: tf.Tensor2D): tf.Tensor1D {
                const [, k] = logits.shape;
                return tf.tidy(() => tf.sub(tf.scalar(k - 1, 'int32'), tf.argMax(tf.reverse(logits, 1), 1))) as tf.Tensor1D;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'Math.trunc → sign · floor(abs)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function trunc(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.trunc(d[i]);
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function trunc(x: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => ((v) => tf.mul(tf.sign(v), tf.floor(tf.abs(v))))(tf.cast(x, 'float32'))) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise truncation of `x`',
          replacement: `tf.tidy(() => ((v) => tf.mul(tf.sign(v), tf.floor(tf.abs(v))))(tf.cast(x, 'float32')))`,
        },
      },
    ],
  },
  {
    name: '`| 0` is ToInt32: tf.cast to int32 (an Int32Array conversion on cpu and wasm)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function truncate(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = (d[i] * 255) | 0;
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function truncate(x: tf.Tensor1D): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.cast(tf.mul(x, 255), 'int32'), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise truncation to int32 of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.cast(tf.mul(x, 255), 'int32'), 'float32'))`,
        },
      },
    ],
  },
  {
    name: 'a bound that is a parameter reads a slice (suggestion: k may exceed the axis)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function firstSums(x: tf.Tensor2D, k: number): tf.Tensor1D {
        const m = x.shape[1];
        const d = x.dataSync();
        const out = new Float32Array(k);
        for (let i = 0; i < k; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return tf.tensor1d(out);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function firstSums(x: tf.Tensor2D, k: number): tf.Tensor1D {
        return tf.tidy(() => tf.cast(tf.sum(tf.slice(x, [0, 0], [Math.max(k, 0), -1]), 1), 'float32')) as tf.Tensor1D;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(tf.slice(x, [0, 0], [Math.max(k, 0), -1]), 1), 'float32'))`,
          assumptions: 'indices in range',
        },
      },
    ],
  },
  {
    name: 'trap: tensor disposed after the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        x.dispose();
        return tf.tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          reason: '`x` is disposed after the loop',
        },
      },
    ],
  },
  {
    name: 'trap: tensor disposed with tf.dispose([x]) after the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        tf.dispose([x]);
        return tf.tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: `tf.tidy(() => tf.cast(tf.sum(x, 1), 'float32'))`,
          reason: '`x` is disposed after the loop',
        },
      },
    ],
  },
  {
    name: 'trap: float results written into an Int32Array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function halves(x: tf.Tensor1D): tf.Tensor1D {
        const d = x.dataSync();
        const out = new Int32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] / 2;
        return tf.tensor1d(out, 'int32');
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise expression of `x`',
          replacement: 'tf.div(x, 2)',
          reason: 'writing into `Int32Array` truncates each value to an integer',
        },
      },
    ],
  },
  {
    name: 'a Float32Array sink read twice after the loop stays in JS: the sums are read back with dataSync() where the loop was',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): [tf.Tensor1D, number] {
        const [n, m] = x.shape;
        const d = x.dataSync();
        const out = new Float32Array(n);
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < m; j++) s += d[i * m + j];
          out[i] = s;
        }
        return [tf.tensor1d(out), out[0]];
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rowSums(x: tf.Tensor2D): [tf.Tensor1D, number] {
        const out = tf.tidy(() => new Float32Array(tf.sum(x, 1).dataSync()));
        return [tf.tensor1d(out), out[0]];
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 7,
        column: 3,
        data: {
          what: 'the sum over each row of `x`',
          replacement: 'tf.sum(x, 1)',
        },
      },
    ],
  },
  {
    name: 'trap: the result is read in another function',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function later(x: tf.Tensor1D): () => tf.Tensor1D {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = d[i] * 2;
        return () => tf.tensor1d(out);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'cannotFix',
        line: 6,
        column: 3,
        data: {
          what: 'an element-wise expression of `x`',
          replacement: 'tf.mul(x, 2)',
          reason: 'the result is read in another function',
        },
      },
    ],
  },
  {
    name: 'EMA recurrence into an output → notVectorizable',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function ema(x: tf.Tensor1D, alpha: number): tf.Tensor1D {
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
    name: 'EMA recurrence into a scalar → notVectorizable',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function lastEma(x: tf.Tensor1D, alpha: number): tf.Scalar {
        const d = x.dataSync();
        let m = 0;
        for (let i = 0; i < d.length; i++) m = alpha * d[i] + (1 - alpha) * m;
        return tf.scalar(m);
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'notVectorizable',
        line: 6,
        column: 3,
        data: { reason: 'each iteration depends on the previous one' },
      },
    ],
  },
  {
    name: 'in-place write into a dataSync() array',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function normalizeInPlace(x: tf.Tensor1D, s: number): tf.Tensor1D {
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
    name: 'in-place set on a bufferSync() buffer',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function clip(x: tf.Tensor2D): tf.Tensor2D {
        const [n, m] = x.shape;
        const b = x.bufferSync();
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) b.set(Math.min(b.get(i, j), 1), i, j);
        }
        return x;
      }
    `,
    output: null,
    errors: [
      {
        messageId: 'inPlaceWrite',
        line: 6,
        column: 3,
        data: { read: 'x.bufferSync()' },
      },
    ],
  },
  {
    name: 'top-k by sorting: value/index pairs pushed over the data, sorted descending, first k copied',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function topK(logits: tf.Tensor2D, k: number): Int32Array {
        const probs = tf.softmax(logits);
        const values = probs.dataSync();
        const ranked: { p: number; c: number }[] = [];
        for (let i = 0; i < values.length; i++) {
          ranked.push({ p: values[i], c: i });
        }
        ranked.sort((a, b) => {
          return b.p - a.p;
        });
        const labels = new Int32Array(k);
        for (let i = 0; i < k; i++) labels[i] = ranked[i].c;
        return labels;
      }
    `,
    errors: [
      {
        messageId: 'sortedTopk',
        line: 7,
        column: 3,
        data: {
          form: 'loop',
          data: 'values',
          line: 10,
          replacement: 'tf.topk(values, k)',
          note: ', on the data as read back (offered as a suggestion: equal only assuming no NaN in the data)',
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function topK(logits: tf.Tensor2D, k: number): Int32Array {
                const probs = tf.softmax(logits);
                const values = probs.dataSync();
                const top = tf.topk(values, k);
                const labels = new Int32Array(top.indices.dataSync());
                tf.dispose([top.values, top.indices]);
                return labels;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'top-k by sorting whose pairs are read after the copy, or ranked from a number[] copy: reported, no rewrite',
    options: [{ assume: ['no-nan'] }],
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function topK(x: tf.Tensor1D, k: number): [Int32Array, number] {
        const values = x.dataSync();
        const ranked = [];
        for (let i = 0; i < values.length; i++) ranked.push({ p: values[i], c: i });
        ranked.sort((a, b) => b.p - a.p);
        const labels = new Int32Array(k);
        for (let i = 0; i < k; i++) labels[i] = ranked[i].c;
        return [labels, ranked[0].p];
      }

      export function topCopy(x: tf.Tensor1D, k: number): Int32Array {
        const values = Array.from(x.dataSync());
        const ranked = [];
        for (let i = 0; i < values.length; i++) ranked.push({ p: values[i], c: i });
        ranked.sort((a, b) => b.p - a.p);
        const labels = new Int32Array(k);
        for (let i = 0; i < k; i++) labels[i] = ranked[i].c;
        return labels;
      }
    `,
    errors: [
      { messageId: 'sortedTopk', line: 6, suggestions: [] },
      { messageId: 'sortedTopk', line: 16, suggestions: [] },
    ],
  },
  {
    name: 'top-k by sorting with no-nan accepted: the autofix',
    options: [{ assume: ['no-nan'] }],
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function topK(x: tf.Tensor1D, k: number): Int32Array {
        const values = x.dataSync();
        const ranked = [];
        for (let i = 0; i < values.length; i++) ranked.push({ p: values[i], c: i });
        ranked.sort((a, b) => b.p - a.p);
        const labels = new Int32Array(k);
        for (let i = 0; i < k; i++) labels[i] = ranked[i].c;
        return labels;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function topK(x: tf.Tensor1D, k: number): Int32Array {
        const values = x.dataSync();
        const top = tf.topk(values, k);
        const labels = new Int32Array(top.indices.dataSync());
        tf.dispose([top.values, top.indices]);
        return labels;
      }
    `,
    errors: [{ messageId: 'sortedTopk' }],
  },
  {
    name: 'top-k by sorting in one chain: Array.from(data).map(pair).sort(ascending).slice(0, k) is the k smallest',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function nearest(dists: tf.Tensor1D, k: number): number[] {
        return Array.from(dists.dataSync())
          .map((d, i) => ({ d, i }))
          .sort((a, b) => a.d - b.d)
          .slice(0, k)
          .map((p) => p.i);
      }
    `,
    errors: [
      {
        messageId: 'sortedTopk',
        line: 5,
        column: 6,
        data: {
          form: '`map`',
          data: 'dists',
          line: 6,
          replacement: 'tf.topk(tf.neg(dists), k)',
          note: '; the sort is ascending, so negate the values back',
        },
      },
    ],
  },
  {
    name: 'top-k by sorting in a helper that takes the data as a typed array: pass the tensor instead',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function topK(values: Float32Array, k: number): number[] {
        const pairs = [];
        for (let i = 0; i < values.length; i++) pairs.push({ value: values[i], index: i });
        pairs.sort((a, b) => b.value - a.value);
        return pairs.slice(0, k).map((p) => p.index);
      }
      export const zero = tf.scalar(0);
    `,
    errors: [
      {
        messageId: 'sortedTopk',
        line: 5,
        column: 3,
        data: {
          form: 'loop',
          data: 'values',
          line: 6,
          replacement: 'tf.topk(tf.reshape(values, [-1]), k)',
          note: '; `values` is a parameter whose data comes from outside this module; pass the tensor instead',
        },
      },
    ],
  },
  {
    name: 'compaction in an async function: indices above a threshold collected with push → tf.whereAsync',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function keep(scores: tf.Tensor1D, t: number): Promise<number[]> {
        const d = await scores.data();
        const out: number[] = [];
        for (let i = 0; i < d.length; i++) {
          if (d[i] >= t) out.push(i);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'compaction',
        line: 6,
        column: 3,
        data: {
          form: 'loop',
          what: 'indices',
          condition: 'd[i] >= t',
          replacement: 'await tf.whereAsync(tf.greaterEqual(scores, t))',
          note: ' (an [n, 1] int32 tensor of the indices, in order), offered as a suggestion: the function now waits for the backend at the loop, where other code may run meanwhile',
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            data: {
              replacement: 'await tf.whereAsync(tf.greaterEqual(scores, t))',
              caveat:
                'the function now waits for the backend at the loop, where other code may run meanwhile; the comparison is made in float32: a value at `t` rounded to float32 can go the other way',
            },
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function keep(scores: tf.Tensor1D, t: number): Promise<number[]> {
                const outMask = tf.greaterEqual(scores, t);
                const outWhere = await tf.whereAsync(outMask);
                const out: number[] = Array.from(await outWhere.data());
                tf.dispose([outMask, outWhere]);
                return out;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'compaction of values with the element on the right of the comparison → tf.booleanMaskAsync',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function positives(x: tf.Tensor1D): Promise<number[]> {
        const d = await x.data();
        const out: number[] = [];
        for (let i = 0; i < d.length; i++) if (0 < d[i]) out.push(d[i]);
        return out;
      }
    `,
    errors: [
      {
        messageId: 'compaction',
        line: 6,
        column: 3,
        data: {
          form: 'loop',
          what: 'values',
          condition: '0 < d[i]',
          replacement: 'await tf.booleanMaskAsync(x, tf.greater(x, 0))',
          note: ', offered as a suggestion: the function now waits for the backend at the loop, where other code may run meanwhile',
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function positives(x: tf.Tensor1D): Promise<number[]> {
                const outMask = tf.greater(x, 0);
                const outMasked = await tf.booleanMaskAsync(x, outMask);
                const out: number[] = Array.from(await outMasked.data());
                tf.dispose([outMask, outMasked]);
                return out;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'compaction: the tensor disposed before the loop, or the array filled on one branch → reported, no suggestion',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function keep(scores: tf.Tensor1D, on: boolean): Promise<number[][]> {
        const d = await scores.data();
        const a: number[] = [];
        if (on) {
          for (let i = 0; i < d.length; i++) if (d[i] > 0.5) a.push(i);
        }
        scores.dispose();
        report(a.length);
        const b: number[] = [];
        for (let i = 0; i < d.length; i++) if (d[i] > 0.5) b.push(i);
        return [a, b];
      }
      declare function report(n: number): void;
    `,
    errors: [
      { messageId: 'compaction', line: 7, suggestions: [] },
      { messageId: 'compaction', line: 12, suggestions: [] },
    ],
  },
  {
    name: 'compaction after `scores.dispose()` on the line before: the dispose moves after the op',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function keep(scores: tf.Tensor1D): Promise<number[]> {
        const d = await scores.data();
        scores.dispose();
        const out: number[] = [];
        for (let i = 0; i < d.length; i++) if (d[i] > 0.5) out.push(i);
        return out;
      }
    `,
    errors: [
      {
        messageId: 'compaction',
        line: 7,
        suggestions: [
          {
            messageId: 'suggestRewrite',
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function keep(scores: tf.Tensor1D): Promise<number[]> {
                const outMask = tf.greater(scores, 0.5);
                const outWhere = await tf.whereAsync(outMask);
                const out: number[] = Array.from(await outWhere.data());
                tf.dispose([outMask, outWhere]);
                scores.dispose();
                return out;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'compaction by array methods: map to pairs, filter, map to the index → tf.whereAsync',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function keep(scores: tf.Tensor1D): Promise<number[]> {
        const values = Array.from(await scores.data());
        return values
          .map((s, i) => ({ s, i }))
          .filter((c) => c.s > 0.5)
          .map((c) => c.i);
      }
    `,
    errors: [
      {
        messageId: 'compaction',
        line: 7,
        column: 6,
        data: {
          form: '`filter`',
          what: 'indices',
          condition: 'c.s > 0.5',
          replacement: 'await tf.whereAsync(tf.greater(scores, 0.5))',
          note: ' (an [n, 1] int32 tensor of the indices, in order), offered as a suggestion: the function now waits for the backend at the chain, where other code may run meanwhile',
        },
        suggestions: [
          {
            messageId: 'suggestRewrite',
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function keep(scores: tf.Tensor1D): Promise<number[]> {
                const keptMask = tf.greater(scores, 0.5);
                const keptWhere = await tf.whereAsync(keptMask);
                const indices = Array.from(await keptWhere.data());
                tf.dispose([keptMask, keptWhere]);
                return indices;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'compaction by array methods into a declaration: the declaration takes the indices read back',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function keep(scores: tf.Tensor2D, t: number): Promise<number> {
        const values = Array.from(await scores.data());
        const kept = values.map((s, i) => ({ s, i })).filter((c) => c.s >= t).map(({ i }) => i);
        return kept.length + values.length;
      }
    `,
    errors: [
      {
        messageId: 'compaction',
        line: 5,
        suggestions: [
          {
            messageId: 'suggestRewrite',
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function keep(scores: tf.Tensor2D, t: number): Promise<number> {
                const values = Array.from(await scores.data());
                const keptFlat = tf.reshape(scores, [-1]);
                const keptMask = tf.greaterEqual(keptFlat, t);
                const keptWhere = await tf.whereAsync(keptMask);
                const kept = Array.from(await keptWhere.data());
                tf.dispose([keptFlat, keptMask, keptWhere]);
                return kept.length + values.length;
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'a map over JS indices that picks elements of tensor data → tf.gather read back, as a suggestion',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pick(scores: tf.Tensor1D, kept: number[]): number[] {
        const values = scores.dataSync();
        return kept.map((i) => values[i]);
      }
    `,
    errors: [
      {
        messageId: 'indexGather',
        line: 5,
        column: 15,
        data: {
          data: 'values',
          indices: 'kept',
          replacement: 'tf.gather(scores, kept)',
          note: '; offered as a suggestion: the values are read back with `dataSync()`, which waits for the backend',
        },
        suggestions: [
          {
            messageId: 'suggestCallRewrite',
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function pick(scores: tf.Tensor1D, kept: number[]): number[] {
                return tf.tidy(() => Array.from(tf.gather(scores, kept).dataSync()));
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'gathers with no suggestion: the tensor disposed in the loop that runs the map again, a call between the dispose and the map',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      declare function log(n: number): void;

      export function picks(scores: tf.Tensor1D, rows: number[][]): number[][] {
        const values = scores.dataSync();
        const b: number[][] = [];
        for (const row of rows) {
          b.push(row.map((i) => values[i]));
          scores.dispose();
        }
        return b;
      }

      export function later(scores: tf.Tensor1D, kept: number[]): number[] {
        const values = scores.dataSync();
        scores.dispose();
        log(kept.length);
        return kept.map((i) => values[i]);
      }
    `,
    errors: [
      { messageId: 'indexGather', line: 9, suggestions: [] },
      { messageId: 'indexGather', line: 19, suggestions: [] },
    ],
  },
  {
    name: 'a gather after `t.dispose()`: the dispose moves after the statement; the read-back stays for its other use',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function pick(t: tf.Tensor2D, ids: number[]): Promise<number[]> {
        const scores = Array.from(await t.data());
        t.dispose();
        const kept = ids.filter((i) => i >= 0);
        const picked = kept.map((i) => scores[i]);
        return picked.concat(scores);
      }
    `,
    errors: [
      {
        messageId: 'indexGather',
        line: 7,
        suggestions: [
          {
            messageId: 'suggestCallRewrite',
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export async function pick(t: tf.Tensor2D, ids: number[]): Promise<number[]> {
                const scores = Array.from(await t.data());
                const kept = ids.filter((i) => i >= 0);
                const picked = tf.tidy(() => Array.from(tf.gather(tf.reshape(t, [-1]), kept).dataSync()));
                t.dispose();
                return picked.concat(scores);
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'a TensorBuffer read at positions read from another buffer is tf.gatherND (reported; the buffers are passed in)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function confidence(scores: tf.TensorBuffer<tf.Rank.R3>, coords: tf.TensorBuffer<tf.Rank.R2>): Float32Array {
        const n = coords.shape[0];
        const out = new Float32Array(n);
        for (let k = 0; k < n; k++) {
          const y = coords.get(k, 0);
          const x = coords.get(k, 1);
          out[k] = scores.get(y, x, k);
        }
        return out;
      }
    `,
    errors: [
      {
        messageId: 'bufferGather',
        line: 6,
        column: 3,
        data: {
          source: 'scores',
          where: '',
          positions: '`coords`',
          note: '; `scores` is a TensorBuffer a caller passes in: pass the tensors instead',
        },
      },
    ],
  },
  {
    name: 'a TensorBuffer read in a helper of the module at positions the loop reads from another buffer (reported)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      function offsetAt(y: number, x: number, k: number, offsets: tf.TensorBuffer<tf.Rank.R3>) {
        return { dy: offsets.get(y, x, k), dx: offsets.get(y, x, k + 17) };
      }

      export function offsetVectors(coords: tf.TensorBuffer<tf.Rank.R2>, offsets: tf.TensorBuffer<tf.Rank.R3>): tf.Tensor2D {
        const out: number[] = [];
        for (let k = 0; k < 17; k++) {
          const y = coords.get(k, 0).valueOf();
          const x = coords.get(k, 1).valueOf();
          const { dy, dx } = offsetAt(y, x, k, offsets);
          out.push(dy, dx);
        }
        return tf.tensor2d(out, [17, 2]);
      }
    `,
    errors: [
      {
        messageId: 'bufferGather',
        line: 9,
        data: {
          source: 'offsets',
          where: ' (in `offsetAt`, which it hands the positions)',
          positions: '`coords`',
          note: '; `offsets` is a TensorBuffer a caller passes in: pass the tensors instead',
        },
      },
    ],
  },
  {
    name: 'data of an unnamed tensor: the fix names the tensor where it was read back (the read-back goes)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function score(model: tf.LayersModel, x: tf.Tensor2D): number {
        const d = (model.predict(x) as tf.Tensor).dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return s;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function score(model: tf.LayersModel, x: tf.Tensor2D): number {
        const dTensor = model.predict(x) as tf.Tensor;
        let s = tf.tidy(() => tf.sum(dTensor).dataSync()[0]);
        return s;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        data: {
          what: 'the sum over all elements of `dTensor`',
          replacement: 'tf.tidy(() => tf.sum(dTensor).dataSync()[0])',
          assumptions: 'float32 arithmetic',
        },
      },
    ],
  },
  {
    name: 'data of an unnamed tensor read back in a bigger declaration, or used after the loop: named only where alone',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function score(ys: tf.Tensor2D, m: number): number[] {
        const k = m + 1, d = ys.argMax(-1).dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        const e = ys.argMax(0).dataSync();
        let t = 0;
        for (let i = 0; i < e.length; i++) if (e[i] === k) t++;
        return [s, t, e[0]];
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function score(ys: tf.Tensor2D, m: number): number[] {
        const k = m + 1, d = ys.argMax(-1).dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        const eTensor = ys.argMax(0);
        const e = eTensor.dataSync();
        let t = tf.tidy(() => tf.sum(tf.where(tf.equal(eTensor, k), 1, 0)).dataSync()[0]);
        return [s, t, e[0]];
      }
    `,
    errors: [
      {
        messageId: 'cannotFix',
        line: 6,
        data: {
          what: 'the sum over all elements of `d`',
          replacement: 'tf.tidy(() => tf.sum(d).dataSync()[0])',
          reason:
            '`d` is data read back from `ys.argMax(-1)`, a tensor no variable holds; hold that tensor in a variable to have the loop rewritten',
        },
      },
      { messageId: 'vectorizableAssuming', line: 9 },
    ],
  },
  {
    name: 'a map returning a row literal → tf.stack of its entries, read back as number[][]',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function swap(boxes: tf.Tensor2D): number[][] {
        const rows = boxes.arraySync();
        return rows.map((b) => [b[1], b[0]]);
      }

      export function scaled(points: tf.Tensor2D, w: number): number[][] {
        const rows = points.arraySync();
        return rows.map((p) => [p[0] / w, p[1]]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function swap(boxes: tf.Tensor2D): number[][] {
        return tf.tidy(() => tf.stack([tf.gather(boxes, 1, 1), tf.gather(boxes, 0, 1)], 1).arraySync() as number[][]);
      }

      export function scaled(points: tf.Tensor2D, w: number): number[][] {
        return tf.tidy(() => tf.stack([tf.div(tf.gather(points, 0, 1), w), tf.cast(tf.gather(points, 1, 1), 'float32')], 1).arraySync() as number[][]);
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 5,
        data: {
          what: 'rows of `boxes`',
          replacement: 'tf.stack([tf.gather(boxes, 1, 1), tf.gather(boxes, 0, 1)], 1)',
          assumptions: 'indices in range, no empty axis',
        },
      },
      {
        messageId: 'vectorizableAssuming',
        line: 10,
        data: {
          what: 'rows of `points`',
          replacement: "tf.stack([tf.div(tf.gather(points, 0, 1), w), tf.cast(tf.gather(points, 1, 1), 'float32')], 1)",
          assumptions: 'indices in range, no empty axis, float32 arithmetic',
        },
      },
    ],
  },
  {
    name: 'a map over data read back as indices picks elements of other data: tf.gather with the indices tensor',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pick(scores: tf.Tensor1D, picks: tf.Tensor1D): number[] {
        const s = scores.dataSync();
        const order = Array.from(picks.dataSync());
        return order.map((i) => s[i]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pick(scores: tf.Tensor1D, picks: tf.Tensor1D): number[] {
        return tf.tidy(() => tf.gather(scores, tf.cast(tf.reshape(picks, [-1]), 'int32')).arraySync() as number[]);
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 6,
        data: {
          what: 'a gather of `scores` and `picks`',
          replacement: "tf.gather(scores, tf.cast(tf.reshape(picks, [-1]), 'int32'))",
          assumptions: 'indices in range',
        },
      },
    ],
  },
  {
    name: 'a private method handed read-back rows by its only caller: reported, pass the tensor instead',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Pipeline {
        run(keypoints: tf.Tensor2D): number[][] {
          const raw = keypoints.arraySync();
          return this.scale(raw, 2);
        }

        private scale(rows: number[][], s: number): number[][] {
          return rows.map((c) => [c[0] * s, c[1] * s]);
        }
      }
    `,
    errors: [
      {
        messageId: 'cannotFix',
        line: 10,
        data: {
          what: 'rows of `rows`',
          replacement: 'tf.stack([tf.mul(tf.gather(rows, 0, 1), s), tf.mul(tf.gather(rows, 1, 1), s)], 1)',
          reason:
            '`rows` is data a caller passes in (`keypoints.arraySync()` in the call on line 6); pass the tensor to the helper instead',
        },
      },
    ],
  },
  {
    name: 'a field of the class and an entry of a const array are read once where the rewrite goes',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Scaler {
        constructor(private readonly width: number) {}

        apply(x: tf.Tensor1D): Float32Array {
          const d = x.dataSync();
          const factors = [2, 0.5];
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = (d[i] - this.width) * factors[1];
          return out;
        }
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Scaler {
        constructor(private readonly width: number) {}

        apply(x: tf.Tensor1D): Float32Array {
          const factors = [2, 0.5];
          const out = tf.tidy(() => tf.mul(tf.sub(x, this.width), factors[1]).dataSync() as Float32Array);
          return out;
        }
      }
    `,
    errors: [{ messageId: 'vectorizable', line: 10 }],
  },
  {
    name: 'two unnamed read-backs of one name in two functions, fixed in one pass: each function names its own tensor',
    // Each declaration goes in its own function's scope: the same name cannot clash, and a statement's fix
    // depends on no other statement's (findings are kept per statement group across re-lints).
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function a(ys: tf.Tensor2D): number {
        const d = ys.argMax(-1).dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return s;
      }

      export function b(ys: tf.Tensor2D): number {
        const d = ys.argMin(-1).dataSync();
        let s = 0;
        for (let i = 0; i < d.length; i++) s += d[i];
        return s;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function a(ys: tf.Tensor2D): number {
        const dTensor = ys.argMax(-1);
        let s = tf.tidy(() => tf.sum(dTensor).dataSync()[0]);
        return s;
      }

      export function b(ys: tf.Tensor2D): number {
        const dTensor = ys.argMin(-1);
        let s = tf.tidy(() => tf.sum(dTensor).dataSync()[0]);
        return s;
      }
    `,
    errors: [
      { messageId: 'vectorizableAssuming', line: 6 },
      { messageId: 'vectorizableAssuming', line: 13 },
    ],
  },
  {
    name: 'two unnamed read-backs of one name in one statement (a class), fixed in one pass: their tensors get different names',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Stats {
        a(ys: tf.Tensor2D): number {
          const d = ys.argMax(-1).dataSync();
          let s = 0;
          for (let i = 0; i < d.length; i++) s += d[i];
          return s;
        }

        b(ys: tf.Tensor2D): number {
          const d = ys.argMin(-1).dataSync();
          let s = 0;
          for (let i = 0; i < d.length; i++) s += d[i];
          return s;
        }
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export class Stats {
        a(ys: tf.Tensor2D): number {
          const dTensor = ys.argMax(-1);
          let s = tf.tidy(() => tf.sum(dTensor).dataSync()[0]);
          return s;
        }

        b(ys: tf.Tensor2D): number {
          const dTensor2 = ys.argMin(-1);
          let s = tf.tidy(() => tf.sum(dTensor2).dataSync()[0]);
          return s;
        }
      }
    `,
    errors: [
      { messageId: 'vectorizableAssuming', line: 7 },
      { messageId: 'vectorizableAssuming', line: 14 },
    ],
  },
  {
    name: 'rows indexed from an offset on (full[i][n + j]): a window of the axis, tf.slice from the offset',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function window(x: tf.Tensor2D, n: number, k: number): number[] {
        const full = x.arraySync();
        const sums: number[] = [];
        for (let i = 0; i < full.length; i++) {
          let s = 0;
          for (let j = 0; j < k; j++) s += full[i][n + j];
          sums.push(s);
        }
        return sums;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function window(x: tf.Tensor2D, n: number, k: number): number[] {
        const sums: number[] = tf.tidy(() => tf.sum(tf.slice(x, [0, n], [-1, Math.max(k, 0)]), 1).arraySync() as number[]);
        return sums;
      }
    `,
    errors: [
      {
        messageId: 'vectorizableAssuming',
        line: 6,
        data: {
          what: 'the sum over each row of `x`',
          replacement: 'tf.sum(tf.slice(x, [0, n], [-1, Math.max(k, 0)]), 1)',
          assumptions: 'indices in range, no empty axis, float32 arithmetic',
        },
      },
    ],
  },
  {
    name: 'histogram: labels counted into a JS array → tf.bincount, the read-back only the loop used removed',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function votes(classes: tf.Tensor1D, n: number): number[] {
        const d = classes.dataSync();
        const counts = new Array(n).fill(0);
        for (let i = 0; i < d.length; i++) counts[d[i]]++;
        return counts;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function votes(classes: tf.Tensor1D, n: number): number[] {
        const counts = tf.tidy(() => {
          const labels = tf.cast(classes, 'int32');
          return tf.bincount(labels, tf.onesLike(labels), n).arraySync();
        });
        return counts;
      }
    `,
    errors: [
      {
        messageId: 'histogram',
        line: 6,
        data: {
          data: 'd',
          counts: 'counts',
          labels: "tf.cast(classes, 'int32')",
          replacement: 'tf.bincount(labels, tf.onesLike(labels), n)',
          note: ', for labels that are integers in range (the autofix assumes indices in range)',
        },
      },
    ],
  },
  {
    name: 'histogram over nested rows with named imports: the ops and the Tensor1D cast come from the import',
    code: dedent`
      import { Tensor1D, Tensor2D, argMax, tidy } from '@tensorflow/tfjs';

      export function areas(scores: Tensor2D, k: number): Int32Array {
        const best: Tensor2D = tidy(() => argMax(scores.expandDims(0), 2));
        const rows = best.arraySync();
        const area = new Int32Array(k);
        for (const row of rows) for (const c of row) area[c] += 1;
        return area;
      }
    `,
    output: dedent`
      import { Tensor1D, Tensor2D, argMax, tidy, bincount, cast, onesLike, reshape } from '@tensorflow/tfjs';

      export function areas(scores: Tensor2D, k: number): Int32Array {
        const best: Tensor2D = tidy(() => argMax(scores.expandDims(0), 2));
        const area = tidy(() => {
          const labels = cast(reshape(best, [-1]) as Tensor1D, 'int32');
          return new Int32Array(bincount(labels, onesLike(labels), k).dataSync());
        });
        return area;
      }
    `,
    errors: [{ messageId: 'histogram', line: 7 }],
  },
  {
    name: 'histogram: counts declared outside the block the loop runs in → reported, no fix',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function votes(classes: tf.Tensor1D, n: number, on: boolean): number[] {
        const d = classes.dataSync();
        const counts = new Array(n).fill(0);
        if (on) {
          for (let i = 0; i < d.length; i++) counts[d[i]]++;
        }
        return counts;
      }
    `,
    errors: [
      {
        messageId: 'histogram',
        data: {
          data: 'd',
          counts: 'counts',
          labels: "tf.cast(classes, 'int32')",
          replacement: 'tf.bincount(labels, tf.onesLike(labels), n)',
          note: ' (for labels that are integers in range), but the loop is not rewritten automatically: the loop does not run wherever `counts` is declared',
        },
      },
    ],
  },
  {
    name: 'histogram over a tf.Variable assigned before the loop → reported, no fix (the op would see the new values)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function votes(classes: tf.Variable, next: tf.Tensor, n: number): number[] {
        const d = classes.dataSync();
        classes.assign(next);
        const counts = new Array(n).fill(0);
        for (let i = 0; i < d.length; i++) counts[d[i]]++;
        return counts;
      }
    `,
    errors: [{ messageId: 'histogram', line: 7, suggestions: [] }],
  },
  {
    name: 'histogram: the tensor disposed before the loop → reported, no fix',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function votes(classes: tf.Tensor1D, n: number): Promise<number[]> {
        const d = await classes.data();
        classes.dispose();
        const counts = new Array(n).fill(0);
        for (const c of d) ++counts[c];
        return counts;
      }
    `,
    errors: [
      {
        messageId: 'histogram',
        data: {
          data: 'd',
          counts: 'counts',
          labels: "tf.cast(classes, 'int32')",
          replacement: 'tf.bincount(labels, tf.onesLike(labels), n)',
          note: ' (for labels that are integers in range), but the loop is not rewritten automatically: `classes` is disposed before the loop ends',
        },
      },
    ],
  },
  {
    name: 'argmax by indexOf(Math.max(...d)) over read-back data → tf.argMax (a suggestion: NaN makes indexOf -1)',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function best(logits: tf.Tensor1D): number {
        const d = Array.from(logits.dataSync());
        return d.indexOf(Math.max(...d));
      }
    `,
    errors: [
      {
        messageId: 'vectorizableSuggestion',
        line: 5,
        suggestions: [
          {
            messageId: 'suggestRewrite',
            output: dedent`
              import * as tf from '@tensorflow/tfjs';

              export function best(logits: tf.Tensor1D): number {
                return tf.tidy(() => tf.argMax(tf.reshape(logits, [-1]), 0).dataSync()[0]);
              }
            `,
          },
        ],
      },
    ],
  },
  {
    name: 'argmin of each row by indexOf(Math.min(...row)) in a map → tf.argMin over the rows, an autofix with no-nan',
    options: [{ assume: ['no-nan', 'non-empty'] }],
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function nearest(dists: tf.Tensor2D): number[] {
        const rows = dists.arraySync();
        return rows.map((row) => row.indexOf(Math.min(...row)));
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function nearest(dists: tf.Tensor2D): number[] {
        return tf.tidy(() => tf.argMin(dists, 1).arraySync() as number[]);
      }
    `,
    errors: [{ messageId: 'vectorizableAssuming', line: 5 }],
  },
  {
    name: 'map over a plain-array copy of flat data (Array.from) → the op read back with arraySync()',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor1D): number[] {
        const d = Array.from(x.dataSync());
        return d.map((v) => Math.abs(v));
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function doubled(x: tf.Tensor1D): number[] {
        return tf.tidy(() => tf.abs(tf.reshape(x, [-1])).arraySync() as number[]);
      }
    `,
    errors: [{ messageId: 'vectorizable', line: 5 }],
  },
  {
    name: 'a count by filter(…).length over read-back data → the sum of a mask, read back',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function passing(p: tf.Tensor1D): number {
        const d = p.dataSync();
        return d.filter((v) => v > 0.5).length;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function passing(p: tf.Tensor1D): number {
        return tf.tidy(() => tf.sum(tf.where(tf.greater(p, 0.5), 1, 0)).dataSync()[0]);
      }
    `,
    errors: [{ messageId: 'vectorizableAssuming', line: 5 }],
  },
  {
    name: 'a count of truthy values by filter((v) => v).length: not 0 and not NaN, as JS reads a number',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function nonZero(p: tf.Tensor1D): number {
        const d = p.dataSync();
        return d.filter((v) => v).length;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function nonZero(p: tf.Tensor1D): number {
        return tf.tidy(() => tf.sum(tf.where(tf.logicalAnd(tf.notEqual(p, 0), tf.logicalNot(tf.isNaN(p))), 1, 0)).dataSync()[0]);
      }
    `,
    errors: [{ messageId: 'vectorizableAssuming', line: 5 }],
  },
  {
    name: 'data read back on one path only (the other fills a JS array): reported, no fix',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export async function peak(x: tf.Tensor1D, fast: boolean): Promise<number> {
        let d: number[] = [];
        if (fast) d.push(0);
        else d = await x.array();
        let m = 0;
        for (let i = 0; i < d.length; i++) m = Math.max(m, d[i]);
        return m;
      }
    `,
    errors: [
      {
        messageId: 'cannotFix',
        line: 8,
        data: {
          what: 'the max over all elements of `d`',
          replacement: 'tf.tidy(() => tf.maximum(0, tf.max(d)).dataSync()[0])',
          reason:
            '`d` holds data read back from `x` on line 6 on one path only; it also holds what the rest of the function puts in it; `m` stays a JS number and the data was read asynchronously',
        },
      },
    ],
  },
  {
    name: 'real and imaginary parts interleaved through a running index: stacked on a new last axis',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pack(re: tf.Tensor1D, im: tf.Tensor1D): Float32Array {
        const a = re.dataSync();
        const b = im.dataSync();
        const n = re.shape[0];
        const out = new Float32Array(2 * n);
        let k = 0;
        for (let i = 0; i < n; i++) {
          out[k++] = a[i];
          out[k++] = b[i];
        }
        return out;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function pack(re: tf.Tensor1D, im: tf.Tensor1D): Float32Array {
        const out = tf.tidy(() => tf.stack([tf.cast(re, 'float32'), tf.cast(im, 'float32')], 1).dataSync() as Float32Array);
        return out;
      }
    `,
    errors: [
      {
        messageId: 'vectorizable',
        line: 9,
        data: {
          what: 'rows of `re` and `im`',
          replacement: "tf.stack([tf.cast(re, 'float32'), tf.cast(im, 'float32')], 1)",
        },
      },
    ],
  },
  {
    name: 'RGBA bytes through buf.set([v], k++) into a Uint8Array: converted by new Uint8Array, as each store converts',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rgba(img: tf.Tensor3D): Uint8Array {
        const [h, w] = img.shape;
        const px = img.dataSync();
        const len = h * w * 4;
        const bytes = new Uint8Array(len);
        let k = 0;
        for (let i = 0; i < h; i++) {
          for (let j = 0; j < w; j++) {
            const at = 3 * (i * w + j);
            bytes.set([px[at]], k++);
            bytes.set([px[at + 1]], k++);
            bytes.set([px[at + 2]], k++);
            bytes.set([255], k++);
          }
        }
        return bytes;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function rgba(img: tf.Tensor3D): Uint8Array {
        const [h, w] = img.shape;
        const bytes = tf.tidy(() => new Uint8Array(tf.stack([tf.gather(img, 0, 2), tf.gather(img, 1, 2), tf.gather(img, 2, 2), tf.fill([h, w], 255, img.dtype)], 2).dataSync()));
        return bytes;
      }
    `,
    errors: [{ messageId: 'vectorizableAssuming', line: 9 }],
  },
  {
    name: 'a flat grid in new Array(n * m) stays a flat number[]',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function grid(x: tf.Tensor2D): number[] {
        const d = x.dataSync();
        const [n, m] = x.shape;
        const out = new Array<number>(n * m);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] = Math.abs(d[i * m + j]);
        return out;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function grid(x: tf.Tensor2D): number[] {
        const out = tf.tidy(() => tf.reshape(tf.abs(x), [-1]).arraySync() as number[]);
        return out;
      }
    `,
    errors: [{ messageId: 'vectorizable', line: 7 }],
  },
  {
    name: 'a JS result read in a function made after the loop is fixed; in one made before it, reported',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function later(x: tf.Tensor1D): () => Float32Array {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        for (let i = 0; i < d.length; i++) out[i] = Math.abs(d[i]);
        return () => out;
      }

      export function earlier(x: tf.Tensor1D): () => Float32Array {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        const get = () => out;
        for (let i = 0; i < d.length; i++) out[i] = Math.abs(d[i]);
        return get;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function later(x: tf.Tensor1D): () => Float32Array {
        const out = tf.tidy(() => new Float32Array(tf.abs(x).dataSync()));
        return () => out;
      }

      export function earlier(x: tf.Tensor1D): () => Float32Array {
        const d = x.dataSync();
        const out = new Float32Array(d.length);
        const get = () => out;
        for (let i = 0; i < d.length; i++) out[i] = Math.abs(d[i]);
        return get;
      }
    `,
    errors: [
      { messageId: 'vectorizable', line: 6 },
      {
        messageId: 'cannotFix',
        line: 14,
        data: {
          what: 'an element-wise abs of `x`',
          replacement: 'tf.abs(x)',
          reason: 'the result is read before the loop ends',
        },
      },
    ],
  },
  {
    name: 'a row literal with a constant entry: the constant filled with the data dtype (an integer) or float32',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function padded(kp: tf.Tensor2D): number[][] {
        const rows = kp.arraySync();
        return rows.map((r) => [r[0], 0]);
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function padded(kp: tf.Tensor2D): number[][] {
        return tf.tidy(() => tf.stack([tf.gather(kp, 0, 1), tf.fill([kp.shape[0]], 0, kp.dtype)], 1).arraySync() as number[][]);
      }
    `,
    errors: [{ messageId: 'vectorizableAssuming', line: 5 }],
  },
  {
    name: 'a read-back copy changed in place: the values computed where the data was read; refused when used before the loop',
    code: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function clip(t: tf.Tensor1D): number[] {
        const p = Array.from(t.dataSync());
        for (let i = 0; i < p.length; i++) {
          if (p[i] < 0) p[i] = 0;
        }
        return p;
      }

      export function centred(t: tf.Tensor1D): number[] {
        const p = t.arraySync();
        const first = p[0];
        for (let i = 0; i < p.length; i++) p[i] = p[i] - first;
        return p;
      }

      export function floored(t: tf.Tensor1D, lo: number): number[] {
        const p = t.arraySync();
        lo = Math.max(lo, 0);
        for (let i = 0; i < p.length; i++) if (p[i] < lo) p[i] = lo;
        return p;
      }
    `,
    output: dedent`
      import * as tf from '@tensorflow/tfjs';

      export function clip(t: tf.Tensor1D): number[] {
        const p = Array.from(tf.tidy(() => tf.where(tf.less(t, 0), tf.fill(t.shape, 0, t.dtype), t).dataSync()));
        return p;
      }

      export function centred(t: tf.Tensor1D): number[] {
        const p = t.arraySync();
        const first = p[0];
        for (let i = 0; i < p.length; i++) p[i] = p[i] - first;
        return p;
      }

      export function floored(t: tf.Tensor1D, lo: number): number[] {
        const p = t.arraySync();
        lo = Math.max(lo, 0);
        for (let i = 0; i < p.length; i++) if (p[i] < lo) p[i] = lo;
        return p;
      }
    `,
    errors: [
      { messageId: 'vectorizable', line: 5 },
      {
        messageId: 'cannotFix',
        line: 14,
        data: {
          what: 'an element-wise expression of `t`',
          replacement: 'tf.sub(t, first)',
          reason: 'the loop changes `p` in place: `p` is used between the read and the loop',
        },
      },
      {
        messageId: 'cannotFix',
        line: 21,
        data: {
          what: 'a per-element conditional of `t`',
          replacement: "tf.where(tf.less(t, lo), tf.fill(t.shape, lo), tf.cast(t, 'float32'))",
          reason: 'the loop changes `p` in place: `lo` changes between the read and the loop',
        },
      },
    ],
  },
];
