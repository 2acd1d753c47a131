// The browser backends end to end (dist/runtime, built by `npm test` before vitest): fixtures run on
// webgl in headless Chromium with the same comparison as in Node — equal where the rewrite is right,
// a deliberately wrong rewrite caught, a TF.js webgl bug named as such — and what ran (the renderer,
// its precision, the browser) is reported. One browser is launched for the whole file. Without a
// Chromium the suite is skipped with the reason, except in CI (which installs one: .ci/run), where
// that is a failure.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Runtime from '../../src/runtime/index.js';
import type * as Host from '../../src/runtime/browser/host.js';

const root = path.resolve(import.meta.dirname, '../..');
const runtime = (await import(path.join(root, 'dist/runtime/index.js'))) as typeof Runtime;
const host = (await import(path.join(root, 'dist/runtime/browser/host.js'))) as typeof Host;
const { main } = (await import(path.join(root, 'dist/runtime/cli.js'))) as {
  main: (argv: string[], io: { out: Writable; err: Writable }) => Promise<number>;
};

let browserPath: string | undefined;
let notFound = '';
try {
  browserPath = host.findBrowser();
} catch (e) {
  notFound = (e as Error).message;
}

it.runIf(!!process.env.CI)('CI has a Chromium for the browser backends (.ci/run installs it)', () => {
  expect(notFound).toBe('');
});

const fixture = (name: string) => path.join(root, 'fixtures', name);

function capture(): { stream: Writable; text: () => string } {
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
  const code = await main([...argv, '--no-progress'], { out: out.stream, err: err.stream });
  return { code, out: out.text(), err: err.text() };
}

describe('finding the browser', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-nobrowser-'));
  afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

  it('without one on PATH, says so and what to do, in one line', () => {
    expect(() => host.findBrowser(undefined, { PATH: empty }, [])).toThrow(
      /^no Chromium or Chrome found \(looked for chromium, chromium-browser, google-chrome.* on PATH\): install Chromium \(Debian\/Ubuntu: apt-get install chromium\) or Chrome, or pass its executable with --browser PATH; vectorize never downloads a browser$/,
    );
  });

  it('finds chromium on PATH', () => {
    const fake = path.join(empty, 'chromium');
    fs.writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    expect(host.findBrowser(undefined, { PATH: `/nonexistent${path.delimiter}${empty}` }, [])).toBe(fake);
  });

  it('a browser that does not start leaves its backends not run, each with one line that says why', async () => {
    const { cases } = await runtime.discover([fixture('elementwise/sigmoid.ts')], {});
    const runs = await runtime.runCases(cases, {
      backends: ['cpu', 'webgl', 'browser-webgpu'],
      mode: 'verify',
      browser: { executablePath: '/bin/false' },
    });
    expect(runs.map((r) => [r.backend, r.unavailable === undefined, r.results.length])).toEqual([
      ['cpu', true, 1],
      ['webgl', false, 0],
      ['browser-webgpu', false, 0],
    ]);
    for (const r of runs.slice(1))
      expect(r.unavailable).toMatch(new RegExp(`^${r.backend}: the browser /bin/false did not start: [^\\n]+$`));
    expect(runtime.verifySummary(runs, [])).toBe(
      'verified 1 of 1 fixes on cpu (webgl, browser-webgpu unavailable): 1 equal, 0 differ, 0 skipped',
    );
  });

  it('--browser with a bad path is an error before any case runs (exit 2)', async () => {
    const missing = path.join(empty, 'no-such-chrome');
    expect(await cli('verify', fixture('elementwise/sigmoid.ts'), '--backend', 'webgl', '--browser', missing)).toEqual({
      code: 2,
      out: '',
      err: `vectorize: --browser ${missing}: no such file; pass the path of a Chromium or Chrome executable\n`,
    });
    const notExecutable = path.join(empty, 'README');
    fs.writeFileSync(notExecutable, 'not a browser');
    expect(
      await cli('verify', fixture('elementwise/sigmoid.ts'), '--backend', 'webgl', '--browser', notExecutable),
    ).toMatchObject({
      code: 2,
      err: `vectorize: --browser ${notExecutable}: not executable\n`,
    });
    expect(
      await cli('verify', fixture('elementwise/sigmoid.ts'), '--backend', 'cpu', '--browser', missing),
    ).toMatchObject({
      code: 2,
      err: expect.stringContaining(
        '--browser belongs to the browser backends: add webgl or browser-webgpu to --backend',
      ),
    });
  });
});

describe('what ran, in the reports', () => {
  const webgl: Runtime.BackendRun = {
    backend: 'webgl',
    info: {
      name: 'webgl',
      tfjsVersion: '4.22.0',
      browser: 'Chromium 156.0.8078.114',
      floatPrecision: 32,
      adapter: {
        vendor: 'Google Inc. (Google)',
        architecture: '',
        description: 'ANGLE (SwiftShader Device)',
        software: true,
      },
    },
    results: [],
  };
  const webgpu: Runtime.BackendRun = {
    backend: 'webgpu',
    info: {
      name: 'webgpu',
      tfjsVersion: '4.22.0',
      adapter: { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', software: false },
    },
    results: [],
  };
  const cpu: Runtime.BackendRun = { backend: 'cpu', info: { name: 'cpu', tfjsVersion: '4.22.0' }, results: [] };

  it('verify names the renderer, precision and browser of webgl, and the adapter of webgpu; cpu and wasm need no line', () => {
    expect(
      runtime.verifyBackendLines([cpu, webgl, webgpu, { backend: 'browser-webgpu', unavailable: 'x', results: [] }]),
    ).toEqual([
      'webgl: TF.js 4.22.0 in Chromium 156.0.8078.114, float32, renderer Google Inc. (Google) / ANGLE (SwiftShader Device) (SwiftShader: CPU emulation)',
      'webgpu: TF.js 4.22.0, adapter nvidia / hopper / NVIDIA H200',
    ]);
  });

  it("bench's JSON keeps the precision and the browser", () => {
    const doc = runtime.benchJson([webgl], {
      tool: 't',
      machine: { cpus: 'c', cores: 1, memoryGiB: 1, platform: 'p', node: 'n' },
    });
    expect(doc.backends.webgl).toMatchObject({
      floatPrecision: 32,
      browser: 'Chromium 156.0.8078.114',
      adapter: { software: true },
    });
  });
});

describe.skipIf(!browserPath)(`webgl in headless Chromium${browserPath ? '' : ` (skipped: ${notFound})`}`, () => {
  let browser: Host.BrowserHost;
  beforeAll(async () => {
    browser = await host.BrowserHost.launch();
  }, 60_000);
  afterAll(() => browser?.close());

  // A GPU machine reports its own renderer; on a machine without one, Chromium falls back to SwiftShader.
  const noGpu = !fs.existsSync('/dev/dri');

  it('verifies fixtures on webgl as equal, names the renderer, and reports a TF.js webgl bug as known', async () => {
    const outcome = await runtime.runAll({
      files: [
        'elementwise/sigmoid.ts',
        'softmax/log-sum-exp.ts',
        'gather/table-lookup-1d.ts',
        'reductions/row-sum.ts',
      ].map(fixture),
      backends: ['webgl'],
      mode: 'verify',
      browser: { host: browser },
    });
    expect(outcome.fileErrors).toEqual([]);
    const [run] = outcome.runs;
    expect(run.unavailable).toBeUndefined();
    const status = Object.fromEntries(run.results.map((r) => [path.relative(root, r.file), r.status]));
    expect(status).toEqual({
      'fixtures/elementwise/sigmoid.ts': 'equal',
      'fixtures/softmax/log-sum-exp.ts': 'equal',
      'fixtures/gather/table-lookup-1d.ts': 'equal',
      // Its empty input set ([3, 0]): TF.js 4.22's webgl reduction throws there.
      'fixtures/reductions/row-sum.ts': 'differ',
    });
    expect(run.results.every((r) => r.leaked === undefined || r.leaked === 0)).toBe(true);
    const rowSum = run.results.find((r) => r.file.endsWith('row-sum.ts'))!;
    expect(rowSum.mismatch).toMatchObject({
      what: 'throws',
      note: "TF.js 4.22's webgl backend throws for a reduction, matMul or dot over an empty axis",
    });

    const info = run.info!;
    expect(info).toMatchObject({
      name: 'webgl',
      tfjsVersion: '4.22.0',
      browser: expect.stringMatching(/^Chrom(e|ium) \d+\./),
    });
    expect(info.adapter!.description).not.toBe('');
    expect([16, 32]).toContain(info.floatPrecision);
    if (noGpu) {
      expect(info.adapter).toMatchObject({ description: expect.stringContaining('SwiftShader'), software: true });
      // SwiftShader renders to float32 textures: webgl compares with the float32 tolerance.
      expect(info.floatPrecision).toBe(32);
    }
    expect(runtime.verifySummary(outcome.runs, outcome.skipped)).toBe(
      'verified 3 of 4 fixes on webgl: 3 equal, 0 differ, 0 skipped, 1 differ by known TF.js backend bugs',
    );
    const line = runtime.verifyBackendLines(outcome.runs);
    expect(line).toHaveLength(1);
    expect(line[0]).toMatch(/^webgl: TF\.js 4\.22\.0 in Chrom(e|ium) [\d.]+, float(16|32), renderer .+/);
    if (noGpu) expect(line[0]).toMatch(/SwiftShader.*\(SwiftShader: CPU emulation\)$/);
  });

  it('catches a deliberately wrong rewrite in the page, as in Node', async () => {
    const { cases } = await runtime.discover([fixture('reductions/row-sum.ts')], {});
    const c = cases[0];
    const wrong = {
      ...c,
      fixedCode: c.fixedCode.replace(/tf\.sum\(x, 1\)/g, 'tf.sum(tf.transpose(x), 1)'),
      inputSets: [runtime.parseInputs('x: float32[4, 4]', 'test')],
    };
    expect(wrong.fixedCode).not.toBe(c.fixedCode);
    const [run] = await runtime.runCases([wrong], { backends: ['webgl'], mode: 'verify', browser: { host: browser } });
    expect(run.results[0]).toMatchObject({
      status: 'differ',
      mismatch: { what: 'value', path: 'result', inputSet: 0, inputs: 'x: float32[4, 4]' },
    });
    expect(run.results[0].mismatch!.note).toBeUndefined();
  });

  it('a case that hangs is stopped at the time limit; the next case runs in a fresh page', async () => {
    const { cases } = await runtime.discover([fixture('elementwise/sigmoid.ts')], {});
    const hang = { ...cases[0], id: 'hang', fixedCode: `${cases[0].fixedCode}\nwhile (true) {}\n` };
    const [run] = await runtime.runCases([hang, cases[0]], {
      backends: ['webgl'],
      mode: 'verify',
      timeoutMs: 3000,
      browser: { host: browser },
    });
    expect(run.results.map((r) => [r.id, r.status])).toEqual([
      ['hang', 'timeout'],
      [cases[0].id, 'equal'],
    ]);
  });

  it('browser-webgpu runs, or says in one line why it cannot', async () => {
    const { cases } = await runtime.discover([fixture('elementwise/sigmoid.ts')], {});
    const [run] = await runtime.runCases(cases, {
      backends: ['browser-webgpu'],
      mode: 'verify',
      browser: { host: browser },
    });
    if (run.unavailable !== undefined) {
      expect(run.unavailable).toMatch(/^browser-webgpu: [^\n]+$/);
      expect(run.results).toEqual([]);
    } else {
      expect(run.results.map((r) => r.status)).toEqual(['equal']);
      expect(run.info).toMatchObject({ name: 'browser-webgpu', floatPrecision: 32 });
      if (noGpu) expect(run.info!.adapter).toMatchObject({ software: true });
    }
  });
});
