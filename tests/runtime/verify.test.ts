// The runtime end to end (dist/runtime, built by `npm test` before vitest): cases run in worker
// processes on real TF.js backends. A correct rewrite is equal, a deliberately wrong one is caught with
// a clear report, a `while (true)` case is stopped at the time limit while the rest of the run
// completes, a crashing case is reported, and the CLI's exit codes and one-line errors hold. Timings
// are never asserted.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Runtime from '../../src/runtime/index.js';

const root = path.resolve(import.meta.dirname, '../..');
// The worker is compiled JS: exercise the built runtime, as the CLI does.
const runtime = (await import(path.join(root, 'dist/runtime/index.js'))) as typeof Runtime;
const { main } = (await import(path.join(root, 'dist/runtime/cli.js'))) as {
  main: (
    argv: string[],
    io: { out: Writable & { isTTY?: boolean }; err: Writable & { isTTY?: boolean } },
  ) => Promise<number>;
};

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
// CI installs chromium (.ci/run), so webgpu runs there; elsewhere only where SwiftShader or a driver is.
const haveWebGpu = !!process.env.CI || fs.existsSync(SWIFTSHADER_ICD) || !!process.env.VK_ICD_FILENAMES;
const BACKENDS: Runtime.BackendName[] = haveWebGpu ? ['cpu', 'wasm', 'webgpu'] : ['cpu', 'wasm'];
// webgl runs in headless Chromium: in CI always (.ci/run installs it), elsewhere where one is found.
const { findBrowser } = (await import(path.join(root, 'dist/runtime/browser/host.js'))) as {
  findBrowser: () => string;
};
const haveBrowser = (() => {
  try {
    findBrowser();
    return true;
  } catch {
    return !!process.env.CI;
  }
})();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-verify-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const ROW_SUMS = `import * as tf from '@tensorflow/tfjs';
// @inputs x: float32[5, 7]
// @inputs x: float32[1, 1]
export function rowSums(x: tf.Tensor2D): tf.Tensor1D {
  const d = x.dataSync();
  const [n, m] = x.shape;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += d[i * m + j];
    out[i] = s;
  }
  return tf.tensor1d(out);
}
`;

function capture(): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  let buf = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      buf += chunk.toString();
      done();
    },
  });
  return { stream, text: () => buf };
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = capture();
  const err = capture();
  const code = await main(argv, { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

describe('runAll / runCases', () => {
  it(`a correct rewrite is equal on ${BACKENDS.join(', ')}, with what ran reported`, async () => {
    const file = write('ok/row-sums.ts', ROW_SUMS);
    const outcome = await runtime.runAll({ files: [file], backends: BACKENDS, mode: 'verify' });
    expect(outcome.cases).toHaveLength(1);
    expect(outcome.runs.map((r) => [r.backend, r.unavailable, r.results.map((x) => x.status)])).toEqual(
      BACKENDS.map((b) => [b, undefined, ['equal']]),
    );
    for (const r of outcome.runs) expect(r.info).toMatchObject({ name: r.backend, tfjsVersion: '4.22.0' });
    const webgpu = outcome.runs.find((r) => r.backend === 'webgpu');
    if (webgpu)
      expect(webgpu.info?.adapter).toMatchObject({ vendor: expect.any(String), description: expect.any(String) });
  });

  it('catches a deliberately wrong rewrite (sums columns instead of rows) and says where it differs', async () => {
    const file = write('wrong/row-sums.ts', ROW_SUMS);
    const { cases } = await runtime.discover([file], {});
    const wrong = {
      ...cases[0],
      fixedCode: cases[0].fixedCode.replace(/tf\.sum\(x, 1\)/g, 'tf.sum(tf.transpose(x), 1)'),
    };
    expect(wrong.fixedCode).not.toBe(cases[0].fixedCode);
    // Square inputs so the shapes agree and only the values tell.
    wrong.inputSets = [runtime.parseInputs('x: float32[4, 4]', 'test')];
    const [run] = await runtime.runCases([wrong], { backends: ['cpu'], mode: 'verify' });
    expect(run.results[0]).toMatchObject({
      status: 'differ',
      mismatch: { what: 'value', inputSet: 0, inputs: 'x: float32[4, 4]' },
    });
    const lines = runtime.verifyDetails([run], [], dir);
    expect(lines).toEqual([
      expect.stringMatching(
        /^wrong\/row-sums\.ts:8 \(cpu\): first value difference at \[0\] of result in input set 1 \(x: float32\[4, 4\]\): expected -?\d.*, got -?\d/,
      ),
    ]);
    expect(runtime.verifySummary([run], [])).toBe('verified 0 of 1 fixes on cpu: 0 equal, 1 differ, 0 skipped');
  });

  it('runs a suggestion in a differentiated function as the whole training step: it must run and stay finite', async () => {
    const file = write(
      'grad/train.ts',
      `import * as tf from '@tensorflow/tfjs';
// @inputs w0: float32[6], x: float32[6]
export function train(w0: tf.Tensor1D, x: tf.Tensor1D): tf.Tensor1D {
  const w = tf.variable(w0);
  const opt = tf.train.sgd(0.1);
  opt.minimize(() => {
    const d = w.dataSync();
    let pos = 0;
    for (let i = 0; i < d.length; i++) pos += d[i] > 0 ? d[i] : 0;
    return tf.add(tf.sum(tf.mul(w, x)), tf.scalar(pos)) as tf.Scalar;
  });
  opt.dispose();
  return w as tf.Tensor1D;
}
`,
    );
    const { cases, skipped } = await runtime.discover([file], {});
    expect(skipped).toEqual([]);
    // The region is train's whole body (the loop reads the closure's `w`), its inputs train's parameters.
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: 'suggest', gradient: true });
    const [ok] = await runtime.runCases(cases, { backends: ['cpu'], mode: 'verify' });
    expect(ok.results[0]).toMatchObject({ status: 'equal', gradient: true });
    expect(runtime.verifyDetails([ok], [], dir)).toEqual([
      expect.stringMatching(/^grad\/train\.ts:9 \(cpu, suggestion\): in a differentiated function: the training step/),
    ]);
    // A rewrite whose training step gives NaN is caught.
    const broken = { ...cases[0], fixedCode: cases[0].fixedCode.replaceAll('tf.train.sgd(0.1)', 'tf.train.sgd(NaN)') };
    expect(broken.fixedCode).not.toBe(cases[0].fixedCode);
    const [bad] = await runtime.runCases([broken], { backends: ['cpu'], mode: 'verify' });
    expect(bad.results[0]).toMatchObject({ status: 'differ', mismatch: { what: 'not finite', actual: 'NaN' } });
    // The codemod never applies it: the suggestion changes what training does.
    const fixed = await runtime.fixFiles({ files: [file], cwd: dir, backends: ['cpu'], dryRun: true });
    expect(fixed.files[0]).toMatchObject({ status: 'unchanged', left: [{ reason: 'changes gradients' }] });
  });

  it("loads the user's own TypeScript modules that a case imports: extensionless and '.js' specifiers, their TF.js bound to the runtime's", async () => {
    write(
      'proj/consts.ts',
      `import * as tf from '@tensorflow/tfjs';\nexport const EPS: number = 1e-6;\nexport const ONE: tf.Scalar = tf.scalar(1);\n`,
    );
    write('proj/helpers.ts', `export function scaleOf(k: number): number {\n  return k * 2;\n}\n`);
    const file = write(
      'proj/main.ts',
      `import * as tf from '@tensorflow/tfjs';
import { EPS, ONE } from './consts';
import { scaleOf } from './helpers.js';

// @inputs x: float32[4, 3]
export function normalize(x: tf.Tensor2D): tf.Tensor2D {
  const k = scaleOf(1) + EPS;
  const [n, m] = x.shape;
  const d = x.dataSync();
  const out = new Float32Array(n * m);
  for (let i = 0; i < n * m; i++) out[i] = d[i] / k;
  const y = tf.tensor2d(out, [n, m]);
  return tf.add(y, ONE) as tf.Tensor2D;
}
`,
    );
    const outcome = await runtime.runAll({ files: [file], backends: ['cpu', 'wasm'], mode: 'verify' });
    expect(outcome.skipped).toEqual([]);
    expect(outcome.runs.map((r) => r.results.map((x) => [x.status, x.error]))).toEqual([
      [['equal', undefined]],
      [['equal', undefined]],
    ]);
  });

  it('restores the backend it measures when a module switches TF.js to another one as it loads', async () => {
    const file = write('switch/row-sums.ts', ROW_SUMS);
    const { cases } = await runtime.discover([file], {});
    // The fixed module picks cpu when it loads, and its region tells which backend it ran on.
    const switching = {
      ...cases[0],
      fixedCode: cases[0].fixedCode
        .replace(/^(import .*\n)/, "$1await tf.setBackend('cpu');\n")
        .replace(
          /return tf\.sum\(x, 1\);/g,
          "return tf.getBackend() === 'wasm' ? tf.sum(x, 1) : tf.neg(tf.sum(x, 1));",
        ),
    };
    expect(switching.fixedCode).toContain("await tf.setBackend('cpu');");
    const [run] = await runtime.runCases([switching], { backends: ['wasm'], mode: 'verify' });
    expect(run.results.map((r) => r.status)).toEqual(['equal']);
  });

  it('bench times a loop slower than the timing budget by its checking call, without calling it again', async () => {
    const file = write('slow/row-sums.ts', ROW_SUMS);
    const log = path.join(dir, 'slow/calls.log');
    const { cases } = await runtime.discover([file], {});
    // The original region records each call and takes 3.2 s, past the 3 s budget of timed calls.
    const slow = {
      ...cases[0],
      inputSets: cases[0].inputSets.slice(0, 1),
      originalCode: `import { appendFileSync } from 'node:fs';\n${cases[0].originalCode.replace(
        /export function __vectorizeRegion\(x\) \{/,
        `$&\n  appendFileSync(${JSON.stringify(log)}, 'call\\n');\n  const end = Date.now() + 3200;\n  while (Date.now() < end);`,
      )}`,
    };
    expect(slow.originalCode).toContain('appendFileSync(');
    const [run] = await runtime.runCases([slow], { backends: ['cpu'], mode: 'bench' });
    expect(run.results[0]).toMatchObject({ status: 'equal', loopMs: expect.any(Number), vectorMs: expect.any(Number) });
    expect(run.results[0].loopMs).toBeGreaterThanOrEqual(3000);
    expect(fs.readFileSync(log, 'utf8')).toBe('call\n');
  });

  it('stops a `while (true)` case at the time limit, reports a crashing case, and finishes the rest', async () => {
    const file = write('hang/row-sums.ts', ROW_SUMS);
    const { cases } = await runtime.discover([file], {});
    const hang = { ...cases[0], id: 'hang', fixedCode: `${cases[0].fixedCode}\nwhile (true) {}\n` };
    const crash = { ...cases[0], id: 'crash', fixedCode: `${cases[0].fixedCode}\nprocess.exit(3);\n` };
    const started = Date.now();
    const [run] = await runtime.runCases([hang, crash, cases[0]], {
      backends: ['cpu'],
      mode: 'verify',
      timeoutMs: 4000,
    });
    expect(run.results.map((r) => [r.id, r.status])).toEqual([
      ['hang', 'timeout'],
      ['crash', 'error'],
      [cases[0].id, 'equal'],
    ]);
    expect(run.results[0].error).toBe('stopped after the 4 s time limit');
    expect(run.results[1].error).toBe('the worker died while running it (exit code 3)');
    expect(Date.now() - started).toBeLessThan(40_000);
    expect(runtime.verifySummary([run], [])).toBe(
      'verified 1 of 3 fixes on cpu: 1 equal, 0 differ, 0 skipped, 2 failed',
    );
  });

  it('bench mode times both versions (medians, spreads and a speed-up), never asserting how fast', async () => {
    const file = write('bench/row-sums.ts', ROW_SUMS);
    const outcome = await runtime.runAll({
      files: [file],
      backends: ['cpu'],
      mode: 'bench',
      size: 64,
      runs: 3,
      warmup: 1,
    });
    const r = outcome.runs[0].results[0];
    expect(r.status).toBe('equal');
    expect(r.loopMs).toBeGreaterThan(0);
    expect(r.vectorMs).toBeGreaterThan(0);
    expect(r.speedup).toBeCloseTo(r.loopMs! / r.vectorMs!, 10);
    expect(outcome.cases[0].inputSets).toEqual([runtime.parseInputs('x: float32[64, 64]', '')]);
  });
});

describe('vectorize CLI', () => {
  it('verify: details, then the summary as the last line; exit 0 when every rewrite agrees', async () => {
    const file = write('cli/ok.ts', ROW_SUMS);
    const { code, out } = await cli('verify', file, '--backend', 'cpu', '--no-progress');
    expect(out.trim().split('\n').at(-1)).toBe('verified 1 of 1 fixes on cpu: 1 equal, 0 differ, 0 skipped');
    expect(code).toBe(0);
  });

  it('a syntax error and a missing path are one line each, the other files still run, exit 2; the files are not written', async () => {
    const ok = write('cli2/ok.ts', ROW_SUMS);
    const bad = write('cli2/bad.ts', `import * as tf from '@tensorflow/tfjs';\nexport function f( {\n`);
    const before = fs.readFileSync(bad, 'utf8');
    const { code, out, err } = await cli('verify', path.dirname(ok), path.join(dir, 'nope.ts'), '--backend', 'cpu');
    expect(err.trim().split('\n').sort()).toEqual([
      expect.stringMatching(/^vectorize: .*bad\.ts: syntax error at \d+:\d+: Parsing error: /),
      expect.stringMatching(/^vectorize: .*nope\.ts: no such file, folder, or matching \.ts\/\.js files$/),
    ]);
    expect(out.trim().split('\n').at(-1)).toBe('verified 1 of 1 fixes on cpu: 1 equal, 0 differ, 0 skipped');
    expect(code).toBe(2);
    expect(fs.readFileSync(bad, 'utf8')).toBe(before);
    expect(fs.readFileSync(ok, 'utf8')).toBe(ROW_SUMS);
  });

  it('usage errors: unknown backend, unknown command, bench-only flags on verify', async () => {
    expect(await cli('verify', dir, '--backend', 'tpu')).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown backend 'tpu'; choose from cpu, wasm, webgpu, webgl, browser-webgpu"),
    });
    expect(await cli('lint', dir)).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown command 'lint'; use verify or bench"),
    });
    expect(await cli('verify', dir, '--json', 'x.json')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--json, --html, --runs and --warmup belong to bench'),
    });
  });

  it('bench writes --json and --html documents of the shape the README describes', async () => {
    const file = write('cli3/ok.ts', ROW_SUMS);
    const json = path.join(dir, 'out.json');
    const html = path.join(dir, 'out.html');
    const { code, out } = await cli(
      'bench',
      file,
      '--backend',
      'cpu',
      '--size',
      '32',
      '--runs',
      '2',
      '--warmup',
      '0',
      '--json',
      json,
      '--html',
      html,
    );
    expect(code).toBe(0);
    expect(out).toContain('geometric mean');
    const doc = JSON.parse(fs.readFileSync(json, 'utf8')) as Runtime.BenchJson;
    expect(doc.size).toBe(32);
    expect(doc.backends.cpu.cases).toEqual([
      {
        id: expect.stringContaining('ok.ts:8'),
        file: expect.stringContaining('ok.ts'),
        line: 8,
        loopMs: expect.any(Number),
        vectorMs: expect.any(Number),
        speedup: expect.any(Number),
        equal: true,
      },
    ]);
    expect(fs.readFileSync(html, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*<svg[\s\S]*<\/html>\s*$/i);
  });
});

/** The fixtures whose rewrite the runtime skips, each for the loop's `this` (see the message). */
const THIS_SKIPS = [
  expect.stringMatching(/^fixtures\/callbacks\/map-row-class-fields\.ts:\d+: skipped \(fix\): the loop uses `this`/),
];

describe('vectorize verify fixtures/', () => {
  it(`every rewrite agrees on ${BACKENDS.join(', ')}, except where a known TF.js backend bug explains the difference`, async () => {
    const { code, out } = await cli(
      'verify',
      path.join(root, 'fixtures'),
      '--backend',
      BACKENDS.join(','),
      '--no-progress',
    );
    const last = out.trim().split('\n').at(-1)!;
    expect(last).toMatch(
      new RegExp(`^verified \\d+ of \\d+ fixes on ${BACKENDS.join(', ')}: \\d+ equal, 0 differ, \\d+ skipped`),
    );
    // Every loop runs: those of fixtures/gradient/, in a closure that optimizer.minimize or tf.grad calls,
    // as the whole training step of the function that holds it (run and finite; values not compared).
    // The one exception is a loop in a method that reads the class's fields through `this`, which the
    // runtime cannot supply (the fixture harness runs that file's `run` as a whole).
    expect(out.split('\n').filter((l) => / skipped \(/.test(l))).toEqual(THIS_SKIPS);
    expect(last).toMatch(/, 1 skipped/);
    expect(out.split('\n').filter((l) => / \(cpu, suggestion\): in a differentiated function: /.test(l))).toEqual([
      expect.stringMatching(/^fixtures\/gradient\/grad-l1-helper\.ts:/),
      expect.stringMatching(/^fixtures\/gradient\/minimize-positive-sum\.ts:/),
    ]);
    expect(last).not.toContain('failed');
    // Every difference names its TF.js bug, on wasm or webgpu only — never on cpu, the reference.
    const blocks = out
      .split('\n')
      .filter(
        (l) => /^\S.*\((cpu|wasm|webgpu)(, suggestion)?\): /.test(l) && !l.includes('in a differentiated function'),
      );
    for (const b of blocks) expect(b).toMatch(/\((wasm|webgpu)(, suggestion)?\): first/);
    expect(out.split('\n').filter((l) => l.startsWith('    known TF.js bug: '))).toHaveLength(blocks.length);
    expect(code).toBe(0);
    // Three backends × every fix of fixtures/ (about 120 cases): longer than the default minute on a loaded 2-core machine.
  }, 240_000);

  it.runIf(haveBrowser)(
    'every rewrite agrees on webgl in headless Chromium, the renderer named, except where a known TF.js webgl bug explains the difference',
    async () => {
      const { code, out } = await cli('verify', path.join(root, 'fixtures'), '--backend', 'webgl', '--no-progress');
      const lines = out.trim().split('\n');
      const last = lines.at(-1)!;
      expect(last).toMatch(/^verified \d+ of \d+ fixes on webgl: \d+ equal, 0 differ, \d+ skipped/);
      expect(lines.filter((l) => / skipped \(/.test(l))).toEqual(THIS_SKIPS);
      expect(last).toMatch(/, 1 skipped/);
      expect(last).not.toContain('failed');
      // What ran: the renderer, its precision and whether it is SwiftShader.
      expect(lines.some((l) => /^webgl: TF\.js [\d.]+ in Chromium [\d.]+, float(16|32), renderer /.test(l))).toBe(true);
      const blocks = lines.filter((l) => /^\S.*\(webgl(, suggestion)?\): first/.test(l));
      expect(lines.filter((l) => l.startsWith('    known TF.js bug: '))).toHaveLength(blocks.length);
      expect(code).toBe(0);
    },
    240_000,
  );
});
