// src/runtime/backends.ts: each backend starts inside a worker thread (as the runtime runs it), computes
// a known tf.matMul read back with `await data()`, and reports what ran. The worker side is
// tests/runtime/backend-worker.mjs, which loads the built dist/runtime/backends.js.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { MissingDependencyError, tfModuleUrl } from '../../src/runtime/backends.js';
import type { BackendInfo } from '../../src/runtime/types.js';

const helper = fileURLToPath(new URL('./backend-worker.mjs', import.meta.url));
const built = fileURLToPath(new URL('../../dist/runtime/backends.js', import.meta.url));
const tfjsVersion = (
  JSON.parse(
    fs.readFileSync(
      fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs/package.json', import.meta.url)),
      'utf8',
    ),
  ) as { version: string }
).version;
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const EXPECTED = [58, 64, 139, 154];

interface Started {
  info?: BackendInfo;
  error?: { name: string; message: string };
  values: number[];
  shape: number[];
  backend: string;
  sameTf: boolean;
  tfModuleUrl: string;
  loadMs: number;
  startMs: number;
  opMs: number;
  terminateMs?: number;
}

function inWorker<T>(workerData: object): Promise<T> {
  if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build first (npm test does)`);
  return new Promise((resolve, reject) => {
    const w = new Worker(helper, { workerData });
    w.once('message', (m: T) => {
      void w.terminate().then(() => resolve(m));
    });
    w.once('error', reject);
  });
}

/** Runs the helper as a process with exactly `env`: the environment Dawn's Vulkan loader reads. */
function inProcess<T>(mode: string, backend: string, env: NodeJS.ProcessEnv): Promise<{ out: T; stderr: string }> {
  if (!fs.existsSync(built)) throw new Error(`${built} is missing: run npm run build first (npm test does)`);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [helper, mode, backend], { env, timeout: 50_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${mode} ${backend}: ${err.message}\n${stderr}`));
      resolve({ out: JSON.parse(stdout.trim().split('\n').pop()!) as T, stderr });
    });
  });
}

function expectComputed(r: Started, name: string): void {
  expect(r.error).toBeUndefined();
  expect(r.backend).toBe(name);
  expect(r.shape).toEqual([2, 2]);
  expect(r.values).toEqual(EXPECTED);
  expect(r.info?.name).toBe(name);
  expect(r.info?.tfjsVersion).toBe(tfjsVersion);
  expect(r.sameTf).toBe(true);
  expect(r.tfModuleUrl).toMatch(/^file:\/\/.*\/@tensorflow\/tfjs\/dist\/tf\.node\.js$/);
}

const ms = (x: number | undefined) => `${Math.round(x ?? NaN)} ms`;

describe.each(['cpu', 'wasm'] as const)('%s backend in a worker thread', (name) => {
  it('starts, computes tf.matMul, reports tfjs version and no adapter', async () => {
    const r = await inWorker<Started>({ task: 'start', backend: name });
    expectComputed(r, name);
    expect(r.info?.adapter).toBeUndefined();
    console.log(`${name}: loadTf ${ms(r.loadMs)}, startBackend ${ms(r.startMs)}, first matMul ${ms(r.opMs)}`);
  });
});

// Vulkan driver manifests the loader finds on its own (a GPU's); without any, webgpu runs on SwiftShader.
const systemIcds = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'].flatMap((d) => {
  try {
    return fs.readdirSync(d).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
});
const haveSwiftShader = fs.existsSync(SWIFTSHADER_ICD);
const haveWebGpu = haveSwiftShader || systemIcds.length > 0 || !!process.env.VK_ICD_FILENAMES;
// CI installs chromium (.ci/run): there webgpu must run, never skip.
const webgpuSkipReason =
  haveWebGpu || process.env.CI
    ? undefined
    : `skipped: no GPU driver and no ${SWIFTSHADER_ICD} (apt-get install chromium)`;
/** The environment without the variables that choose a Vulkan driver. */
const { VK_ICD_FILENAMES: _icd, VK_DRIVER_FILES: _drivers, ...bareEnv } = process.env;
const expectSwiftShader = process.env.VK_ICD_FILENAMES
  ? process.env.VK_ICD_FILENAMES === SWIFTSHADER_ICD
  : systemIcds.length === 0;

function expectAdapter(info: BackendInfo | undefined): void {
  const a = info?.adapter;
  expect(a).toBeDefined();
  expect(typeof a!.vendor).toBe('string');
  expect(typeof a!.architecture).toBe('string');
  expect(typeof a!.description).toBe('string');
  if (expectSwiftShader) {
    expect(a).toMatchObject({ vendor: 'google', architecture: 'swiftshader', software: true });
    expect(a!.description).toMatch(/SwiftShader/);
  } else {
    expect(typeof a!.software).toBe('boolean');
  }
}

describe.skipIf(webgpuSkipReason !== undefined)(
  `webgpu backend${webgpuSkipReason ? ` (${webgpuSkipReason})` : ''}`,
  () => {
    // What the runtime's parent process (and .ci/run) does: VK_ICD_FILENAMES in the real environment.
    const env = {
      ...process.env,
      ...(!process.env.VK_ICD_FILENAMES && haveSwiftShader && systemIcds.length === 0
        ? { VK_ICD_FILENAMES: SWIFTSHADER_ICD }
        : {}),
    };

    it('starts in a worker thread, computes tf.matMul; after terminate() a new worker in the same process starts it again', async () => {
      const { out } = await inProcess<Started[]>('restart', 'webgpu', env);
      expect(out).toHaveLength(2);
      for (const r of out) {
        expectComputed(r, 'webgpu');
        expectAdapter(r.info);
      }
      expect(out[1].info).toEqual(out[0].info);
      console.log(
        `webgpu (${out[0].info?.adapter?.description}): loadTf ${ms(out[0].loadMs)}, startBackend ${ms(out[0].startMs)} / ${ms(out[1].startMs)} (restart), ` +
          `first matMul ${ms(out[0].opMs)}, terminate ${ms(out[0].terminateMs)}`,
      );
    });

    it.skipIf(!haveSwiftShader || systemIcds.length > 0)(
      'in a main thread without VK_ICD_FILENAMES, picks SwiftShader itself (skipped where a system Vulkan driver exists or chromium is missing)',
      async () => {
        const { out } = await inProcess<Started>('main', 'webgpu', bareEnv);
        expectComputed(out, 'webgpu');
        expect(out.info?.adapter).toMatchObject({ architecture: 'swiftshader', software: true });
      },
    );

    it.skipIf(!haveSwiftShader || systemIcds.length > 0)(
      'in a worker thread without VK_ICD_FILENAMES, fails with one line that says to set it (skipped where a system Vulkan driver exists or chromium is missing)',
      async () => {
        const { out } = await inProcess<Started>('worker', 'webgpu', bareEnv);
        expect(out.error?.name).toBe('BackendUnavailableError');
        expect(out.error?.message).toContain(`set VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`);
        expect(out.error?.message).not.toContain('\n');
      },
    );
  },
);

describe('MissingDependencyError', () => {
  it("maps Node's failed import of a package that is not installed to the one-line npm install hint", async () => {
    const r = await inWorker<{
      original: { code: string; message: string };
      mapped?: { name: string; message: string; isMissing: boolean };
    }>({ task: 'missing' });
    expect(r.original.code).toBe('ERR_MODULE_NOT_FOUND');
    expect(r.mapped).toEqual({
      name: 'MissingDependencyError',
      isMissing: true,
      message:
        'the test backend needs vectorize-test-no-such-package, which is not installed: npm install --save-dev vectorize-test-no-such-package@1.2.3',
    });
  });

  it('maps require() failures too, names every missing package, and leaves other failures alone', () => {
    const cjs = Object.assign(new Error("Cannot find module 'webgpu'\nRequire stack:\n- /x/y.js"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(MissingDependencyError.fromImportError(cjs, 'webgpu', '0.6.2', 'the webgpu backend')?.message).toBe(
      'the webgpu backend needs webgpu, which is not installed: npm install --save-dev webgpu@0.6.2',
    );
    const both = new MissingDependencyError('the webgpu backend', [
      { pkg: '@tensorflow/tfjs-backend-webgpu', version: '4.22.0' },
      { pkg: 'webgpu', version: '0.6.2' },
    ]);
    expect(both.message).toBe(
      'the webgpu backend needs @tensorflow/tfjs-backend-webgpu and webgpu, which are not installed: npm install --save-dev @tensorflow/tfjs-backend-webgpu@4.22.0 webgpu@0.6.2',
    );
    expect(both).toBeInstanceOf(Error);
    // A dependency of the package, or a file inside it, is missing: the package is installed.
    const dep = Object.assign(new Error("Cannot find package 'debug' imported from /n/node_modules/webgpu/index.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    expect(MissingDependencyError.fromImportError(dep, 'webgpu', '0.6.2', 'the webgpu backend')).toBeUndefined();
    const file = Object.assign(new Error("Cannot find module '/n/node_modules/webgpu/dist/linux-x64/dawn.node'"), {
      code: 'MODULE_NOT_FOUND',
    });
    expect(MissingDependencyError.fromImportError(file, 'webgpu', '0.6.2', 'the webgpu backend')).toBeUndefined();
    expect(
      MissingDependencyError.fromImportError(new SyntaxError('Unexpected token'), 'webgpu', '0.6.2', 'x'),
    ).toBeUndefined();
  });
});

describe('tfModuleUrl', () => {
  it("is the file URL of the runtime's @tensorflow/tfjs entry", () => {
    const url = tfModuleUrl();
    expect(url).toMatch(/^file:\/\//);
    const entry = fileURLToPath(new URL('../../node_modules/@tensorflow/tfjs/dist/tf.node.js', import.meta.url));
    expect(fs.realpathSync(fileURLToPath(url))).toBe(fs.realpathSync(entry));
  });
});
