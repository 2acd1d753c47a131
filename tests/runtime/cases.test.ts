// Case discovery (src/runtime/cases.ts) and input scaling (src/runtime/inputs.ts): which findings
// become runnable cases, with which inputs, and why the others are skipped. Nothing runs user code here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { casesOfFile, FileError, REGION_EXPORT } from '../../src/runtime/cases.js';
import { scaleInputSet, parseInputs } from '../../src/runtime/inputs.js';

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
    expect(c).toMatchObject({ file, line: 9, kind: 'fix', exportName: REGION_EXPORT, tolerance: { atol: 1e-4, rtol: 1e-4 } });
    expect(c.inputSets).toEqual([parseInputs('x: float32[3, 4]', ''), parseInputs('x: float32[0, 2]', '')]);
    // TF.js imports point at the runtime's TF.js; the loop is gone from the fixed module only.
    expect(c.originalCode).toContain(`from "${TF_URL}"`);
    expect(c.fixedCode).toContain(`from "${TF_URL}"`);
    expect(c.originalCode).toMatch(/for \(let i = 0/);
    expect(c.fixedCode).not.toMatch(/for \(let i = 0/);
    expect(c.fixedCode).toMatch(/tf\.sum\(x, 1\)|x\.sum\(1\)/);
    expect(c.fixedCode).toContain(`export { rowSums as ${REGION_EXPORT} }`);
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
    expect(cases[0].kind).toBe('suggest');
    expect(cases[0].inputSets).toEqual([
      [
        { kind: 'tensor', name: 'x', dtype: 'float32', shape: [16, 16] },
        { kind: 'tensor', name: 'labels', dtype: 'int32', shape: [16], below: 16 },
      ],
    ]);
  });

  it('skips, with a reason, loops it cannot run: a class method, an untyped parameter, mismatched @inputs', async () => {
    const file = write(
      'skips.ts',
      `import * as tf from '@tensorflow/tfjs';
class Layer {
  call(x: tf.Tensor2D): tf.Tensor1D {${ROW_SUMS}
  }
}
export function untyped(x) {${ROW_SUMS}
}
// @inputs y: float32[2, 2]
export function misnamed(x: tf.Tensor2D): tf.Tensor1D {${ROW_SUMS}
}
`,
    );
    const { cases, skipped } = await casesOfFile(file, { tfUrl: TF_URL });
    expect(cases).toEqual([]);
    expect(skipped.map((s) => s.reason)).toEqual([
      expect.stringContaining('class method'),
      expect.stringContaining("parameter 'x' has no type annotation"),
      expect.stringContaining('@inputs names (y) but misnamed takes (x)'),
    ]);
  });

  it('reads a fixture header for the function whose parameters it names', async () => {
    const file = path.resolve('fixtures/contractions/dot-vectors.ts');
    const { cases } = await casesOfFile(file, { tfUrl: TF_URL });
    expect(cases).toHaveLength(1);
    expect(cases[0].inputSets.map((s) => s.map((i) => (i.kind === 'tensor' ? i.shape : i.value)))).toEqual([[[8], [8]], [[1], [1]], [[0], [0]]]);
    // bench: one set, scaled to ~size² elements.
    const bench = await casesOfFile(file, { tfUrl: TF_URL, size: 64, single: true });
    expect(bench.cases[0].inputSets).toEqual([[expect.objectContaining({ shape: [4096] }), expect.objectContaining({ shape: [4096] })]]);
  });

  it('throws a FileError (one line) for a syntax error and for a missing file', async () => {
    const bad = write('bad.ts', `import * as tf from '@tensorflow/tfjs';\nexport function f( {\n`);
    await expect(casesOfFile(bad, { tfUrl: TF_URL })).rejects.toThrow(FileError);
    await expect(casesOfFile(bad, { tfUrl: TF_URL })).rejects.toThrow(/^syntax error at \d+:\d+: Parsing error: /);
    await expect(casesOfFile(path.join(dir, 'missing.ts'), { tfUrl: TF_URL })).rejects.toThrow(/^cannot read: ENOENT$/);
  });
});

describe('scaleInputSet', () => {
  const set = parseInputs('x: float32[6, 5], w: float32[5], labels: int32[6] < 5, k: number = 5, eps: number = 0.5', '');

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
