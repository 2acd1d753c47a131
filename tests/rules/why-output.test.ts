// VECTORIZE_WHY=1 (issue 11, "debug output users can act on"): for each loop left alone, vectorize/no-element-loop
// prints the file, the loop's line and column, the reason, and the construct that stopped the lift with its line.
import { Linter, type Rule } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import elementLoop from '../../src/rules/no-element-loop.js';

// The rule alone, as ESLint's own plugin type wants it (typescript-eslint's config types differ in detail).
const plugin = { rules: { 'no-element-loop': elementLoop as unknown as Rule.RuleModule } };

const SOURCE = `import * as tf from '@tensorflow/tfjs';

export function scaled(x: tf.Tensor1D, f: (v: number) => number): Float32Array {
  const d = x.dataSync();
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) {
    out[i] = f(d[i]);
  }
  return out;
}

export function doubled(x: tf.Tensor1D): Float32Array {
  const d = x.dataSync();
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] * 2;
  return out;
}
`;

function lint(): string[] {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  try {
    new Linter({ configType: 'flat' }).verify(
      SOURCE,
      [
        {
          files: ['**/*.ts'],
          languageOptions: { parser: tsParser },
          plugins: { vectorize: plugin },
          rules: { 'vectorize/no-element-loop': 'warn' },
        },
      ],
      'src/scale.ts',
    );
  } finally {
    spy.mockRestore();
  }
  return lines;
}

describe('VECTORIZE_WHY', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.VECTORIZE_WHY;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.VECTORIZE_WHY;
    else process.env.VECTORIZE_WHY = saved;
  });

  it('names the file, the loop, the reason and the construct that stopped the lift', () => {
    process.env.VECTORIZE_WHY = '1';
    expect(lint()).toEqual(['vectorize: src/scale.ts:6:3: not lifted: a call in the loop body: `f(d[i])` (line 7)']);
  });

  it('=stack adds where in the analysis the lift stopped, =1 does not', () => {
    process.env.VECTORIZE_WHY = 'stack';
    const [line] = lint();
    expect(line.split('\n')[0]).toBe(
      'vectorize: src/scale.ts:6:3: not lifted: a call in the loop body: `f(d[i])` (line 7)',
    );
    // The stack of the error that stopped the lift, down through the lifter.
    expect(line).toMatch(/\n\s+at .*lift/);
    process.env.VECTORIZE_WHY = '1';
    expect(lint()).toEqual(['vectorize: src/scale.ts:6:3: not lifted: a call in the loop body: `f(d[i])` (line 7)']);
  });

  it('prints nothing when unset, and nothing for a loop that is lifted', () => {
    delete process.env.VECTORIZE_WHY;
    expect(lint()).toEqual([]);
  });
});
