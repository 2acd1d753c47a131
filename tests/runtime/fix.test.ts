// `vectorize fix` end to end (dist/runtime, as the CLI runs it) on a temporary copy of a few fixtures,
// on the cpu backend: only files whose every change verifies are rewritten, --dry-run writes nothing,
// a file with a failing change stays byte-identical, unreadable/unparsable/read-only files are one line
// each and the run goes on, CRLF line endings and the file mode survive a write, and the options of
// `vectorize/no-element-loop` in the user's eslint.config.* are used.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const { main } = (await import(path.join(root, 'dist/runtime/cli.js'))) as {
  main: (argv: string[], io: { out: Writable; err: Writable }) => Promise<number>;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-fix-'));
afterAll(() => {
  for (const f of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }))
    fs.chmodSync(path.join(dir, f), fs.statSync(path.join(dir, f)).isDirectory() ? 0o755 : 0o644);
  fs.rmSync(dir, { recursive: true, force: true });
});

const fixture = (rel: string) => fs.readFileSync(path.join(root, 'fixtures', rel), 'utf8');
function write(rel: string, text: string, mode = 0o644): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.chmodSync(file, mode);
  return file;
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        add(chunk.toString());
        done();
      },
    });
  const code = await main(argv, { out: sink((s) => (out += s)), err: sink((s) => (err += s)) });
  return { code, out, err };
}

const ROW_SUM = fixture('reductions/row-sum.ts');
const PARAM_BOUND = fixture('traps/param-bound.ts');
const EARLY_BREAK = fixture('never/early-break.ts');
// The @differs set (k = 3 over 2 scores: the loop gives NaN where tf.slice throws) promoted to @inputs.
const PARAM_BOUND_DIFFERS = PARAM_BOUND.replace('// @differs', '// @inputs');
const ROW_SUM_CRLF = ROW_SUM.replace(/\n/g, '\r\n');
const BAD = `import * as tf from '@tensorflow/tfjs';\nexport function f( {\n`;

/** Runs as root (or elsewhere where mode bits do not stop writes): the read-only case cannot be staged. */
function chmodStopsWrites(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.W_OK);
    return false;
  } catch {
    return true;
  }
}

describe('vectorize fix', () => {
  const project = (name: string) => {
    const files = {
      rowSum: write(`${name}/row-sum.ts`, ROW_SUM),
      paramBound: write(`${name}/param-bound.ts`, PARAM_BOUND),
      earlyBreak: write(`${name}/early-break.ts`, EARLY_BREAK),
      differs: write(`${name}/param-bound-differs.ts`, PARAM_BOUND_DIFFERS),
      crlf: write(`${name}/row-sum-crlf.ts`, ROW_SUM_CRLF, 0o640),
      bad: write(`${name}/bad.ts`, BAD),
      readOnly: write(`${name}/read-only.ts`, ROW_SUM, 0o444),
    };
    const snapshot = () => Object.fromEntries(Object.entries(files).map(([k, f]) => [k, fs.readFileSync(f, 'utf8')]));
    return { dir: path.join(dir, name), files, snapshot };
  };

  it('--dry-run prints the diff of each file that would change and writes nothing', async () => {
    const p = project('dry');
    const before = p.snapshot();
    const { code, out, err } = await cli('fix', p.dir, '--backend', 'cpu', '--no-progress', '--dry-run');
    expect(p.snapshot()).toEqual(before);
    expect(out).toContain(`--- a/${path.relative(process.cwd(), p.files.rowSum)}`);
    expect(out).toMatch(/^-\s+for \(let b = 0; b < batch; b\+\+\) \{$/m);
    expect(out).toMatch(/^\+.*tf\.sum\(x, 1\)/m);
    expect(out).not.toContain('\r');
    expect(out).toContain('param-bound-differs.ts: left unchanged: 1 throws');
    expect(out).toContain('files that would change: ');
    expect(err).toMatch(/^vectorize: .*bad\.ts: syntax error at \d+:\d+: /m);
    // A change that did not verify: exit 1 (before the file error's 2, as verify).
    expect(code).toBe(1);
  });

  it('rewrites exactly the files whose changes verify; failing, unparsable and read-only files are left, the run goes on', async () => {
    const p = project('real');
    const before = p.snapshot();
    const readOnlyStaged = chmodStopsWrites(p.files.readOnly);
    const { code, out, err } = await cli('fix', p.dir, '--backend', 'cpu', '--no-progress');
    const after = p.snapshot();

    expect(after.rowSum).not.toBe(before.rowSum);
    expect(after.rowSum).toContain('tf.sum(x, 1)');
    expect(after.rowSum).not.toContain('for (');
    expect(after.paramBound).not.toBe(before.paramBound);
    expect(after.paramBound).toContain('tf.slice(');
    expect(after.earlyBreak).toBe(before.earlyBreak);
    expect(after.differs).toBe(before.differs);
    expect(after.bad).toBe(before.bad);

    // CRLF stays CRLF, and the mode survives the atomic write.
    expect(after.crlf).not.toBe(before.crlf);
    expect(after.crlf).toBe(after.rowSum.replace(/\n/g, '\r\n'));
    expect(after.crlf.replace(/\r\n/g, '')).not.toContain('\n');
    expect(fs.statSync(p.files.crlf).mode & 0o777).toBe(0o640);
    // No temporary file is left behind.
    expect(fs.readdirSync(p.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const errLines = err.trim().split('\n');
    expect(errLines).toContainEqual(expect.stringMatching(/^vectorize: .*bad\.ts: syntax error at \d+:\d+: /));
    expect(out).toContain('param-bound-differs.ts: left unchanged: 1 throws');
    expect(out).toMatch(/param-bound-differs\.ts:\d+ \(cpu\): first throws difference/);
    if (readOnlyStaged) {
      expect(after.readOnly).toBe(before.readOnly);
      expect(errLines).toContainEqual(
        expect.stringMatching(/^vectorize: .*read-only\.ts: not written: the file is read-only/),
      );
      expect(out).toContain(
        'files changed: 3 of 7 (1 left unchanged: a change did not verify or did not parse; 2 errors)',
      );
    } else {
      expect(out).toContain(
        'files changed: 4 of 7 (1 left unchanged: a change did not verify or did not parse; 1 error)',
      );
    }
    expect(out).toContain(`loops rewritten: ${readOnlyStaged ? 3 : 4}`);
    expect(out).toMatch(/^loops left: \d+\n {2}1 throws$/m);
    expect(out.trim().split('\n').at(-1)).toBe('speed-up: not measured; run `vectorize bench` on the changed files');
    expect(code).toBe(1);

    // Run again: the rewritten files have nothing left to change.
    fs.rmSync(p.files.differs);
    fs.rmSync(p.files.bad);
    fs.chmodSync(p.files.readOnly, 0o644);
    fs.rmSync(p.files.readOnly);
    const again = await cli('fix', p.dir, '--backend', 'cpu', '--no-progress');
    expect(again.out).toContain('files changed: 0 of 4');
    expect(again.code).toBe(0);
  });

  it("uses the options of vectorize/no-element-loop from the user's eslint.config.*", async () => {
    const file = write('configured/row-sum.ts', ROW_SUM);
    write(
      'configured/eslint.config.js',
      `import vectorize from ${JSON.stringify(path.join(root, 'dist/index.js'))};\n` +
        `export default [{ files: ['**/*.ts'], plugins: { vectorize }, rules: { 'vectorize/no-element-loop': ['warn', { fix: 'off' }] } }];\n`,
    );
    // ESLint finds the config from the file's folder: it turns the fixes off, so nothing changes.
    const { code, out } = await cli('fix', file, '--backend', 'cpu', '--no-progress');
    expect(out).toContain('files changed: 0 of 1');
    expect(code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(ROW_SUM);
  });

  it('usage errors', async () => {
    expect(await cli('verify', dir, '--dry-run')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--dry-run belongs to fix'),
    });
    expect(await cli('fix', dir, '--json', 'x.json')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--json, --html, --runs and --warmup belong to bench'),
    });
  });
});
