// What docs/ci.md tells a CI job to run, on a copy of fixtures/ in a scratch project whose eslint.config.js
// uses the built plugin's `recommended` config (as tests/e2e/eslint-fix.test.ts does), with the real ESLint CLI:
// the SARIF report that GitHub code scanning reads (@microsoft/eslint-formatter-sarif) carries every finding of a
// plain `--format json` run, with a location and its rule's documentation link; and `--concurrency 2` (worker
// threads) gives the same findings as a single thread.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const eslintBin = path.join(repoRoot, 'node_modules/eslint/bin/eslint.js');
const dist = path.join(repoRoot, 'dist/index.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-ci-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface JsonMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
}
interface JsonResult {
  filePath: string;
  messages: JsonMessage[];
  errorCount: number;
  stats?: unknown;
}
interface SarifResult {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number; startColumn?: number } };
  }[];
}
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; helpUri?: string; shortDescription?: { text: string } }[] } };
    results: SarifResult[];
  }[];
}

/** Runs the ESLint CLI on fixtures/ in the scratch project; `DEBUG=eslint:eslint` makes it say how many threads ran. */
function eslint(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [eslintBin, ...args, 'fixtures'], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, DEBUG: 'eslint:eslint' },
    maxBuffer: 64 * 1024 * 1024,
  });
  // 1: errors were reported (no-gradient-break is an error in `recommended`, see fixtures/demo-rules/); 2 would be a
  // crash, a config problem or a formatter that cannot be loaded.
  if (r.status !== 0 && r.status !== 1) throw new Error(`eslint exited with ${r.status}:\n${r.stderr}`);
  return r;
}

/** One line per finding, the same for a JSON and a SARIF report: file, position, rule, severity, text. */
const key = (file: string, line: number, column: number, ruleId: string | null, error: boolean, text: string) =>
  `${path.relative(work, file)}:${line}:${column} ${ruleId} ${error ? 'error' : 'warning'} ${text}`;

const jsonFindings = (results: JsonResult[]) =>
  results.flatMap((r) =>
    r.messages.map((m) => key(r.filePath, m.line, m.column, m.ruleId, m.severity === 2, m.message)),
  );

const sarifFindings = (log: SarifLog) =>
  log.runs[0].results.map((r) => {
    const loc = r.locations[0].physicalLocation;
    const file = fileURLToPath(loc.artifactLocation.uri);
    return key(
      file,
      loc.region?.startLine ?? 0,
      loc.region?.startColumn ?? 0,
      r.ruleId,
      r.level === 'error',
      r.message.text,
    );
  });

/** The JSON report without what may differ between runs (`stats` timings, only with --stats), by relative path. */
const normalized = (results: JsonResult[]) =>
  results
    .map(({ stats: _stats, ...r }) => ({ ...r, filePath: path.relative(work, r.filePath) }))
    .sort((a, b) => (a.filePath < b.filePath ? -1 : a.filePath > b.filePath ? 1 : 0));

let single: { status: number | null; results: JsonResult[]; stderr: string };
let sarif: { status: number | null; log: SarifLog };
let plugin: { rules: Record<string, { meta: { docs: { url: string; description: string } } }> };

beforeAll(async () => {
  if (!fs.existsSync(dist)) throw new Error('dist/index.js is missing: run `npm run build` first');
  plugin = ((await import(dist)) as { default: typeof plugin }).default;
  // fixtures/ as the other e2e tests see it: entries whose name starts with `_` are drafts (the fuzzer writes there).
  fs.cpSync(path.join(repoRoot, 'fixtures'), path.join(work, 'fixtures'), {
    recursive: true,
    filter: (src) => !path.basename(src).startsWith('_'),
  });
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
  // typescript-eslint and the SARIF formatter resolve from the repository's node_modules.
  fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(work, 'node_modules'), 'dir');

  const json = eslint(['--format', 'json', '--concurrency', 'off']);
  single = { status: json.status, results: JSON.parse(json.stdout) as JsonResult[], stderr: json.stderr };
  // As docs/ci.md writes it: the formatter by package name, the report into a file.
  const s = eslint(['--format', '@microsoft/eslint-formatter-sarif', '--output-file', 'eslint.sarif']);
  sarif = { status: s.status, log: JSON.parse(fs.readFileSync(path.join(work, 'eslint.sarif'), 'utf8')) as SarifLog };
}, 120_000);

describe('eslint --format @microsoft/eslint-formatter-sarif on a copy of fixtures/', () => {
  it('exits as documented: 1 when an error is reported', () => {
    const errors = single.results.reduce((n, r) => n + r.errorCount, 0);
    expect(errors).toBeGreaterThan(0);
    expect(single.status).toBe(1);
    expect(sarif.status).toBe(1);
  });

  it('writes a SARIF 2.1.0 log with one ESLint run', () => {
    expect(sarif.log.version).toBe('2.1.0');
    expect(sarif.log.runs).toHaveLength(1);
    expect(sarif.log.runs[0].tool.driver.name).toBe('ESLint');
  });

  it("describes each reported rule with its documentation link (the rule's meta.docs.url) and description", () => {
    const rules = sarif.log.runs[0].tool.driver.rules;
    const ids = rules.map((r) => r.id);
    expect(ids).toContain('vectorize/no-element-loop');
    for (const rule of rules) {
      expect(rule.id).toMatch(/^vectorize\//);
      const { docs } = plugin.rules[rule.id.slice('vectorize/'.length)].meta;
      expect(rule.helpUri).toBe(docs.url);
      expect(rule.helpUri).toMatch(new RegExp(`^https://\\S+/docs/rules/${rule.id.slice('vectorize/'.length)}\\.md$`));
      expect(rule.shortDescription?.text).toBe(docs.description);
    }
  });

  it('holds exactly the findings of a plain --format json run, each with a file and a start line', () => {
    const fromJson = jsonFindings(single.results);
    expect(fromJson.length).toBeGreaterThan(0);
    expect(fromJson.every((f) => / vectorize\//.test(f))).toBe(true);
    const results = sarif.log.runs[0].results;
    expect(results).toHaveLength(fromJson.length);
    for (const r of results) {
      const loc = r.locations[0]?.physicalLocation;
      expect(loc?.artifactLocation.uri).toMatch(/^file:\/\//);
      expect(fs.existsSync(fileURLToPath(loc.artifactLocation.uri))).toBe(true);
      expect(loc.region?.startLine).toBeGreaterThanOrEqual(1);
    }
    expect(sarifFindings(sarif.log).sort()).toEqual([...fromJson].sort());
  });
});

describe('eslint --concurrency on the same copy', () => {
  it('gives the same JSON report with 2 worker threads as with one thread', () => {
    const threaded = eslint(['--format', 'json', '--concurrency', '2']);
    // ESLint's own debug line shows that the two runs really differ in how they lint.
    expect(single.stderr).toContain('Linting in single-thread mode.');
    expect(threaded.stderr).toContain('Linting using 2 worker thread(s).');
    expect(threaded.status).toBe(single.status);
    const a = normalized(single.results);
    const b = normalized(JSON.parse(threaded.stdout) as JsonResult[]);
    expect(a.length).toBeGreaterThan(0);
    expect(a.reduce((n, r) => n + r.messages.length, 0)).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('gives the same SARIF findings and rule descriptions with 2 worker threads', () => {
    const threaded = eslint([
      '--format',
      '@microsoft/eslint-formatter-sarif',
      '--output-file',
      'eslint-threads.sarif',
      '--concurrency',
      '2',
    ]);
    expect(threaded.stderr).toContain('Linting using 2 worker thread(s).');
    const log = JSON.parse(fs.readFileSync(path.join(work, 'eslint-threads.sarif'), 'utf8')) as SarifLog;
    expect(sarifFindings(log).sort()).toEqual(sarifFindings(sarif.log).sort());
    const byId = (l: SarifLog) => [...l.runs[0].tool.driver.rules].sort((x, y) => (x.id < y.id ? -1 : 1));
    expect(byId(log)).toEqual(byId(sarif.log));
  });
});
