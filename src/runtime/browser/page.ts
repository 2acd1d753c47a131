// The page side of the browser backends: esbuild bundles this module with TF.js (./host.ts), and the
// page it is served in runs the cases with the same code as the Node worker (../case-runner.ts). It
// only sets `globalThis.__vectorize`; ./host.ts calls it through Playwright. A case's modules arrive
// bundled, their TF.js imports bound to `globalThis.__vectorizeTf` (this page's TF.js: one engine).
import * as tf from '@tensorflow/tfjs';
import { adapterInfo, SOFTWARE_RENDERER, type AdapterLike } from '../adapter-info.js';
import { errorText, runCase, type RunFn } from '../case-runner.js';
import type { AdapterInfo, BackendInfo, BackendName, Case, CaseResult } from '../types.js';

export type StartReply = { ok: true; info: Omit<BackendInfo, 'browser'> } | { ok: false; message: string };

export interface PageApi {
  start(backend: BackendName): Promise<StartReply>;
  run(c: Case, mode: 'verify' | 'bench', warmup: number, runs: number): Promise<CaseResult>;
}

/** TF.js's name of a browser backend. */
const tfName = (backend: BackendName): string => (backend === 'browser-webgpu' ? 'webgpu' : backend);

/** The WebGL renderer the backend draws with (WEBGL_debug_renderer_info; the masked strings where it is missing). */
function webglRenderer(): AdapterInfo {
  const gl = (tf.backend() as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (!gl) return { vendor: '', architecture: '', description: 'unknown WebGL renderer', software: false };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR) ?? '');
  const description = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
  return { vendor, architecture: '', description, software: SOFTWARE_RENDERER.test(`${vendor} ${description}`) };
}

/** The adapter Chromium hands out for TF.js's request, or why there is none. */
async function webgpuAdapter(): Promise<AdapterInfo | string> {
  const gpu = (
    navigator as {
      gpu?: { requestAdapter(o?: object): Promise<AdapterLike | null> };
    }
  ).gpu;
  if (!gpu)
    return 'this Chromium has no WebGPU (navigator.gpu is missing; it needs --enable-unsafe-webgpu on Linux and a secure context)';
  const powerPreference = tf.env().getBool('WEBGPU_USE_LOW_POWER_GPU') ? 'low-power' : 'high-performance';
  const adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter) return 'Chromium found no WebGPU adapter (no GPU it allows, and no SwiftShader fallback)';
  return adapterInfo(adapter);
}

/**
 * The precision WebGL computes in, measured: a GPU op on values float16 cannot hold (1 + 2⁻²⁰ needs 20 mantissa bits,
 * 1e-8 is below float16's smallest subnormal, 70000 above its largest). Not `backend.floatPrecision()`, which TF.js
 * 4.22 gets wrong both ways: it returns 16 whenever float32 textures are enabled (it probes only when they are not),
 * and with float16 textures its probe, abs(1e-8) on one value, runs on the CPU (WEBGL_CPU_FORWARD) and says 32.
 * Checked on SwiftShader: float32 textures → measured 32, floatPrecision() 16; WEBGL_FORCE_F16_TEXTURES → 16 and 32.
 */
function webglPrecision(): 16 | 32 {
  const flags = tf.env();
  // Small ops on values not yet on the GPU run on the CPU (WEBGL_CPU_FORWARD): this one must not.
  const forward = flags.getBool('WEBGL_CPU_FORWARD');
  flags.set('WEBGL_CPU_FORWARD', false);
  try {
    const probe = [1 + 2 ** -20, 1e-8, 70000];
    const got = tf.tidy(() => tf.add(tf.tensor1d(probe), tf.zeros([3])).dataSync());
    return probe.every((v, i) => got[i] === Math.fround(v)) ? 32 : 16;
  } finally {
    flags.set('WEBGL_CPU_FORWARD', forward);
  }
}

async function start(backend: BackendName): Promise<StartReply> {
  const name = tfName(backend);
  let adapter: AdapterInfo | undefined;
  if (backend === 'browser-webgpu') {
    const found = await webgpuAdapter().catch((e: unknown) => `requestAdapter failed: ${errorText(e)}`);
    if (typeof found === 'string') return { ok: false, message: `${backend}: ${found}` };
    adapter = found;
  } else if (backend !== 'webgl') return { ok: false, message: `${backend} does not run in the browser` };
  if (tf.findBackendFactory(name) == null)
    return { ok: false, message: `${backend}: TF.js's ${name} backend did not register in the page` };
  // As in Node (../backends.ts): TF.js reports a failed init with console.warn and setBackend → false.
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(errorText).join(' '));
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    ok = false;
    warnings.push(errorText(e));
  } finally {
    console.warn = warn;
  }
  if (!ok || tf.getBackend() !== name) {
    const why = warnings.filter((l) => !/^Initialization of backend \w+ failed$/.test(l)).slice(0, 2);
    return { ok: false, message: `${backend}: the backend failed to start${why.length ? `: ${why.join('; ')}` : ''}` };
  }
  if (backend === 'webgl') adapter = webglRenderer();
  precision = backend === 'webgl' ? webglPrecision() : tf.backend().floatPrecision();
  return {
    ok: true,
    info: {
      name: backend,
      tfjsVersion: tf.version.tfjs,
      floatPrecision: precision,
      ...(adapter ? { adapter } : {}),
    },
  };
}

let counter = 0;
/** A case's module, bundled by the host: imported from a Blob URL, a fresh one each time (no module cache hit). */
async function importCode(code: string, label: string): Promise<RunFn> {
  const url = URL.createObjectURL(
    new Blob([`${code}\n//# sourceURL=vectorize-${label}-${++counter}.js`], { type: 'text/javascript' }),
  );
  try {
    const mod = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
    return mod.__vectorizeRegion as RunFn;
  } finally {
    URL.revokeObjectURL(url);
  }
}

let started: BackendName | undefined;
let precision: number | undefined;
const api: PageApi = {
  async start(backend) {
    const reply = await start(backend);
    if (reply.ok) started = backend;
    return reply;
  },
  run(c, mode, warmup, runs) {
    if (!started) return Promise.reject(new Error('no backend started in the page'));
    const host = { tf, backend: started, tfBackend: tfName(started), importCode, floatPrecision: precision };
    return runCase(host, c, mode, warmup, runs);
  },
};

Object.assign(globalThis, { __vectorizeTf: tf, __vectorize: api });
