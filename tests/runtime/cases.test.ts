// Case discovery (src/runtime/cases.ts) and input scaling (src/runtime/inputs.ts): which findings
// become runnable cases, with which inputs, and why the others are skipped. Nothing runs user code here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { casesOfFile, FileError, REGION_EXPORT } from '../../src/runtime/cases.js';
import * as tf from '@tensorflow/tfjs';
import { buildInputs, scaleInputSet, parseInputs } from '../../src/runtime/inputs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-cases-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const TF_URL = 'file:///runtime/tfjs.mjs';

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const ROW_SUMS = `
  const d = x.dataSync();
  const [n, m] = x.shape;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += d[i * m + j];
    out[i] = s;
  }
  return tf.tensor1d(out);`;

describe('casesOfFile', () => {
  it('turns an autofix into a case with the declared inputs, both modules exporting the region', async () => {
    const file = write(
      'declared.ts',
      `import * as tf from '@tensorflow/tfjs';\n// @inputs x: float32[3, 4]\n// @inputs x: float32[0, 2]\n// @tolerance 1e-4\nexport function rowSums(x: tf.Tensor2D): tf.Tensor1D {${ROW_SUMS}\n}\n`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL });
    expect(skipped).toEqual([]);
    expect(cases).toHaveLength(1);
    const [c] = cases;
    expect(c).toMatchObject({
      file,
      line: 9,
      kind: 'fix',
      exportName: REGION_EXPORT,
      tolerance: { atol: 1e-4, rtol: 1e-4 },
    });
    expect(c.inputSets).toEqual([parseInputs('x: float32[3, 4]', ''), parseInputs('x: float32[0, 2]', '')]);
    // TF.js imports point at the runtime's TF.js; the loop is gone from the fixed module only.
    expect(c.originalCode).toContain(`from "${TF_URL}"`);
    expect(c.fixedCode).toContain(`from "${TF_URL}"`);
    expect(c.originalCode).toMatch(/for \(let i = 0/);
    expect(c.fixedCode).not.toMatch(/for \(let i = 0/);
    expect(c.fixedCode).toMatch(/tf\.sum\(x, 1\)|x\.sum\(1\)/);
    // The region is the statements the fix replaces, run on the parameters they read.
    expect(c.originalCode).toContain(`export function ${REGION_EXPORT}(x) {`);
    expect(c.fixedCode).toContain(`export function ${REGION_EXPORT}(x) {`);
    // Types are gone: the modules are plain JS.
    expect(c.originalCode).not.toContain('tf.Tensor2D');
  });

  it('synthesises inputs from parameter types, all axes the same length and index tensors in range', async () => {
    const file = write(
      'typed.ts',
      `import * as tf from '@tensorflow/tfjs';\nexport const pick = (x: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D => {\n  const a = x.arraySync();\n  const l = labels.arraySync();\n  const out: number[] = [];\n  for (let i = 0; i < a.length; i++) out.push(a[i][l[i]]);\n  return tf.tensor1d(out);\n};\n`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL, size: 16 });
    expect(skipped).toEqual([]);
    expect(cases).toHaveLength(1);
    expect(cases[0].kind).toBe('fix');
    expect(cases[0].inputSets).toEqual([
      [
        { kind: 'tensor', name: 'x', dtype: 'float32', shape: [16, 16] },
        { kind: 'tensor', name: 'labels', dtype: 'int32', shape: [16], below: 16 },
      ],
    ]);
  });

  it('synthesises a typed-array parameter as the data of a vector, passed as the typed array itself', async () => {
    const file = write(
      'typed-param.ts',
      `import * as tf from '@tensorflow/tfjs';\nexport function topIds(values: Float32Array, k: number): Int32Array {\n  const pairs = [];\n  for (let i = 0; i < values.length; i++) pairs.push({ v: values[i], i });\n  pairs.sort((a, b) => b.v - a.v);\n  const ids = new Int32Array(k);\n  for (let j = 0; j < k; j++) ids[j] = pairs[j].i;\n  return ids;\n}\n`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL, size: 16 });
    expect(skipped).toEqual([]);
    expect(cases).toHaveLength(1);
    expect(cases[0].kind).toBe('suggest');
    expect(cases[0].inputSets).toEqual([
      [
        { kind: 'tensor', name: 'values', dtype: 'float32', shape: [256], typed: true },
        { kind: 'number', name: 'k', value: 256 },
      ],
    ]);
    const [values] = buildInputs(tf, cases[0].inputSets[0], 1);
    expect(values).toBeInstanceOf(Float32Array);
    expect((values as unknown as Float32Array).length).toBe(256);
  });

  it('synthesises from what the loop reads: ranks of untyped tensors, index tensors by their use, literal bounds', async () => {
    const file = write(
      'facts.ts',
      `import * as tf from '@tensorflow/tfjs';
export const pick = (x: tf.Tensor, which: tf.Tensor) => {
  const a = x.arraySync() as number[][];
  const w = which.arraySync() as number[];
  const out: number[] = [];
  for (let i = 0; i < a.length; i++) out.push(a[i][w[i]]);
  return tf.tensor1d(out);
};
export function firstThree(x: tf.Tensor2D): tf.Tensor2D {
  const rows = x.arraySync();
  const out: number[][] = [];
  for (let i = 0; i < rows.length; i++) {
    const r: number[] = [];
    for (let c = 0; c < 3; c++) r.push(rows[i][c] * 2);
    out.push(r);
  }
  return tf.tensor2d(out);
}
const PALETTE = [[0, 0, 0], [255, 0, 0], [0, 255, 0], [0, 0, 255]];
export function colorize(labels: tf.Tensor1D): tf.Tensor2D {
  const d = labels.dataSync();
  const buf = tf.buffer([d.length, 3]);
  for (let i = 0; i < d.length; i++) for (let c = 0; c < 3; c++) buf.set(PALETTE[d[i]][c], i, c);
  return buf.toTensor() as tf.Tensor2D;
}
`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL, size: 16 });
    expect(skipped).toEqual([]);
    expect(cases.map((c) => c.inputSets[0])).toEqual([
      // \`which\` is not named like an index: it is one because the loop indexes x's rows with it.
      [
        { kind: 'tensor', name: 'x', dtype: 'float32', shape: [16, 16] },
        { kind: 'tensor', name: 'which', dtype: 'int32', shape: [16], below: 16 },
      ],
      // The loop reads three columns: that axis is 3, the other carries the size.
      [{ kind: 'tensor', name: 'x', dtype: 'float32', shape: [256, 3] }],
      // Labels index a 4-entry palette: drawn below 4, whatever the size.
      [{ kind: 'tensor', name: 'labels', dtype: 'int32', shape: [256], below: 4 }],
    ]);
  });

  it('synthesises a boolean parameter as two sets, true then false, so both paths are compared', async () => {
    const file = write(
      'flag.ts',
      `import * as tf from '@tensorflow/tfjs';
export function maybeAbs(x: tf.Tensor1D, flag: boolean): tf.Tensor1D {
  const d = x.dataSync();
  if (flag) {
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Math.abs(d[i]);
    return tf.tensor1d(out);
  }
  return x;
}
`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL, size: 8 });
    expect(skipped).toEqual([]);
    expect(cases[0].inputSets.map((set) => set.map((i) => (i.kind === 'tensor' ? i.shape : i.value)))).toEqual([
      [[64], true],
      [[64], false],
    ]);
  });

  it('skips, with a reason, loops it cannot run: an untyped parameter, mismatched @inputs, `this`, a closure, module level', async () => {
    const file = write(
      'skips.ts',
      `import * as tf from '@tensorflow/tfjs';
export function untyped(x: tf.Tensor1D, t) {
  const d = x.dataSync();
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] > t ? d[i] : t;
  return tf.tensor1d(out);
}
// @inputs y: float32[2, 2]
export function misnamed(x: tf.Tensor2D): tf.Tensor1D {${ROW_SUMS}
}
class Scaler {
  last?: tf.Tensor1D;
  exp(x: tf.Tensor1D): tf.Tensor1D {
    const d = x.dataSync();
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Math.exp(d[i]);
    this.last = tf.tensor1d(out);
    return this.last;
  }
}
export function outer(x: tf.Tensor2D) {
  const rows = x.shape[0];
  return (y: tf.Tensor1D): tf.Tensor1D => {
    const d = y.dataSync();
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = d[i] * rows;
    return tf.tensor1d(out);
  };
}
const top = tf.tensor1d([1, 2, 3]);
const td = top.dataSync();
const tout = new Float32Array(td.length);
for (let i = 0; i < td.length; i++) tout[i] = Math.exp(td[i]);
export const topResult = tf.tensor1d(tout);
`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL });
    expect(cases).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([
      expect.stringContaining("parameter 't' has no type annotation"),
      expect.stringContaining('@inputs names (y) but misnamed takes (x)'),
      expect.stringContaining('the loop uses `this`'),
      expect.stringContaining('the loop reads `rows`, declared in an enclosing function'),
      expect.stringContaining('the loop runs at module level'),
    ]);
  });

  it('runs a loop in a class method or a nested function on the parameters it reads, with @inputs above the method', async () => {
    const file = write(
      'nested.ts',
      `import * as tf from '@tensorflow/tfjs';
export class Layer {
  calls = 0;
  // @inputs x: float32[3, 4], unused: float32[1]
  rowSums(x: tf.Tensor2D, unused, flag: boolean): tf.Tensor1D {
    this.calls++;${ROW_SUMS}
  }
}
export function outer(k: number) {
  return (v: tf.Tensor1D): tf.Tensor1D => {
    const d = v.dataSync();
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Math.exp(d[i]);
    return tf.tensor1d(out);
  };
}
`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL, size: 8 });
    expect(skipped).toEqual([]);
    expect(cases.map((c) => c.inputSets)).toEqual([
      [[{ kind: 'tensor', name: 'x', dtype: 'float32', shape: [8, 8] }]],
      [[{ kind: 'tensor', name: 'v', dtype: 'float32', shape: [64] }]],
    ]);
    // Only the statements the fix replaces run: not `this.calls++`, not the other parameters.
    expect(cases[0].originalCode).toContain(`export function ${REGION_EXPORT}(x) {`);
    expect(cases[0].originalCode.slice(cases[0].originalCode.indexOf(REGION_EXPORT))).not.toContain('this.calls');
    expect(cases[1].fixedCode).toMatch(
      new RegExp(`export function ${REGION_EXPORT}\\(v\\) \\{\\s*return \\(\\(\\) => \\{\\s*return tf\\.exp\\(v\\)`),
    );
  });

  it('runs the declarations and earlier statements the region reads (its prelude), and returns what later code reads', async () => {
    const file = write(
      'flow.ts',
      `import * as tf from '@tensorflow/tfjs';
// @inputs a: float32[6], b: float32[6]
export function weighted(a: tf.Tensor1D, b: tf.Tensor1D): tf.Scalar {
  const x = a.dataSync();
  const w = b.dataSync();
  let num = 0;
  for (let i = 0; i < x.length; i++) num += x[i] * w[i];
  let den = 0;
  for (let i = 0; i < w.length; i++) den += w[i];
  return tf.scalar(num / den);
}
// @inputs x: float32[5]
export function later(x: tf.Tensor1D): tf.Tensor1D {
  const d = x.dataSync();
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.sqrt(d[i]);
  const t = tf.tensor1d(out);
  console.log('built');
  return tf.add(t, 1);
}
`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL });
    expect(skipped).toEqual([]);
    const regionOf = (code: string) => code.slice(code.indexOf(`export function ${REGION_EXPORT}`));
    // weighted's second loop reads num, which the first loop computes: that loop runs first, in both versions.
    const second = cases.find((c) => c.line === 9)!;
    expect(regionOf(second.originalCode)).toMatch(/num \+= x\[i\] \* w\[i\];[\s\S]*return \(\(\) => \{/);
    expect(regionOf(second.fixedCode)).toMatch(/num \+= x\[i\] \* w\[i\];[\s\S]*tf\.sum\(b\)/);
    // later: the region ends at \`const t = …\`; t is read after it, so both versions return { t }.
    const l = cases.find((c) => c.line === 16)!;
    expect(regionOf(l.originalCode)).toContain('return { t };');
    expect(regionOf(l.fixedCode)).toContain('return { t };');
    expect(regionOf(l.fixedCode)).not.toContain('console.log');
  });

  it('finds the region when the fix also adds a named import (ESLint merges the two edits into one range)', async () => {
    const file = write(
      'named.ts',
      `import { tensor1d, type Tensor2D, type Tensor1D } from '@tensorflow/tfjs';\n\n// @inputs x: float32[3, 4]\nexport function rowSums(x: Tensor2D): Tensor1D {${ROW_SUMS.replace('tf.tensor1d', 'tensor1d').replace('x.dataSync();', 'x.dataSync();\n  if (d.length === 0) return tensor1d([]);')}\n}\n`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL });
    expect(skipped).toEqual([]);
    expect(cases).toHaveLength(1);
    expect(cases[0].fixedCode).toContain(`import { tensor1d, cast, sum, tidy } from "${TF_URL}"`);
    // The declaration the region reads (kept by the fix: the guard reads it too) runs first, in both versions.
    for (const code of [cases[0].originalCode, cases[0].fixedCode])
      expect(code).toMatch(
        new RegExp(
          `export function ${REGION_EXPORT}\\(x\\) \\{\\s*const d = x\\.dataSync\\(\\);\\s*return \\(\\(\\) => \\{`,
        ),
      );
    expect(cases[0].fixedCode).toMatch(
      new RegExp(`return \\(\\(\\) => \\{\\s*return tidy\\(\\(\\) => cast\\(sum\\(x, 1\\), 'float32'\\)\\);`),
    );
  });

  it('reads a fixture header for the function whose parameters it names', async () => {
    const file = path.resolve('fixtures/contractions/dot-vectors.ts');
    const { cases } = await casesOfFile(file, { tfUrl: TF_URL });
    expect(cases).toHaveLength(1);
    expect(cases[0].inputSets.map((s) => s.map((i) => (i.kind === 'tensor' ? i.shape : i.value)))).toEqual([
      [[8], [8]],
      [[1], [1]],
      [[0], [0]],
    ]);
    // bench: one set, scaled to ~size² elements.
    const bench = await casesOfFile(file, { tfUrl: TF_URL, size: 64, single: true });
    expect(bench.cases[0].inputSets).toEqual([
      [expect.objectContaining({ shape: [4096] }), expect.objectContaining({ shape: [4096] })],
    ]);
  });

  it('throws a FileError (one line) for a syntax error and for a missing file', async () => {
    const bad = write('bad.ts', `import * as tf from '@tensorflow/tfjs';\nexport function f( {\n`);
    await expect(casesOfFile(bad, { tfUrl: TF_URL })).rejects.toThrow(FileError);
    await expect(casesOfFile(bad, { tfUrl: TF_URL })).rejects.toThrow(/^syntax error at \d+:\d+: Parsing error: /);
    await expect(casesOfFile(path.join(dir, 'missing.ts'), { tfUrl: TF_URL })).rejects.toThrow(/^cannot read: ENOENT$/);
  });
});

describe('parseInputs', () => {
  it('reads tensors, numbers and booleans, and rejects a boolean without a value', () => {
    expect(parseInputs('x: float32[2, 3] < 5, k: number = -1.5, on: boolean = false', 'here')).toEqual([
      { kind: 'tensor', name: 'x', dtype: 'float32', shape: [2, 3], below: 5 },
      { kind: 'number', name: 'k', value: -1.5 },
      { kind: 'boolean', name: 'on', value: false },
    ]);
    expect(() => parseInputs('on: boolean', 'f.ts:3')).toThrow(/^f\.ts:3: cannot read input 'on: boolean'/);
  });
});

describe('scaleInputSet', () => {
  const set = parseInputs(
    'x: float32[6, 5], w: float32[5], labels: int32[6] < 5, k: number = 5, eps: number = 0.5',
    '',
  );

  it('maps each dimension value to one new length, so equal axes stay equal, and scales bounds and sizes with them', () => {
    const { specs, scaled } = scaleInputSet(set, 32, new Set());
    expect(scaled).toBe(true);
    expect(specs).toEqual([
      { kind: 'tensor', name: 'x', dtype: 'float32', shape: [32, 32] },
      { kind: 'tensor', name: 'w', dtype: 'float32', shape: [32] },
      { kind: 'tensor', name: 'labels', dtype: 'int32', shape: [32], below: 32 },
      { kind: 'number', name: 'k', value: 32 },
      { kind: 'number', name: 'eps', value: 0.5 },
    ]);
  });

  it('keeps dimensions that the code writes as literals (channels), and sets with fixed values', () => {
    const img = parseInputs('img: float32[1, 8, 8, 4]', '');
    expect(scaleInputSet(img, 100, new Set([4])).specs[0]).toMatchObject({ shape: [1, 100, 100, 4] });
    const fixedValues = parseInputs('x: float32[2] = [1, 2]', '');
    expect(scaleInputSet(fixedValues, 100, new Set())).toEqual({ specs: fixedValues, scaled: false });
  });
});
