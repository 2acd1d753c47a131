// settings.vectorize.tfjsModules: which import specifiers name TF.js (issue 12), and findTfBinding
// with and without it.
import { parse } from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import { findTfBinding, isTfModuleSpecifier, tfjsModulesSetting } from '../../src/analysis/tf-binding.js';

describe('isTfModuleSpecifier', () => {
  it('TF.js’s own packages, with no setting', () => {
    for (const s of ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'])
      expect(isTfModuleSpecifier(s)).toBe(true);
    expect(isTfModuleSpecifier('@tensorflow/tfjs-vis')).toBe(false);
    expect(isTfModuleSpecifier('../backend/adapter')).toBe(false);
  });

  it('an entry matches the specifier as written, with or without a script extension', () => {
    const options = { tfjsModules: ['../backend/adapter'] };
    expect(isTfModuleSpecifier('../backend/adapter', options)).toBe(true);
    expect(isTfModuleSpecifier('../backend/adapter.js', options)).toBe(true);
    expect(isTfModuleSpecifier('./backend/adapter', options)).toBe(false);
    expect(isTfModuleSpecifier('../backend/adapters', options)).toBe(false);
  });

  it('a glob matches the specifier: ** across directories, * within one', () => {
    expect(isTfModuleSpecifier('../dist/tfjs.esm.js', { tfjsModules: ['**/tfjs.esm.js'] })).toBe(true);
    expect(isTfModuleSpecifier('tfjs.esm.js', { tfjsModules: ['**/tfjs.esm.js'] })).toBe(true);
    expect(isTfModuleSpecifier('../dist/tfjs.esm.js', { tfjsModules: ['*/tfjs.esm.js'] })).toBe(false);
    expect(isTfModuleSpecifier('../tfjs/tf-browser', { tfjsModules: ['../tfjs/*'] })).toBe(true);
  });

  it('a glob matches a relative import’s file, relative to the working directory', () => {
    const options = { tfjsModules: ['src/tfjs/index'], filename: '/repo/src/models/face.ts', cwd: '/repo' };
    expect(isTfModuleSpecifier('../tfjs/index.js', options)).toBe(true);
    expect(isTfModuleSpecifier('../tfjs', options)).toBe(false);
    expect(isTfModuleSpecifier('./tfjs/index', { ...options, filename: '/repo/src/app.ts' })).toBe(true);
  });
});

describe('tfjsModulesSetting', () => {
  it('reads the strings of settings.vectorize.tfjsModules and ignores anything else', () => {
    expect(tfjsModulesSetting({ vectorize: { tfjsModules: ['a', 3, '', 'b'] } })).toEqual(['a', 'b']);
    expect(tfjsModulesSetting({ vectorize: { tfjsModules: 'a' } })).toEqual([]);
    expect(tfjsModulesSetting({})).toEqual([]);
    expect(tfjsModulesSetting(undefined)).toEqual([]);
  });
});

describe('findTfBinding with tfjsModules', () => {
  const program = parse(
    "import * as tf from '../backend/adapter';\nimport { sum as s } from './ops.js';\nconst t = require('../dist/tfjs.esm.js');\n",
    { range: true, loc: true },
  );

  it('finds nothing without the setting', () => {
    expect(findTfBinding(program)).toBeUndefined();
  });

  it('finds the namespace, the named imports and the require the setting names', () => {
    const binding = findTfBinding(program, { tfjsModules: ['../backend/adapter', './ops', '**/tfjs.esm.js'] });
    expect(binding?.namespace).toBe('tf');
    expect([...(binding?.named ?? [])]).toEqual([['s', 'sum']]);
  });
});
