// The package as npm ships it: `npm pack`, then install the tarball into a fresh JavaScript-only
// project that already has ESLint, as a user would. It must bring no TypeScript and little else
// (issue 13: at most 5 MB on top of ESLint), its rule docs must be in the tarball at the path each
// rule's `meta.docs.url` names, and LICENSE must ship. npm uses its cache first (`--prefer-offline`):
// CI's `npm ci` has just filled it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-pack-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });

/** Bytes under a folder (file sizes, links not followed). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += bytesUnder(p);
    else if (entry.isFile()) total += fs.statSync(p).size;
  }
  return total;
}

const eslintVersion = (
  JSON.parse(fs.readFileSync(path.join(repoRoot, 'node_modules/eslint/package.json'), 'utf8')) as {
    version: string;
  }
).version;
let tarball = '';
let packed: string[] = [];

beforeAll(() => {
  const [info] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], repoRoot)) as {
    filename: string;
    files: { path: string }[];
  }[];
  tarball = path.join(work, info.filename);
  packed = info.files.map((f) => f.path);
}, 120_000);

describe('npm pack', () => {
  it('ships the entries, types, LICENSE and every rule doc at the path its docs url names', async () => {
    for (const f of [
      'LICENSE',
      'README.md',
      'package.json',
      'index.cjs',
      'index.d.cts',
      'eslint-plugin.d.ts',
      'dist/index.js',
    ])
      expect(packed).toContain(f);
    const plugin = (await import(path.join(repoRoot, 'dist/index.js'))) as {
      default: { rules: Record<string, { meta: { docs?: { url?: string } } }> };
    };
    const { version, name } = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      version: string;
      name: string;
    };
    for (const [rule, { meta }] of Object.entries(plugin.default.rules)) {
      const doc = `docs/rules/${rule}.md`;
      expect(packed).toContain(doc);
      // The registry's copy of this very version: the doc of the rule the user runs.
      expect(meta.docs?.url).toBe(`https://unpkg.com/${name}@${version}/${doc}`);
    }
    // Nothing a user does not need: no tests, fixtures, sources or scripts.
    expect(packed.filter((f) => /^(tests|fixtures|src|scripts|bench)\//.test(f))).toEqual([]);
  });
});

describe('installed into a JavaScript project that has ESLint', () => {
  it('adds at most 5 MB, no TypeScript, and require() and import both give the plugin', () => {
    const project = path.join(work, 'js-project');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'js-project', private: true }));
    npm(['install', '--prefer-offline', `eslint@${eslintVersion}`], project);
    const before = bytesUnder(path.join(project, 'node_modules'));
    npm(['install', '--prefer-offline', tarball], project);
    const added = bytesUnder(path.join(project, 'node_modules')) - before;
    expect(added).toBeLessThan(5 * 1024 * 1024);
    expect(fs.existsSync(path.join(project, 'node_modules/typescript'))).toBe(false);
    expect(fs.existsSync(path.join(project, 'node_modules/@typescript-eslint/typescript-estree'))).toBe(false);
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module';
const cjs = createRequire(import.meta.url)('eslint-plugin-vectorize');
const esm = (await import('eslint-plugin-vectorize')).default;
console.log(JSON.stringify([cjs === esm, Object.keys(cjs.rules).length]));`,
      ],
      { cwd: project, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual([true, 4]);
  }, 240_000);
});
