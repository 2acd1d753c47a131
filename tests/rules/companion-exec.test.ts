// Issue 12 on TF.js (cpu): the code behind each finding of vectorize/no-tensor-leak-in-loop and
// vectorize/no-readback-in-loop really behaves as the finding says, every suggestion the rules offer
// runs without a throw and without a leak (and computes what the original computed), and the
// suggestions they no longer offer would have broken the code.
import * as tf from '@tensorflow/tfjs';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { applyFixes, executeModule, prepareTf, transpileFixture } from '../harness/fixture.js';
import * as leakCases from './no-tensor-leak-in-loop.cases.js';
import * as readbackCases from './no-readback-in-loop.cases.js';

type AnyCase = ValidTestCase<readonly unknown[]> | InvalidTestCase<string, readonly unknown[]>;

function caseNamed(cases: readonly AnyCase[], name: string): AnyCase {
  const found = cases.find((c) => c.name === name);
  if (!found) throw new Error(`no case named ${name}`);
  return found;
}

const leakCase = (name: string) => caseNamed([...leakCases.valid, ...leakCases.invalid] as AnyCase[], name);
const readbackCase = (name: string) => caseNamed([...readbackCases.valid, ...readbackCases.invalid] as AnyCase[], name);

const linter = new Linter({ configType: 'flat' });

/** The findings of one rule on `code`, with each suggestion applied. */
function lint(rule: string, code: string): { messageId: string | undefined; suggestions: string[] }[] {
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser },
        plugins: { vectorize: plugin as never },
        rules: { [`vectorize/${rule}`]: 'warn' },
      },
    ],
    'case.ts',
  );
  return messages.map((m) => ({
    messageId: m.messageId,
    suggestions: (m.suggestions ?? []).map((s) => applyFixes(code, [s.fix]).output),
  }));
}

let counter = 0;
/** Runs the exported function `name` of a TypeScript module on TF.js (cpu), counting tensors. */
function run(code: string, name: string, inputs: unknown[]) {
  return executeModule(transpileFixture(`// @ts-nocheck\n${code}`, `companion-${++counter}.ts`), inputs, {
    label: `companion-${name}`,
    exportName: name,
  });
}

const values = (t: unknown) => (t as tf.Tensor[]).map((x) => Array.from(x.dataSync()));

beforeAll(async () => {
  await prepareTf();
});

describe('no-tensor-leak-in-loop: each suggestion runs on TF.js without a throw or a leak', () => {
  it('augmentation (reverse, randomNormal, add, then push(clip)): 3 leaks per image; the dispose suggestion frees them', async () => {
    const { code } = leakCase('augmentation: reverse, randomNormal and add per image, then push(clip)');
    const [finding] = lint('no-tensor-leak-in-loop', code);
    expect(finding.suggestions).toHaveLength(1);
    const images = [0, 1, 2].map((k) => tf.randomUniform([4, 4, 3], 0, 1, 'float32', k));
    const before = await run(code, 'augment', [images]);
    expect(before.leaked).toBe(9);
    const after = await run(finding.suggestions[0], 'augment', [images]);
    expect(after.leaked).toBe(0);
    expect(values(after.value)).toEqual(values(before.value));
    tf.dispose([images, before.value as tf.Tensor[], after.value as tf.Tensor[]]);
  });

  it('batch.mean(0) per batch: one leak per batch; the tidy suggestion frees it', async () => {
    const { code } = leakCase('batch.mean(0) per batch, read in place');
    const [finding] = lint('no-tensor-leak-in-loop', code);
    const batches = [0, 1].map((k) => tf.randomUniform([5, 3], 0, 1, 'float32', k));
    const before = await run(code, 'batchMeans', [batches]);
    expect(before.leaked).toBe(2);
    for (const fixed of finding.suggestions) {
      const after = await run(fixed, 'batchMeans', [batches]);
      expect(after.leaked).toBe(0);
      expect(after.value).toEqual(before.value);
    }
    tf.dispose(batches);
  });

  it('samples[i].expandDims(0) per sample: both suggestions (tidy, dispose) free it', async () => {
    const { code } = leakCase('samples[i].expandDims(0) per sample, then a product read back');
    const [finding] = lint('no-tensor-leak-in-loop', code);
    expect(finding.suggestions).toHaveLength(2);
    const samples = [0, 1, 2].map((k) => tf.randomUniform([4], 0, 1, 'float32', k));
    const w = tf.randomUniform([4, 1], 0, 1, 'float32', 9);
    const before = await run(code, 'scores', [samples, w]);
    expect(before.leaked).toBe(3);
    for (const fixed of finding.suggestions) {
      const after = await run(fixed, 'scores', [samples, w]);
      expect(after.leaked).toBe(0);
      expect(after.value).toEqual(before.value);
    }
    tf.dispose([samples, w]);
  });

  it('a model output array never disposed: tf.dispose(outputs) frees it, outputs.dispose() would throw', async () => {
    const { code } = leakCase('a model output array never disposed: tf.dispose(outputs), never outputs.dispose()');
    const [finding] = lint('no-tensor-leak-in-loop', code);
    expect(finding.suggestions).toHaveLength(1);
    const model = { execute: ({ audio }: { audio: tf.Tensor }) => [audio.mul(2), audio.add(1)] };
    const chunks = [0, 1].map((k) => tf.randomUniform([3], 0, 1, 'float32', k));
    const before = await run(code, 'run', [model, chunks]);
    expect(before.leaked).toBe(4);
    const after = await run(finding.suggestions[0], 'run', [model, chunks]);
    expect(after.leaked).toBe(0);
    expect(after.value).toEqual(before.value);
    // What the rule used to offer: `dispose()` on an array of tensors.
    const wrong = finding.suggestions[0].replace('tf.dispose(outputs);', 'outputs.dispose();');
    await expect(run(wrong, 'run', [model, chunks])).rejects.toThrow(TypeError);
    tf.dispose(chunks);
  });

  it('a model output array disposed element by element (not reported) does not leak', async () => {
    const { code } = leakCase('a model output array whose elements are each disposed by index');
    expect(lint('no-tensor-leak-in-loop', code)).toEqual([]);
    const model = { execute: ({ audio }: { audio: tf.Tensor }) => [audio.mul(2), audio.add(1)] };
    const chunks = [0, 1].map((k) => tf.randomUniform([3], 0, 1, 'float32', k));
    expect((await run(code, 'run', [model, chunks])).leaked).toBe(0);
    tf.dispose(chunks);
  });

  it('a tensor a closure keeps: the dispose suggestion keeps the closures working; a tidy around the body would break them', async () => {
    const { code } = leakCase(
      'a closure keeps one tensor and another leaks: dispose the one that leaks, no tidy (it would free the kept one)',
    );
    const [finding] = lint('no-tensor-leak-in-loop', code);
    expect(finding.suggestions).toHaveLength(1);
    const kernels = [0, 1].map((k) => tf.randomUniform([2, 2], 0, 1, 'float32', k));
    const x = tf.ones([1, 2]);
    const log = () => undefined;
    const callCells = (cells: unknown) => (cells as ((x: tf.Tensor) => tf.Tensor)[]).map((c) => c(x));
    const before = await run(code, 'cells', [kernels, log]);
    // Each iteration leaks its norm; each closure holds its bias on purpose.
    expect(before.leaked).toBe(4);
    const after = await run(finding.suggestions[0], 'cells', [kernels, log]);
    expect(after.leaked).toBe(2);
    const [a, b] = [callCells(before.value), callCells(after.value)];
    expect(values(b)).toEqual(values(a));
    // The tidy the rule does not offer: the closures then see a disposed bias.
    const tidied = code
      .replace('for (const k of kernels) {', 'for (const k of kernels) {\n    tf.tidy(() => {')
      .replace(
        '    out.push((x: tf.Tensor2D) => tf.add(tf.matMul(x, k), bias));\n  }',
        '    out.push((x: tf.Tensor2D) => tf.add(tf.matMul(x, k), bias));\n    });\n  }',
      );
    expect(tidied).toContain('tf.tidy');
    const broken = await run(tidied, 'cells', [kernels, log]);
    // (The cpu backend fails looking up the freed data: "Cannot read properties of undefined".)
    expect(() => callCells(broken.value)).toThrow();
    tf.dispose([kernels, x, a, b]);
  });

  it('a helper that drops its intermediates: three leaks per call, reported at the call with no suggestion', async () => {
    const { code } = leakCase('a helper that drops its intermediates, called per element: reported at the call');
    const findings = lint('no-tensor-leak-in-loop', code);
    expect(findings).toEqual([{ messageId: 'leakInCall', suggestions: [] }]);
    const xs = [0, 1].map((k) => tf.randomUniform([3], 0, 1, 'float32', k));
    const y = tf.zeros([3]);
    expect((await run(code, 'distances', [xs, y])).leaked).toBe(6);
    const fixed = leakCase('a helper that frees what it makes, called per element').code;
    expect((await run(fixed, 'distances', [xs, y])).leaked).toBe(0);
    tf.dispose([xs, y]);
  });

  it('a helper only ever called inside a tf.tidy (not reported) leaks nothing; called outside one, it leaks', async () => {
    const inTidy = leakCase(
      'a helper only ever called inside a tf.tidy callback: the caller’s tidy frees its intermediates',
    );
    expect(lint('no-tensor-leak-in-loop', inTidy.code)).toEqual([]);
    const xs = [0, 1].map((k) => tf.randomUniform([2, 3], 0, 1, 'float32', k));
    const b = tf.ones([3]);
    const forward = await run(inTidy.code, 'forward', [xs, b]);
    expect(forward.leaked).toBe(0);
    const outside = leakCase('the same helper also called outside any tidy: its loop leaks there');
    const layers = await run(outside.code, 'layers', [xs, b]);
    expect(layers.leaked).toBe(2);
    tf.dispose([xs, b, forward.value as tf.Tensor, layers.value as tf.Tensor[]]);
  });
});

describe('no-readback-in-loop: what a hoist would do to a tensor the loop changes', () => {
  it('a tf.Variable assign()ed per step: reading it per step is the point, a hoisted read goes stale', async () => {
    const { code } = readbackCase(
      'a tf.Variable the loop assign()s, read once per step: a training step by hand, not an invariant read',
    );
    expect(lint('no-readback-in-loop', code)).toEqual([]);
    const hoisted = code
      .replace('  for (let step', '  const wData = w.dataSync();\n  for (let step')
      .replace('trace.push(w.dataSync()[0])', 'trace.push(wData[0])');
    const w = tf.variable(tf.tensor1d([4]));
    const target = tf.tensor1d([0]);
    const perStep = await run(code, 'descend', [w, target, 3]);
    expect(perStep.leaked).toBe(0);
    expect(perStep.value).toEqual([2, 1, 0.5]);
    w.assign(tf.tensor1d([4]));
    const stale = await run(hoisted, 'descend', [w, target, 3]);
    expect(stale.value).toEqual([4, 4, 4]);
    tf.dispose([w, target]);
  });

  it('the IoU helper read per pair gives the same values as the values read once (what the report asks for)', async () => {
    const perPair = readbackCase(
      'an IoU helper that reads the whole boxes tensor, called for every pair of boxes',
    ).code;
    const once = readbackCase(
      'the helper is given the values read once before the loop (neighbour of the IoU read per pair)',
    ).code;
    const boxes = tf.tensor2d([
      [0, 2],
      [1, 3],
      [2, 5],
    ]);
    const a = await run(perPair, 'pairs', [boxes]);
    const b = await run(once, 'pairs', [boxes]);
    expect(a.value).toEqual(b.value);
    expect(a.leaked + b.leaked).toBe(0);
    boxes.dispose();
  });
});
