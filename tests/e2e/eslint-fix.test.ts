// End to end, as a user runs it: copy fixtures/ into a scratch project whose eslint.config.js uses
// the built plugin's `recommended` config, run the real ESLint CLI with --fix, then check that every
// file still type-checks, that only `@expect fix` fixtures changed, and that each changed file
// computes what the original did (tests/harness/fixture.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkExecution,
  findFixtures,
  parseHeader,
  prepareTf,
  repoRoot,
  tmpRoot,
  typecheckSources,
} from '../harness/fixture.js';

const work = path.join(tmpRoot, 'e2e');
const files = findFixtures();
const rel = (file: string) => path.relative(path.join(repoRoot, 'fixtures'), file);
let cliOutput = '';

beforeAll(async () => {
  await prepareTf();
  fs.rmSync(work, { recursive: true, force: true });
  for (const file of files) {
    const target = path.join(work, 'fixtures', rel(file));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
  }
  const dist = path.join(repoRoot, 'dist/index.js');
  if (!fs.existsSync(dist)) throw new Error('dist/index.js is missing: run `npm run build` first');
  fs.writeFileSync(
    path.join(work, 'eslint.config.js'),
    [
      `import vectorize from ${JSON.stringify(dist)};`,
      `import tseslint from 'typescript-eslint';`,
      `export default [`,
      `  { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },`,
      `  vectorize.configs.recommended,`,
      `];`,
      '',
    ].join('\n'),
  );
  // The scratch project resolves typescript-eslint from the repository's node_modules.
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  // Exit status 1 means "errors reported": no-gradient-break is an error in `recommended`, and
  // fixtures/demo-rules/ holds one finding of it. 2 would be a crash or a config problem.
  const cli = spawnSync(
    process.execPath,
    [path.join(repoRoot, 'node_modules/eslint/bin/eslint.js'), '--fix', 'fixtures'],
    { cwd: work, encoding: 'utf8' },
  );
  if (cli.status !== 0 && cli.status !== 1)
    throw new Error(`eslint exited with ${cli.status}:\n${cli.stdout}\n${cli.stderr}`);
  cliOutput = cli.stdout;
}, 240_000);

describe('npx eslint --fix with vectorize.configs.recommended on a copy of fixtures/', () => {
  it('runs and leaves warnings only for what it could not fix', () => {
    // ESLint's stylish lines: `  12:3  error  <message>  <rule>`. The only errors are no-gradient-break's, on its demo file.
    const errorLines = cliOutput.split('\n').filter((l) => /^\s+\d+:\d+\s+error\s/.test(l));
    expect(errorLines.length).toBeGreaterThan(0);
    expect(errorLines.every((l) => l.includes('vectorize/no-gradient-break'))).toBe(true);
  });

  it('fixes only the fixtures that expect an autofix, and every one of them', () => {
    const changed: string[] = [];
    const expected: string[] = [];
    for (const file of files) {
      const before = fs.readFileSync(file, 'utf8');
      const after = fs.readFileSync(path.join(work, 'fixtures', rel(file)), 'utf8');
      if (before !== after) changed.push(rel(file));
      if (parseHeader(before).expect === 'fix') expected.push(rel(file));
    }
    expect(changed).toEqual(expected);
  });

  it('leaves code that type-checks (no new errors, no new unused declarations)', () => {
    const sources: Record<string, string> = {};
    for (const file of files.filter((f) => f.endsWith('.ts'))) {
      sources[`tests/.tmp/e2e-check/orig/${rel(file)}`] = fs.readFileSync(file, 'utf8');
      sources[`tests/.tmp/e2e-check/fixed/${rel(file)}`] = fs.readFileSync(
        path.join(work, 'fixtures', rel(file)),
        'utf8',
      );
    }
    const checked = typecheckSources(sources, undefined);
    const problems: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.ts'))) {
      const orig = checked[`tests/.tmp/e2e-check/orig/${rel(file)}`];
      const fixed = checked[`tests/.tmp/e2e-check/fixed/${rel(file)}`];
      const strip = (e: string) => e.replace(/^\d+:\d+ /, '');
      const known = new Set([...orig.errors, ...orig.unused].map(strip));
      for (const e of [...fixed.errors, ...fixed.unused]) if (!known.has(strip(e))) problems.push(`${rel(file)}: ${e}`);
    }
    expect(problems).toEqual([]);
  });

  it('computes the same values as the original, without leaks', async () => {
    const problems: string[] = [];
    for (const file of files) {
      const before = fs.readFileSync(file, 'utf8');
      const after = fs.readFileSync(path.join(work, 'fixtures', rel(file)), 'utf8');
      if (before === after) continue;
      const header = parseHeader(before);
      for (const p of await checkExecution(before, after, header, file)) problems.push(`${rel(file)}: ${p}`);
    }
    expect(problems).toEqual([]);
  }, 240_000);
});
