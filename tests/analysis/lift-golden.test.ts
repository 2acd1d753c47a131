/**
 * Golden tests "loop text → IR text": each case is a short loop in the style of fixtures/ and
 * tests/rules/cases.ts, and the exact text `printNest` gives for what the lifter found (or the kind
 * and reason it was not lifted). A change in the lifter shows here as a readable diff. Every
 * expected text was produced by the printer and then checked by hand against the loop.
 *
 * Each snippet is prefixed with `import * as tf from '@tensorflow/tfjs';`.
 */
import { describe, expect, it } from 'vitest';
import { dedent, liftText, lines } from './lift-helper.js';

interface GoldenCase {
  name: string;
  code: string;
  ir: string;
}

const PRELUDE = "import * as tf from '@tensorflow/tfjs';\n";

const families: Record<string, GoldenCase[]> = {
  'element-wise maps': [
    {
      name: 'flat typed array',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = d[i] * 2 + 1;
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < d.length:
          out[i] = x[i] * 2 + 1
      `,
    },
    {
      name: 'flat 2-D data read and written row-major',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor2D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(n * m);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < m; j++) out[i * m + j] = Math.abs(d[i * m + j]) + Math.sqrt(d[i * m + j]);
          }
          return tf.tensor2d(out, [n, m]);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i,j] = abs(x[i,j]) + sqrt(x[i,j])
      `,
    },
    {
      name: 'nested arraySync rows',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor2D {
          const [n, m] = x.shape;
          const rows = x.arraySync();
          const out = new Float32Array(n * m);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < m; j++) out[i * m + j] = Math.tanh(rows[i][j]) * 3;
          }
          return tf.tensor2d(out, [n, m]);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i,j] = tanh(x[i,j]) * 3
      `,
    },
    {
      name: 'bufferSync get into tf.buffer set',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor2D {
          const [n, m] = x.shape;
          const src = x.bufferSync();
          const dst = tf.buffer([n, m]);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < m; j++) dst.set(src.get(i, j) ** 3, i, j);
          }
          return dst.toTensor() as tf.Tensor2D;
        }
      `,
      ir: lines`
        for i < n, j < m:
          dst[i,j] = x[i,j] ** 3
      `,
    },
    {
      name: 'for…of over flat data with push',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const out: number[] = [];
          for (const v of x.dataSync()) out.push(Math.log1p(Math.exp(v)));
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for v$ < x.size:
          out[v$] = log1p(exp(x.flat[v$]))
      `,
    },
    {
      name: 'for…of over rows and their elements',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor2D {
          const out: number[][] = [];
          for (const row of x.arraySync()) {
            const r: number[] = [];
            for (const v of row) r.push(v * v - 1);
            out.push(r);
          }
          return tf.tensor2d(out);
        }
      `,
      ir: lines`
        for row$ < x.shape[0], v$ < x.shape[1]:
          out[row$,v$] = x[row$,v$] * x[row$,v$] - 1
        caveat [non-empty]: for a tensor with no elements \`x.arraySync()\` gives \`[]\` whatever the shape, so
            where a dimension is 0 the loop's result has another shape than the op's
      `,
    },
    {
      name: 'a bound that is a parameter reads a slice',
      code: dedent`
        export function run(x: tf.Tensor2D, k: number): tf.Tensor2D {
          const n = x.shape[0];
          const rows = x.arraySync();
          const out = tf.buffer([n, k]);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < k; j++) out.set(-rows[i][j], i, j);
          }
          return out.toTensor() as tf.Tensor2D;
        }
      `,
      ir: lines`
        for i < n, j < k:
          out[i,j] = -x[:,:Math.max(k, 0)][i,j]
        caveat [in-bounds]: the loop reads the first \`k\` entries of axis 1 of \`x\`, which tf.slice does when
            \`k\` ≤ x.shape[1]; past that the loop reads undefined (NaN) where tf.slice throws
      `,
    },
    {
      name: 'a map returning a row literal stacks its entries on a new axis',
      code: dedent`
        export function run(kp: tf.Tensor2D, w: number): number[][] {
          const rows = kp.arraySync();
          return rows.map((c) => [c[0] / w, c[2]]);
        }
      `,
      ir: lines`
        for c$ < kp.shape[0], c$col < 2:
          rows.map(…)[c$,c$col] = stack_c$col[kp[c$,0] / w, kp[c$,2]]
        caveat [in-bounds]: the loop reads entry 2 of axis 1 of \`kp\`, which exists where kp.shape[1] > 2;
            past that the loop reads undefined where the gather throws or clamps
        caveat [non-empty]: for a tensor with no elements \`kp.arraySync()\` gives \`[]\` whatever the shape, so
            where a dimension is 0 the loop's result has another shape than the op's
      `,
    },
    {
      name: 'truncation with | 0 is ToInt32 (exact: tf.cast to int32)',
      code: dedent`
        export function run(img: tf.Tensor2D): tf.Tensor1D {
          const px = img.dataSync();
          const levels = new Float32Array(px.length);
          for (let i = 0; i < px.length; i++) levels[i] = (px[i] * 255) | 0;
          return tf.tensor1d(levels);
        }
      `,
      ir: lines`
        for i < px.length:
          levels[i] = int32(img.flat[i] * 255)
      `,
    },
    {
      name: 'transposed write',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor2D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(m * n);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < m; j++) out[j * n + i] = d[i * m + j];
          }
          return tf.tensor2d(out, [m, n]);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[j,i] = x[i,j]
      `,
    },
  ],
  broadcasts: [
    {
      name: 'scale and shift per column',
      code: dedent`
        export function run(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor2D {
          const [batch, channels] = x.shape;
          const xd = x.dataSync();
          const g = gamma.dataSync();
          const b = beta.dataSync();
          const y = new Float32Array(batch * channels);
          for (let i = 0; i < batch; i++) {
            for (let j = 0; j < channels; j++) y[i * channels + j] = xd[i * channels + j] * g[j] + b[j];
          }
          return tf.tensor2d(y, [batch, channels]);
        }
      `,
      ir: lines`
        for i < batch, j < channels:
          y[i,j] = x[i,j] * gamma[j] + beta[j]
      `,
    },
    {
      name: 'subtract a per-row value',
      code: dedent`
        export function run(x: tf.Tensor2D, mu: tf.Tensor1D): tf.Tensor2D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const c = mu.dataSync();
          const out = new Float32Array(n * m);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < m; j++) out[i * m + j] = d[i * m + j] - c[i];
          }
          return tf.tensor2d(out, [n, m]);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i,j] = x[i,j] - mu[i]
      `,
    },
    {
      name: 'outer product',
      code: dedent`
        export function run(a: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
          const u = a.dataSync();
          const v = b.dataSync();
          const n = u.length;
          const m = v.length;
          const out = new Float32Array(n * m);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < m; j++) out[i * m + j] = u[i] * v[j];
          }
          return tf.tensor2d(out, [n, m]);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i,j] = a[i] * b[j]
      `,
    },
    {
      name: 'a parameter and a constant',
      code: dedent`
        export function run(x: tf.Tensor1D, scale: number): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = (d[i] - 0.5) / scale;
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < d.length:
          out[i] = (x[i] - 0.5) / scale
      `,
    },
  ],
  'selects and masks': [
    {
      name: 'leaky relu ternary',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = d[i] > 0 ? d[i] : 0.01 * d[i];
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < d.length:
          out[i] = (x[i] > 0 ? x[i] : 0.01 * x[i])
      `,
    },
    {
      name: 'huber loss with if/else',
      code: dedent`
        const DELTA = 1;
        export function run(err: tf.Tensor1D): tf.Tensor1D {
          const e = err.dataSync();
          const loss = new Float32Array(e.length);
          for (let i = 0; i < e.length; i++) {
            const a = Math.abs(e[i]);
            if (a <= DELTA) {
              loss[i] = 0.5 * a * a;
            } else {
              loss[i] = DELTA * (a - 0.5 * DELTA);
            }
          }
          return tf.tensor1d(loss);
        }
      `,
      ir: lines`
        for i < e.length:
          loss[i] = (abs(err[i]) <= DELTA ? 0.5 * abs(err[i]) * abs(err[i]) : DELTA * (abs(err[i]) - 0.5 * DELTA))
      `,
    },
    {
      name: 'mask from another tensor',
      code: dedent`
        export function run(x: tf.Tensor1D, mask: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const k = mask.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = k[i] > 0.5 && d[i] !== 0 ? d[i] : 0;
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < d.length:
          out[i] = (mask[i] > 0.5 && x[i] !== 0 ? x[i] : 0)
      `,
    },
  ],
  reductions: [
    {
      name: 'row sums',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const [batch, features] = x.shape;
          const values = x.dataSync();
          const totals = new Float32Array(batch);
          for (let b = 0; b < batch; b++) {
            let total = 0;
            for (let f = 0; f < features; f++) total += values[b * features + f];
            totals[b] = total;
          }
          return tf.tensor1d(totals);
        }
      `,
      ir: lines`
        for b < batch, f < features:
          totals[b] = Σf x[b,f]
      `,
    },
    {
      name: 'whole sum into a scalar',
      code: dedent`
        export function run(x: tf.Tensor): tf.Scalar {
          const d = x.dataSync();
          let s = 0;
          for (let i = 0; i < d.length; i++) s += d[i];
          return tf.scalar(s);
        }
      `,
      ir: lines`
        for i < d.length:
          s = Σi x.flat[i]
      `,
    },
    {
      name: 'row products',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const [n, m] = x.shape;
          const rows = x.arraySync();
          const out = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            let p = 1;
            for (let j = 0; j < m; j++) p *= rows[i][j];
            out[i] = p;
          }
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i] = Πj x[i,j]
      `,
    },
    {
      name: 'row max from -Infinity',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            let hi = -Infinity;
            for (let j = 0; j < m; j++) hi = Math.max(hi, d[i * m + j]);
            out[i] = hi;
          }
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i] = max_j x[i,j]
        caveat [non-empty]: over an empty axis the loop gives -Infinity, tf.max gives NaN
      `,
    },
    {
      name: 'row max from the first element with if',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            let hi = d[i * m];
            for (let j = 1; j < m; j++) if (d[i * m + j] > hi) hi = d[i * m + j];
            out[i] = hi;
          }
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i] = max_j x[i,j]
        caveat [no-nan]: the loop skips NaN values, tf.max propagates them
      `,
    },
    // Was "unsupported: loop skips elements" while `substitute` cloned the IR through JSON (the Poly of
    // `k` became a plain object, so the start value `x[i,0] * k` no longer equalled the body at j = 0).
    {
      name: 'row max from the first element scaled by a parameter',
      code: dedent`
        export function run(x: tf.Tensor2D, k: number): tf.Tensor1D {
          const [n, m] = x.shape;
          const rows = x.arraySync();
          const out = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            let hi = rows[i][0] * k;
            for (let j = 1; j < m; j++) hi = Math.max(hi, rows[i][j] * k);
            out[i] = hi;
          }
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i] = max_j x[i,j] * k
      `,
    },
    {
      name: 'column min with Infinity',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(m);
          for (let j = 0; j < m; j++) {
            let lo = Infinity;
            for (let i = 0; i < n; i++) lo = Math.min(lo, d[i * m + j]);
            out[j] = lo;
          }
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for j < m, i < n:
          out[j] = min_i x[i,j]
        caveat [non-empty]: over an empty axis the loop gives Infinity, tf.min gives NaN
      `,
    },
    {
      name: 'max from a sentinel',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Scalar {
          const d = x.dataSync();
          let hi = -1000;
          for (let i = 0; i < d.length; i++) if (d[i] > hi) hi = d[i];
          return tf.scalar(hi);
        }
      `,
      ir: lines`
        for i < d.length:
          hi = max(-1000, max_i x[i])
        caveat [no-nan]: the loop skips NaN values, tf.max propagates them
      `,
    },
    {
      name: 'row means',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
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
      ir: lines`
        for i < n, j < m:
          out[i] = (Σj x[i,j]) / m
      `,
    },
    {
      name: 'mean of all elements (the division follows the loop)',
      code: dedent`
        export function run(x: tf.Tensor): tf.Scalar {
          const d = x.dataSync();
          let s = 0;
          for (let i = 0; i < d.length; i++) s += d[i];
          return tf.scalar(s / d.length);
        }
      `,
      ir: lines`
        for i < d.length:
          s = Σi x.flat[i]
      `,
    },
    {
      name: 'column sums with +=',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const colSums = new Float32Array(m);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < m; j++) colSums[j] += d[i * m + j];
          }
          return tf.tensor1d(colSums);
        }
      `,
      ir: lines`
        for i < n, j < m:
          colSums[j] = Σi x[i,j]
      `,
    },
    {
      name: 'two sibling loops are two nests',
      code: dedent`
        export function run(perSample: tf.Tensor1D, sampleWeight: tf.Tensor1D): tf.Scalar {
          const loss = perSample.dataSync();
          const wts = sampleWeight.dataSync();
          let weighted = 0;
          for (let i = 0; i < loss.length; i++) weighted += loss[i] * wts[i];
          let totalWeight = 0;
          for (let i = 0; i < wts.length; i++) totalWeight += wts[i];
          return tf.scalar(weighted / totalWeight);
        }
      `,
      ir: lines`
        for i < loss.length:
          weighted = Σi perSample[i] * sampleWeight[i]

        for i < wts.length:
          totalWeight = Σi sampleWeight[i]
      `,
    },
    {
      name: 'sum of positives',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Scalar {
          const d = x.dataSync();
          let s = 0;
          for (let i = 0; i < d.length; i++) if (d[i] > 0) s += d[i];
          return tf.scalar(s);
        }
      `,
      ir: lines`
        for i < d.length:
          s = Σi (x[i] > 0 ? x[i] : 0)
      `,
    },
    {
      name: 'sum of squared differences with -=',
      code: dedent`
        export function run(a: tf.Tensor1D, b: tf.Tensor1D): tf.Scalar {
          const p = a.dataSync();
          const q = b.dataSync();
          let s = 10;
          for (let i = 0; i < p.length; i++) s -= (p[i] - q[i]) ** 2;
          return tf.scalar(s);
        }
      `,
      ir: lines`
        for i < p.length:
          s = 10 + (Σi -((a[i] - b[i]) ** 2))
      `,
    },
  ],
  contractions: [
    {
      name: 'matrix-vector (the worked example)',
      code: dedent`
        export function run(x: tf.Tensor2D, w: tf.Tensor1D): tf.Tensor1D {
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
      ir: lines`
        for i < n, j < m:
          out[i] = Σj x[i,j] * w[j]
      `,
    },
    {
      name: 'matrix-matrix into a buffer',
      code: dedent`
        export function run(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
          const [n, k] = a.shape;
          const p = b.shape[1];
          const A = a.bufferSync();
          const B = b.bufferSync();
          const C = tf.buffer([n, p]);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < p; j++) {
              let s = 0;
              for (let t = 0; t < k; t++) s += A.get(i, t) * B.get(t, j);
              C.set(s, i, j);
            }
          }
          return C.toTensor() as tf.Tensor2D;
        }
      `,
      ir: lines`
        for i < n, j < p, t < k:
          C[i,j] = Σt a[i,t] * b[t,j]
      `,
    },
    {
      name: 'matrix times transposed matrix (flat)',
      code: dedent`
        export function run(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
          const [n, k] = a.shape;
          const p = b.shape[0];
          const ad = a.dataSync();
          const bd = b.dataSync();
          const out = new Float32Array(n * p);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < p; j++) {
              let s = 0;
              for (let t = 0; t < k; t++) s += ad[i * k + t] * bd[j * k + t];
              out[i * p + j] = s;
            }
          }
          return tf.tensor2d(out, [n, p]);
        }
      `,
      ir: lines`
        for i < n, j < p, t < k:
          out[i,j] = Σt a[i,t] * b[j,t]
        assumes [same-shape]: \`b\` is read with the strides of \`a\`: the loop assumes they have one shape;
            where they do not, the op broadcasts or throws while the loop reads other elements
      `,
    },
    {
      name: 'dot product',
      code: dedent`
        export function run(a: tf.Tensor1D, b: tf.Tensor1D): tf.Scalar {
          const u = a.dataSync();
          const v = b.dataSync();
          let s = 0;
          for (let i = 0; i < u.length; i++) s += u[i] * v[i];
          return tf.scalar(s);
        }
      `,
      ir: lines`
        for i < u.length:
          s = Σi a[i] * b[i]
      `,
    },
  ],
  'argmax and argmin': [
    {
      name: 'argmax per row, strict, from the first column',
      code: dedent`
        export function run(probs: tf.Tensor2D): tf.Tensor1D {
          const [batch, classes] = probs.shape;
          const p = probs.dataSync();
          const predicted = new Int32Array(batch);
          for (let b = 0; b < batch; b++) {
            let best = p[b * classes];
            let bestIdx = 0;
            for (let c = 1; c < classes; c++) {
              if (p[b * classes + c] > best) {
                best = p[b * classes + c];
                bestIdx = c;
              }
            }
            predicted[b] = bestIdx;
          }
          return tf.tensor1d(predicted, 'int32');
        }
      `,
      ir: lines`
        for b < batch, c < classes:
          predicted[b] = argmax_c probs[b,c]
      `,
    },
    {
      name: 'argmax per row, non-strict (keeps the last tie)',
      code: dedent`
        export function run(probs: tf.Tensor2D): tf.Tensor1D {
          const [batch, classes] = probs.shape;
          const p = probs.dataSync();
          const predicted = new Int32Array(batch);
          for (let b = 0; b < batch; b++) {
            let best = -Infinity;
            let bestIdx = 0;
            for (let c = 0; c < classes; c++) {
              if (p[b * classes + c] >= best) {
                best = p[b * classes + c];
                bestIdx = c;
              }
            }
            predicted[b] = bestIdx;
          }
          return tf.tensor1d(predicted, 'int32');
        }
      `,
      ir: lines`
        for b < batch, c < classes:
          predicted[b] = last_argmax_c probs[b,c]
        caveat [no-nan]: the loop skips NaN values, the reversed tf.argMax may return the index of one
        caveat [non-empty]: over an empty axis the loop gives 0, the reversed tf.argMax gives -1
      `,
    },
    {
      name: 'max and argmax of each row from the first column',
      code: dedent`
        export function run(scores: tf.Tensor2D): [tf.Tensor1D, tf.Tensor1D] {
          const [numBoxes, numClasses] = scores.shape;
          const s = scores.dataSync();
          const best = new Float32Array(numBoxes);
          const cls = new Int32Array(numBoxes);
          for (let i = 0; i < numBoxes; i++) {
            let top = s[i * numClasses];
            let arg = 0;
            for (let j = 1; j < numClasses; j++) {
              if (s[i * numClasses + j] > top) {
                top = s[i * numClasses + j];
                arg = j;
              }
            }
            best[i] = top;
            cls[i] = arg;
          }
          return [tf.tensor1d(best), tf.tensor1d(cls, 'int32')];
        }
      `,
      ir: lines`
        for i < numBoxes, j < numClasses:
          best[i] = max_j scores[i,j]
          cls[i] = argmax_j scores[i,j]
        caveat [no-nan]: the loop skips NaN values, tf.max propagates them
      `,
    },
    {
      name: 'argmin of all elements from Infinity',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Scalar {
          const d = x.dataSync();
          let lo = Infinity;
          let at = 0;
          for (let i = 0; i < d.length; i++) {
            if (d[i] < lo) {
              lo = d[i];
              at = i;
            }
          }
          return tf.scalar(at);
        }
      `,
      ir: lines`
        for i < d.length:
          lo = min_i x[i]
          at = argmin_i[skip NaN] x[i]
        caveat [no-nan]: the loop skips NaN values, tf.min propagates them
        caveat [non-empty]: over an empty axis the loop gives Infinity, tf.min gives NaN
      `,
    },
  ],
  'prefix sums': [
    {
      name: 'inclusive prefix sum along rows',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor2D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(n * m);
          for (let i = 0; i < n; i++) {
            let run = 0;
            for (let j = 0; j < m; j++) {
              run += d[i * m + j];
              out[i * m + j] = run;
            }
          }
          return tf.tensor2d(out, [n, m]);
        }
      `,
      ir: lines`
        for i < n, j < m:
          out[i,j] = cumsum_j x[i,j]
      `,
    },
    {
      name: 'exclusive prefix sum',
      code: dedent`
        export function run(lengths: tf.Tensor1D): tf.Tensor1D {
          const len = lengths.dataSync();
          const offsets = new Float32Array(len.length);
          let offset = 0;
          for (let i = 0; i < len.length; i++) {
            offsets[i] = offset;
            offset += len[i];
          }
          return tf.tensor1d(offsets);
        }
      `,
      ir: lines`
        for i < len.length:
          offsets[i] = exclusive_cumsum_i lengths[i]
          offset = Σi lengths[i]
      `,
    },
  ],
  gathers: [
    {
      name: 'x[i][idx[i]] on nested data',
      code: dedent`
        export function run(q: tf.Tensor2D, actions: tf.Tensor1D): tf.Tensor1D {
          const qRows = q.arraySync();
          const acts = actions.arraySync();
          const chosen: number[] = [];
          for (let i = 0; i < qRows.length; i++) chosen.push(qRows[i][acts[i]]);
          return tf.tensor1d(chosen);
        }
      `,
      ir: lines`
        for i < qRows.length:
          chosen[i] = q[i, actions[i]]
        caveat [in-bounds]: for an index read from \`actions\` that is not an integer in [0, q.shape[1]) the
            loop reads something else (another row's element, undefined, or it throws), while the TF.js
            gather truncates it, throws, clamps or reads another element, depending on the op and the
            backend
        caveat [non-empty]: for a tensor with no elements \`q.arraySync()\` gives \`[]\` whatever the shape, so
            where a dimension is 0 the loop's result has another shape than the op's
      `,
    },
    {
      name: 'flat d[i * c + label[i]]',
      code: dedent`
        export function run(logp: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
          const [n, c] = logp.shape;
          const d = logp.dataSync();
          const y = labels.dataSync();
          const out = new Float32Array(n);
          for (let i = 0; i < n; i++) out[i] = -d[i * c + y[i]];
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < n:
          out[i] = -logp[i, labels[i]]
        caveat [in-bounds]: for an index read from \`labels\` that is not an integer in [0, logp.shape[1]) the
            loop reads something else (another row's element, undefined, or it throws), while the TF.js
            gather truncates it, throws, clamps or reads another element, depending on the op and the
            backend
      `,
    },
    {
      name: 'lookup table',
      code: dedent`
        const LEVELS = [-1.5, -0.5, 0, 0.5, 1.5];
        export function run(codes: tf.Tensor1D): tf.Tensor1D {
          const q = codes.dataSync();
          const values = new Float32Array(q.length);
          for (let i = 0; i < q.length; i++) values[i] = LEVELS[q[i]];
          return tf.tensor1d(values);
        }
      `,
      ir: lines`
        for i < q.length:
          values[i] = LEVELS[codes[i]]
        caveat [in-bounds]: for an index read from \`codes\` that is not an integer in [0, 5) the loop reads
            something else (another row's element, undefined, or it throws), while the TF.js gather
            truncates it, throws, clamps or reads another element, depending on the op and the backend
      `,
    },
    {
      name: 'rows picked by index (embedding lookup)',
      code: dedent`
        export function run(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
          const [, dim] = table.shape;
          const t = table.arraySync();
          const k = ids.dataSync();
          const n = ids.shape[0];
          const out = tf.buffer([n, dim]);
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < dim; j++) out.set(t[k[i]][j], i, j);
          }
          return out.toTensor() as tf.Tensor2D;
        }
      `,
      ir: lines`
        for i < n, j < dim:
          out[i,j] = table[ids[i], j]
        caveat [in-bounds]: for an index read from \`ids\` that is not an integer in [0, table.shape[0]) the
            loop reads something else (another row's element, undefined, or it throws), while the TF.js
            gather truncates it, throws, clamps or reads another element, depending on the op and the
            backend
      `,
    },
  ],
  'one-hot scatters': [
    {
      name: 'buffer set(1, i, label)',
      code: dedent`
        export function run(labels: tf.Tensor1D, depth: number): tf.Tensor2D {
          const y = labels.dataSync();
          const n = labels.shape[0];
          const targets = tf.buffer([n, depth]);
          for (let i = 0; i < n; i++) targets.set(1, i, y[i]);
          return targets.toTensor() as tf.Tensor2D;
        }
      `,
      ir: lines`
        for i < n, targets$1 < depth:
          targets[i,targets$1] = (targets$1 === labels[i] ? 1 : 0)
        caveat [in-bounds]: a label read from \`labels\` outside [0, depth) makes the loop write into another
            row, while the one-hot row stays all zeros
      `,
    },
    {
      name: 'a smoothed constant',
      code: dedent`
        export function run(labels: tf.Tensor1D): tf.Tensor2D {
          const y = labels.dataSync();
          const n = labels.shape[0];
          const targets = tf.buffer([n, 10]);
          for (let i = 0; i < n; i++) targets.set(0.9, i, y[i]);
          return targets.toTensor() as tf.Tensor2D;
        }
      `,
      ir: lines`
        for i < n, targets$1 < 10:
          targets[i,targets$1] = (targets$1 === labels[i] ? 0.9 : 0)
        caveat [in-bounds]: a label read from \`labels\` outside [0, 10) makes the loop write into another
            row, while the one-hot row stays all zeros
      `,
    },
  ],
  'softmax, log-softmax and log-sum-exp': [
    {
      name: 'row softmax',
      code: dedent`
        export function run(logits: tf.Tensor2D): tf.Tensor2D {
          const [batch, numClasses] = logits.shape;
          const z = logits.dataSync();
          const probs = new Float32Array(batch * numClasses);
          for (let b = 0; b < batch; b++) {
            let rowMax = -Infinity;
            for (let c = 0; c < numClasses; c++) rowMax = Math.max(rowMax, z[b * numClasses + c]);
            let total = 0;
            for (let c = 0; c < numClasses; c++) total += Math.exp(z[b * numClasses + c] - rowMax);
            for (let c = 0; c < numClasses; c++) {
              probs[b * numClasses + c] = Math.exp(z[b * numClasses + c] - rowMax) / total;
            }
          }
          return tf.tensor2d(probs, [batch, numClasses]);
        }
      `,
      ir: lines`
        for b < batch, c < numClasses, c2 < numClasses, c3 < numClasses:
          probs[b,c3] = softmax_c3 logits[b,c3]
      `,
    },
    {
      name: 'column softmax',
      code: dedent`
        export function run(att: tf.Tensor2D): tf.Tensor2D {
          const [q, k] = att.shape;
          const a = att.dataSync();
          const w = new Float32Array(q * k);
          for (let j = 0; j < k; j++) {
            let colMax = -Infinity;
            for (let i = 0; i < q; i++) colMax = Math.max(colMax, a[i * k + j]);
            let z = 0;
            for (let i = 0; i < q; i++) z += Math.exp(a[i * k + j] - colMax);
            for (let i = 0; i < q; i++) w[i * k + j] = Math.exp(a[i * k + j] - colMax) / z;
          }
          return tf.tensor2d(w, [q, k]);
        }
      `,
      ir: lines`
        for j < k, i < q, i2 < q, i3 < q:
          w[i3,j] = softmax_i3 att[i3,j]
      `,
    },
    {
      name: 'row log-softmax',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor2D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(n * m);
          for (let i = 0; i < n; i++) {
            let hi = -Infinity;
            for (let j = 0; j < m; j++) hi = Math.max(hi, d[i * m + j]);
            let s = 0;
            for (let j = 0; j < m; j++) s += Math.exp(d[i * m + j] - hi);
            const logZ = Math.log(s);
            for (let j = 0; j < m; j++) out[i * m + j] = d[i * m + j] - hi - logZ;
          }
          return tf.tensor2d(out, [n, m]);
        }
      `,
      ir: lines`
        for i < n, j < m, j2 < m, j3 < m:
          out[i,j3] = logsoftmax_j3 x[i,j3]
      `,
    },
    {
      name: 'log-sum-exp per row',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const [n, m] = x.shape;
          const v = x.dataSync();
          const lse = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            let hi = -Infinity;
            for (let j = 0; j < m; j++) hi = Math.max(hi, v[i * m + j]);
            let acc = 0;
            for (let j = 0; j < m; j++) acc += Math.exp(v[i * m + j] - hi);
            lse[i] = hi + Math.log(acc);
          }
          return tf.tensor1d(lse);
        }
      `,
      ir: lines`
        for i < n, j < m, j2 < m:
          lse[i] = logsumexp_j2 x[i,j2]
        caveat [non-empty]: over an empty axis the loop gives -Infinity, tf.logSumExp gives NaN
      `,
    },
    {
      name: 'softmax without the max subtraction stays exp / Σ exp',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor2D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(n * m);
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j < m; j++) s += Math.exp(d[i * m + j]);
            for (let j = 0; j < m; j++) out[i * m + j] = Math.exp(d[i * m + j]) / s;
          }
          return tf.tensor2d(out, [n, m]);
        }
      `,
      ir: lines`
        for i < n, j < m, j2 < m:
          out[i,j2] = exp(x[i,j2]) / (Σj exp(x[i,j]))
      `,
    },
  ],
  'variance and moments': [
    {
      name: 'row variance, two passes',
      code: dedent`
        export function run(feats: tf.Tensor2D): tf.Tensor1D {
          const [numRows, cols] = feats.shape;
          const x = feats.dataSync();
          const variance = new Float32Array(numRows);
          for (let r = 0; r < numRows; r++) {
            let sum = 0;
            for (let c = 0; c < cols; c++) sum += x[r * cols + c];
            const mu = sum / cols;
            let ss = 0;
            for (let c = 0; c < cols; c++) {
              const dev = x[r * cols + c] - mu;
              ss += dev * dev;
            }
            variance[r] = ss / cols;
          }
          return tf.tensor1d(variance);
        }
      `,
      ir: lines`
        for r < numRows, c < cols, c2 < cols:
          variance[r] = (Σc2 (feats[r,c2] - (Σc feats[r,c]) / cols) * (feats[r,c2] - (Σc feats[r,c]) / cols)) / cols
      `,
    },
    {
      name: 'sample variance (Bessel)',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const [n, m] = x.shape;
          const d = x.dataSync();
          const out = new Float32Array(n);
          for (let i = 0; i < n; i++) {
            let s = 0;
            for (let j = 0; j < m; j++) s += d[i * m + j];
            const mean = s / m;
            let ss = 0;
            for (let j = 0; j < m; j++) ss += (d[i * m + j] - mean) * (d[i * m + j] - mean);
            out[i] = ss / (m - 1);
          }
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < n, j < m, j2 < m:
          out[i] = (Σj2 (x[i,j2] - (Σj x[i,j]) / m) * (x[i,j2] - (Σj x[i,j]) / m)) / (m - 1)
      `,
    },
    {
      name: 'standard deviation of nested rows with map',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const m = x.shape[1];
          const std = x.arraySync().map((row) => {
            const mu = row.reduce((s, v) => s + v, 0) / m;
            return Math.sqrt(row.reduce((s, v) => s + (v - mu) ** 2, 0) / m);
          });
          return tf.tensor1d(std);
        }
      `,
      ir: lines`
        for row$ < x.shape[0], v$ < x.shape[1], v$2 < x.shape[1]:
          std[row$] = sqrt((Σv$2 (x[row$,v$2] - (Σv$ x[row$,v$]) / m) ** 2) / m)
        caveat [non-empty]: for a tensor with no elements \`x.arraySync()\` gives \`[]\` whatever the shape, so
            where a dimension is 0 the loop's result has another shape than the op's
      `,
    },
  ],
  'sigmoid, relu and clip idioms': [
    {
      name: 'sigmoid',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = 1 / (1 + Math.exp(-d[i]));
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < d.length:
          out[i] = 1 / (1 + exp(-x[i]))
      `,
    },
    {
      name: 'relu with Math.max',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = Math.max(d[i], 0);
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < d.length:
          out[i] = max(x[i], 0)
      `,
    },
    {
      name: 'relu with a ternary',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = d[i] > 0 ? d[i] : 0;
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < d.length:
          out[i] = (x[i] > 0 ? x[i] : 0)
      `,
    },
    {
      name: 'relu6 clip',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 0; i < d.length; i++) out[i] = Math.min(Math.max(d[i], 0), 6);
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < d.length:
          out[i] = min(max(x[i], 0), 6)
      `,
    },
  ],
  'callback loops': [
    {
      name: 'nested map',
      code: dedent`
        export async function run(img: tf.Tensor2D): Promise<tf.Tensor2D> {
          const rows = await img.array();
          const soft = rows.map((r) => r.map((v) => v / (1 + Math.abs(v))));
          return tf.tensor2d(soft);
        }
      `,
      ir: lines`
        for r$ < img.shape[0], v$ < img.shape[1]:
          soft[r$,v$] = img[r$,v$] / (1 + abs(img[r$,v$]))
        caveat [non-empty]: for a tensor with no elements \`img.array()\` gives \`[]\` whatever the shape, so
            where a dimension is 0 the loop's result has another shape than the op's
      `,
    },
    {
      name: 'map of row reduce',
      code: dedent`
        export function run(x: tf.Tensor2D): tf.Tensor1D {
          const totals = x.arraySync().map((row) => row.reduce((s, v) => s + v, 0));
          return tf.tensor1d(totals);
        }
      `,
      ir: lines`
        for row$ < x.shape[0], v$ < x.shape[1]:
          totals[row$] = Σv$ x[row$,v$]
        caveat [non-empty]: for a tensor with no elements \`x.arraySync()\` gives \`[]\` whatever the shape, so
            where a dimension is 0 the loop's result has another shape than the op's
      `,
    },
    {
      name: 'map of Math.max(...row)',
      code: dedent`
        export function run(scores: tf.Tensor2D): tf.Tensor1D {
          return tf.tensor1d(scores.arraySync().map((row) => Math.max(...row)));
        }
      `,
      ir: lines`
        for row$ < scores.shape[0], k < scores.shape[1]:
          scores.arraySync().map(…)[row$] = max_k scores[row$,k]
        caveat [non-empty]: over an empty axis the loop gives -Infinity, tf.max gives NaN
        caveat [non-empty]: for a tensor with no elements \`scores.arraySync()\` gives \`[]\` whatever the
            shape, so where a dimension is 0 the loop's result has another shape than the op's
      `,
    },
    {
      name: 'forEach with push of a mapped row',
      code: dedent`
        export function run(hist: tf.Tensor2D): tf.Tensor2D {
          const rows = hist.arraySync();
          const normed: number[][] = [];
          rows.forEach((row) => {
            const total = row.reduce((s, v) => s + v, 0);
            normed.push(row.map((v) => v / total));
          });
          return tf.tensor2d(normed);
        }
      `,
      ir: lines`
        for row$ < hist.shape[0], v$ < hist.shape[1], v$2 < hist.shape[1]:
          normed[row$,v$2] = hist[row$,v$2] / (Σv$ hist[row$,v$])
        caveat [non-empty]: for a tensor with no elements \`hist.arraySync()\` gives \`[]\` whatever the shape,
            so where a dimension is 0 the loop's result has another shape than the op's
      `,
    },
    {
      name: 'forEach with an index into a typed array',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          d.forEach((v, i) => {
            out[i] = v * v;
          });
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        for i < x.size:
          out[i] = x.flat[i] * x.flat[i]
      `,
    },
    {
      name: 'reduce over flat data',
      code: dedent`
        export function run(x: tf.Tensor): tf.Scalar {
          const d = x.dataSync();
          return tf.scalar(d.reduce((s, v) => s + v * v, 0) / d.length);
        }
      `,
      ir: lines`
        for v$ < x.size:
          d.reduce(…) = Σv$ x.flat[v$] * x.flat[v$]
      `,
    },
    // The first caveat is said of the synthesised -Infinity start; the loop itself throws on an empty
    // array, which the second caveat says.
    {
      name: 'reduce without an initial value',
      code: dedent`
        export function run(x: tf.Tensor): number {
          return x.dataSync().reduce((a, b) => Math.max(a, b));
        }
      `,
      ir: lines`
        for b$ < x.size:
          x.dataSync().reduce(…) = max_b$ x.flat[b$]
        caveat [non-empty]: over an empty axis the loop gives -Infinity, tf.max gives NaN
        caveat [non-empty]: \`reduce\` without an initial value throws on an empty array, the op does not
      `,
    },
  ],
  'not vectorizable or not lifted': [
    {
      name: 'exponential moving average (a recurrence)',
      code: dedent`
        export function run(prices: tf.Tensor1D, alpha = 0.3): tf.Tensor1D {
          const p = prices.dataSync();
          const ema = new Float32Array(p.length);
          let prev = 0;
          for (let t = 0; t < p.length; t++) {
            prev = alpha * p[t] + (1 - alpha) * prev;
            ema[t] = prev;
          }
          return tf.tensor1d(ema);
        }
      `,
      ir: lines`
        not vectorizable: an output element depends on earlier iterations
      `,
    },
    {
      name: 'a scalar recurrence',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Scalar {
          const d = x.dataSync();
          let h = 0;
          for (let i = 0; i < d.length; i++) h = Math.tanh(h * 0.5 + d[i]);
          return tf.scalar(h);
        }
      `,
      ir: lines`
        not vectorizable: each iteration depends on the previous one
      `,
    },
    // LIFTER QUIRK: `out[i - 1]` is read before `d[i]`, so the lifter throws before it records the
    // tensor read: "reads no tensor data", and the rule stays silent; with the operands swapped (next
    // case) the same recurrence is reported.
    {
      name: 'reads its own output',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 1; i < d.length; i++) out[i] = out[i - 1] + d[i];
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        not vectorizable: reads its own output (reads no tensor data)
      `,
    },
    {
      name: 'a conditional update that is not a reduction',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Scalar {
          const d = x.dataSync();
          let s = 0;
          for (let i = 0; i < d.length; i++) if (d[i] > 0) s = s * 2 + d[i];
          return tf.scalar(s);
        }
      `,
      ir: lines`
        not vectorizable: a conditional update that is not a reduction
      `,
    },
    {
      name: 'reads its own output after reading tensor data',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          const out = new Float32Array(d.length);
          for (let i = 1; i < d.length; i++) out[i] = d[i] + out[i - 1];
          return tf.tensor1d(out);
        }
      `,
      ir: lines`
        not vectorizable: reads its own output
      `,
    },
    {
      name: 'writes into dataSync() in place',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Tensor1D {
          const d = x.dataSync();
          for (let i = 0; i < d.length; i++) d[i] = d[i] * 2;
          return tf.tensor1d(d);
        }
      `,
      ir: lines`
        in place: x.dataSync()
      `,
    },
    {
      name: 'early break',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Scalar {
          const d = x.dataSync();
          let s = 0;
          for (let i = 0; i < d.length; i++) {
            if (d[i] < 0) break;
            s += d[i];
          }
          return tf.scalar(s);
        }
      `,
      ir: lines`
        unsupported: statement BreakStatement
      `,
    },
    {
      name: 'keeps the last value',
      code: dedent`
        export function run(x: tf.Tensor1D): tf.Scalar {
          const d = x.dataSync();
          let last = 0;
          for (let i = 0; i < d.length; i++) last = d[i] * 2;
          return tf.scalar(last);
        }
      `,
      ir: lines`
        unsupported: keeps the last value
      `,
    },
  ],
};

for (const [family, cases] of Object.entries(families)) {
  describe(family, () => {
    for (const c of cases) {
      it(c.name, () => {
        expect(liftText(PRELUDE + c.code)).toBe(c.ir);
      });
    }
  });
}
