// The package as a user's project loads it: `require('eslint-plugin-vectorize')` in a CommonJS
// eslint.config.js gives the plugin object itself, `import` in an ES module config gives the same
// plugin, and both configs lint a file to the same findings. The project resolves the package by name
// (a node_modules link to this repository, so `exports` decides which entry each loader gets).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const eslintBin = path.join(repoRoot, 'node_modules/eslint/bin/eslint.js');
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-modules-'));
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

const SOURCE = `import * as tf from '@tensorflow/tfjs';

export function rowSums(x) {
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
`;

beforeAll(() => {
  if (!fs.existsSync(path.join(repoRoot, 'dist/index.js'))) throw new Error('run `npm run build` first');
  fs.mkdirSync(path.join(project, 'node_modules'), { recursive: true });
  fs.symlinkSync(repoRoot, path.join(project, 'node_modules/eslint-plugin-vectorize'), 'dir');
  fs.symlinkSync(path.join(repoRoot, 'node_modules/eslint'), path.join(project, 'node_modules/eslint'), 'dir');
  fs.writeFileSync(path.join(project, 'src.js'), SOURCE);
});

/** Lints src.js in a project whose package.json has `type` and whose config file is `config`. */
function lint(type: 'commonjs' | 'module', configName: string, config: string) {
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', type }));
  for (const f of fs.readdirSync(project)) if (f.startsWith('eslint.config.')) fs.rmSync(path.join(project, f));
  fs.writeFileSync(path.join(project, configName), config);
  const r = spawnSync(process.execPath, [eslintBin, '--format', 'json', 'src.js'], { cwd: project, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string; line: number; message: string }[] }[];
  return result.messages.map((m) => `${m.line} ${m.ruleId}: ${m.message}`);
}

describe('CommonJS and ES module configs', () => {
  it('require() gives the plugin object itself, import() the same plugin', async () => {
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        "const p = require('eslint-plugin-vectorize'); console.log(JSON.stringify([p.meta.name, Object.keys(p.rules).sort(), typeof p.configs.recommended, '__esModule' in p]))",
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    const [name, rules, recommended, esModuleFlag] = JSON.parse(r.stdout) as [string, string[], string, boolean];
    const esm = (await import(path.join(repoRoot, 'dist/index.js'))) as {
      default: { meta: { name: string }; rules: object };
    };
    expect(name).toBe(esm.default.meta.name);
    expect(rules).toEqual(Object.keys(esm.default.rules).sort());
    expect(recommended).toBe('object');
    expect(esModuleFlag).toBe(false);
  });

  it('a CommonJS eslint.config.js and an ES module eslint.config.mjs lint a file to the same findings', () => {
    const cjs = lint(
      'commonjs',
      'eslint.config.js',
      // The README's CommonJS config.
      `const { defineConfig } = require('eslint/config');\nconst vectorize = require('eslint-plugin-vectorize');\n\nmodule.exports = defineConfig([vectorize.configs.recommended]);\n`,
    );
    const mjs = lint(
      'commonjs',
      'eslint.config.mjs',
      `import vectorize from 'eslint-plugin-vectorize';\nexport default [vectorize.configs.recommended];\n`,
    );
    const esmPackage = lint(
      'module',
      'eslint.config.js',
      `import vectorize from 'eslint-plugin-vectorize';\nexport default [vectorize.configs.recommended];\n`,
    );
    expect(cjs).toEqual([
      expect.stringMatching(/^7 vectorize\/no-element-loop: This loop computes the sum over each row/),
    ]);
    expect(mjs).toEqual(cjs);
    expect(esmPackage).toEqual(cjs);
  });
});
