// Pairwise squared distances between 512 points of 64 dims (issue 14): the loop of
// fixtures/contractions/pairwise-sq-dist.ts, its broadcast rewrite (what no-element-loop suggests), and the
// |a|² − 2a·bᵀ + |b|² expansion through tf.matMul, timed on cpu and wasm (median of 5, read-back included),
// with each one's largest relative difference from the loop.  node bench/pairwise-distance.mjs
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
function loop(a, b) {
  const [n, d] = a.shape;
  const m = b.shape[0];
  const A = a.dataSync(),
    B = b.dataSync();
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const t = A[i * d + k] - B[j * d + k];
        s += t * t;
      }
      out[i * m + j] = s;
    }
  return tf.tensor2d(out, [n, m]);
}
const bcast = (a, b) => tf.tidy(() => tf.sum(tf.square(tf.sub(tf.expandDims(a, 1), b)), 2));
const expand = (a, b) =>
  tf.tidy(() =>
    tf.relu(
      tf.add(tf.sub(tf.sum(tf.square(a), 1, true), tf.mul(2, tf.matMul(a, b, false, true))), tf.sum(tf.square(b), 1)),
    ),
  );
for (const be of ['cpu', 'wasm']) {
  await tf.setBackend(be);
  await tf.ready();
  const a = tf.randomUniform([512, 64]),
    b = tf.randomUniform([512, 64]);
  const ref = loop(a, b).dataSync();
  for (const [name, f] of [
    ['loop', loop],
    ['broadcast', bcast],
    ['matMul expansion', expand],
  ]) {
    const ts = [];
    let r;
    for (let rep = 0; rep < 5; rep++) {
      const t0 = performance.now();
      r = f(a, b);
      await r.data();
      ts.push(performance.now() - t0);
      if (rep < 4) r.dispose();
    }
    const v = r.dataSync();
    let maxRel = 0;
    for (let i = 0; i < v.length; i++)
      maxRel = Math.max(maxRel, Math.abs(v[i] - ref[i]) / Math.max(1e-6, Math.abs(ref[i])));
    ts.sort((x, y) => x - y);
    console.log(
      `${be.padEnd(5)} ${name.padEnd(17)} median ${ts[2].toFixed(1)} ms  max rel diff ${maxRel.toExponential(2)}`,
    );
    r.dispose();
  }
}
