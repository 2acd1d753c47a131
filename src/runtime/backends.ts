// Starts one TF.js backend in the current thread (the runtime calls it once per worker thread) and
// says what ran. TF.js and the backend packages are optional peer dependencies of the plugin: they
// are loaded with dynamic import, and a missing one becomes a one-line `npm install` hint.
//
// - cpu: part of @tensorflow/tfjs.
// - wasm: @tensorflow/tfjs-backend-wasm registers itself when imported. In Node its CommonJS build
//   reads the .wasm binaries from its own dist directory; we point `setWasmPaths` there explicitly
//   (a plain path: Emscripten's Node loader reads it with fs; a file:// URL works too).
// - webgpu: Dawn through the `webgpu` npm package. tfjs-backend-webgpu registers itself at import time
//   only if `navigator.gpu` exists, so the GPU object is created first. Before that, on Linux:
//     * Dawn dlopens `libvulkan.so.1`. Debian's chromium package ships its own copy next to SwiftShader
//       (/usr/lib/chromium), so when the system has no Vulkan loader (no libvulkan1 package) that copy
//       is preloaded (RTLD_NODELETE, so it stays after Node's addon check closes it); Dawn's dlopen
//       of the soname then finds it already loaded.
//     * The Vulkan loader picks drivers by VK_ICD_FILENAMES (or VK_DRIVER_FILES), else by the
//       manifests in /etc/vulkan/icd.d, /usr/share/vulkan/icd.d, …. When neither is set, no manifest
//       exists and SwiftShader's is installed, VK_ICD_FILENAMES is set to SwiftShader before the GPU
//       is created; when manifests exist but no adapter is found, SwiftShader is tried after them.
//       Setting process.env reaches the native loader only in the main thread or in a worker started
//       with `env: SHARE_ENV`; in any other worker the variable has to be in the process environment
//       already, and the error says so.
//   The adapter is requested once here and handed to tfjs-backend-webgpu (its factory calls
//   `navigator.gpu.requestAdapter`, which returns that same adapter), so the info reported is the
//   adapter the backend runs on.
// Every backend is float32: the backend's `floatPrecision()` is checked after start.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { adapterInfo, type AdapterLike } from './adapter-info.js';
import type { AdapterInfo, BackendInfo, BackendName } from './types.js';

export type Tf = typeof import('@tensorflow/tfjs');

/** The versions the runtime is tested with; backend packages must match the TF.js they run under. */
const TESTED_TFJS = '4.22.0';
const TESTED_WEBGPU = '0.6.2';

/** Debian's chromium package: SwiftShader (Vulkan on the CPU) and the Vulkan loader it uses. */
const CHROMIUM_DIR = '/usr/lib/chromium';
const SWIFTSHADER_ICD = `${CHROMIUM_DIR}/vk_swiftshader_icd.json`;
const SWIFTSHADER_HINT = `install Debian's chromium package (apt-get install chromium) and set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} to run webgpu on SwiftShader`;

/** Thrown with a one-line message that says what is missing and the exact `npm install …` command. */
export class MissingDependencyError extends Error {
  override name = 'MissingDependencyError';
  /** The packages that are missing, each with the version to install. */
  readonly missing: { pkg: string; version: string }[];

  constructor(purpose: string, missing: { pkg: string; version: string }[]) {
    const names = missing.map((m) => m.pkg);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    super(
      `${purpose} needs ${list}, which ${names.length === 1 ? 'is' : 'are'} not installed: ` +
        `npm install --save-dev ${missing.map((m) => `${m.pkg}@${m.version}`).join(' ')}`,
    );
    this.missing = missing;
  }

  /**
   * True when `err` (from `import(pkg)` or `require(pkg)`) says that `pkg` itself cannot be found — not one of its
   * files or dependencies.
   */
  static isNotFound(err: unknown, pkg: string): boolean {
    if (!(err instanceof Error)) return false;
    const code = (err as NodeJS.ErrnoException).code;
    const message = err.message;
    const notFound =
      code === 'ERR_MODULE_NOT_FOUND' ||
      code === 'MODULE_NOT_FOUND' ||
      /Cannot find (package|module)|Failed to (load|resolve)/i.test(message);
    if (!notFound) return false;
    // "Cannot find package 'webgpu' imported from …" / "Cannot find module 'webgpu'" name the specifier in
    // quotes; a missing file inside the package ('…/node_modules/webgpu/dist/….node') or a missing
    // dependency of it ('debug') names something else.
    return [`'${pkg}'`, `"${pkg}"`, `'${pkg}/`, `"${pkg}/`].some((q) => message.includes(q));
  }

  /**
   * Maps a failed import of `pkg` to this error when the package is not installed; `undefined` for any other failure.
   */
  static fromImportError(
    err: unknown,
    pkg: string,
    version: string,
    purpose: string,
  ): MissingDependencyError | undefined {
    return MissingDependencyError.isNotFound(err, pkg)
      ? new MissingDependencyError(purpose, [{ pkg, version }])
      : undefined;
  }
}

/** Thrown when a backend cannot start (no WebGPU adapter, wasm init failed); one line saying why and what to do. */
export class BackendUnavailableError extends Error {
  override name = 'BackendUnavailableError';
}

const require = createRequire(import.meta.url);

/** Whether `pkg` resolves from this module (the runtime's own node_modules). */
function isInstalled(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch (e) {
    if (MissingDependencyError.isNotFound(e, pkg)) return false;
    throw e;
  }
}

async function importOptional<T>(pkg: string, version: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw MissingDependencyError.fromImportError(e, pkg, version, purpose) ?? e;
  }
}

const oneLine = (e: unknown): string => {
  const text =
    e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String(e.message) : String(e);
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? text
  );
};

/** Loads the runtime's TF.js (`@tensorflow/tfjs`, an optional peer dependency) with dynamic import. */
export async function loadTf(): Promise<Tf> {
  return importOptional('@tensorflow/tfjs', TESTED_TFJS, 'the vectorize runtime', () => import('@tensorflow/tfjs'));
}

/**
 * The module specifier URL that user modules' `@tensorflow/tfjs` / `@tensorflow/tfjs-core` imports must
 * be rewritten to so they share this runtime's TF.js instance (import.meta.resolve of '@tensorflow/tfjs').
 */
export function tfModuleUrl(): string {
  // import.meta.resolve is there in Node ≥ 20.6; module runners (vitest) may leave it out, and for a
  // package without an "exports" map (TF.js) the CommonJS resolution gives the same file.
  const resolve = (import.meta as { resolve?: (specifier: string) => string }).resolve;
  if (typeof resolve === 'function') {
    try {
      return resolve('@tensorflow/tfjs');
    } catch (e) {
      if (!MissingDependencyError.isNotFound(e, '@tensorflow/tfjs')) throw e;
      throw new MissingDependencyError('the vectorize runtime', [{ pkg: '@tensorflow/tfjs', version: TESTED_TFJS }]);
    }
  }
  try {
    return pathToFileURL(require.resolve('@tensorflow/tfjs')).href;
  } catch (e) {
    if (!MissingDependencyError.isNotFound(e, '@tensorflow/tfjs')) throw e;
    throw new MissingDependencyError('the vectorize runtime', [{ pkg: '@tensorflow/tfjs', version: TESTED_TFJS }]);
  }
}

/**
 * Registers (if needed) and selects the backend, waits for tf.ready(), returns BackendInfo
 * (tf.version.tfjs; for webgpu the adapter's vendor/architecture/description/device and
 * software=true when it is SwiftShader / a CPU adapter).
 */
export async function startBackend(tf: Tf, name: BackendName): Promise<BackendInfo> {
  const info: BackendInfo = { name, tfjsVersion: tf.version.tfjs };
  if (name === 'wasm') await registerWasm(tf);
  else if (name === 'webgpu') info.adapter = await registerWebGpu(tf);
  else if (name !== 'cpu')
    throw new BackendUnavailableError(`unknown backend ${JSON.stringify(name)}: use cpu, wasm or webgpu`);

  if (tf.findBackendFactory(name) == null) {
    throw new BackendUnavailableError(`${name}: the backend did not register with TF.js ${tf.version.tfjs}`);
  }
  // TF.js reports a failed backend init with console.warn and `setBackend` → false: keep the warnings
  // for the error, and pass them on if the backend starts after all.
  const warnings: unknown[][] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args);
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    ok = false;
    warnings.push([e]);
  } finally {
    console.warn = warn;
  }
  if (!ok || tf.getBackend() !== name) {
    const why = warnings
      .map((args) => args.map(oneLine).join(' '))
      .filter((l) => !/^Initialization of backend \w+ failed$/.test(l))
      .slice(0, 2)
      .join('; ');
    throw new BackendUnavailableError(
      `${name}: the backend failed to start${why ? `: ${why}` : ''}${name === 'wasm' ? ' (reinstall @tensorflow/tfjs-backend-wasm: its dist/*.wasm files must be next to its JS)' : ''}`,
    );
  }
  for (const args of warnings) warn(...args);
  // The cpu backend prints "Hi, looks like you are running TensorFlow.js in Node.js … install our node
  // backend" on its first tensor; the runtime runs the pure-JS backend on purpose.
  if (name === 'cpu') (tf.backend() as { firstUse?: boolean }).firstUse = false;

  const precision = tf.backend().floatPrecision();
  if (precision !== 32) {
    throw new BackendUnavailableError(
      `${name}: the backend computes in float${precision}, the runtime compares float32 results`,
    );
  }
  return info;
}

// --- wasm ---

async function registerWasm(tf: Tf): Promise<void> {
  const purpose = 'the wasm backend';
  const version = tf.version.tfjs || TESTED_TFJS;
  if (!isInstalled('@tensorflow/tfjs-backend-wasm')) {
    throw new MissingDependencyError(purpose, [{ pkg: '@tensorflow/tfjs-backend-wasm', version }]);
  }
  const wasm = await importOptional(
    '@tensorflow/tfjs-backend-wasm',
    version,
    purpose,
    () => import('@tensorflow/tfjs-backend-wasm'),
  );
  // Once the backend has started (or failed to) in this thread, setWasmPaths may no longer be called.
  if (tf.engine().registry.wasm == null) {
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    try {
      wasm.setWasmPaths(dist + path.sep);
    } catch {
      // "already initialized": a failed earlier attempt; setBackend reports it.
    }
  }
}

// --- webgpu ---

/** What the runtime uses of a WebGPU implementation (the `webgpu` package's GPU / GPUAdapter). */
interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<AdapterLike | null>;
  getPreferredCanvasFormat?(): string;
  wgslLanguageFeatures?: unknown;
}
/** One WebGPU setup per thread: the GPU object stays referenced (Dawn lives as long as it does). */
let webgpuSetup: Promise<AdapterInfo> | undefined;

function registerWebGpu(tf: Tf): Promise<AdapterInfo> {
  webgpuSetup ??= setUpWebGpu(tf);
  const setup = webgpuSetup;
  // A failed setup may be retried (after the user fixed the environment, in a test).
  setup.catch(() => {
    if (webgpuSetup === setup) webgpuSetup = undefined;
  });
  return setup;
}

async function setUpWebGpu(tf: Tf): Promise<AdapterInfo> {
  const purpose = 'the webgpu backend';
  const missing = [
    { pkg: '@tensorflow/tfjs-backend-webgpu', version: tf.version.tfjs || TESTED_TFJS },
    { pkg: 'webgpu', version: TESTED_WEBGPU },
  ].filter((m) => !isInstalled(m.pkg));
  if (missing.length > 0) throw new MissingDependencyError(purpose, missing);

  const linux = process.platform === 'linux';
  const loaderNote = linux ? ensureVulkanLoader() : undefined;
  const explicitIcd = process.env.VK_ICD_FILENAMES || process.env.VK_DRIVER_FILES;
  const swiftShaderThere = linux && fs.existsSync(SWIFTSHADER_ICD);
  let usingSwiftShaderFallback = false;
  if (!explicitIcd && swiftShaderThere && systemIcdManifests().length === 0) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    usingSwiftShaderFallback = true;
  }

  let dawn: { create(options: string[]): GpuLike; globals: object };
  try {
    dawn = await importOptional(
      'webgpu',
      TESTED_WEBGPU,
      purpose,
      () => import(/* optional */ webgpuSpecifier) as Promise<typeof dawn>,
    );
  } catch (e) {
    if (e instanceof MissingDependencyError) throw e;
    throw new BackendUnavailableError(
      `webgpu: the webgpu package's Dawn addon did not load on ${process.platform}-${process.arch}: ${oneLine(e)}`,
    );
  }
  // GPUBufferUsage, GPUMapMode, … are globals in a browser; tfjs-backend-webgpu reads them so.
  Object.assign(globalThis, dawn.globals);

  // tfjs-backend-webgpu asks for this preference (its flag is registered only once it is imported).
  const powerPreference = tf.env().getFlags().WEBGPU_USE_LOW_POWER_GPU === true ? 'low-power' : 'high-performance';
  let gpu = dawn.create([]);
  let adapter = await gpu.requestAdapter({ powerPreference });
  if (!adapter && !explicitIcd && !usingSwiftShaderFallback && swiftShaderThere) {
    // The system's Vulkan drivers gave no adapter: SwiftShader next.
    process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
    usingSwiftShaderFallback = true;
    gpu = dawn.create([]);
    adapter = await gpu.requestAdapter({ powerPreference });
  }
  if (!adapter)
    throw new BackendUnavailableError(
      noAdapterMessage(loaderNote, explicitIcd, usingSwiftShaderFallback, swiftShaderThere),
    );

  const info = await adapterInfo(adapter);
  installNavigatorGpu(gpu, adapter);
  if (tf.findBackendFactory('webgpu') == null) {
    const backendPkg = '@tensorflow/tfjs-backend-webgpu';
    await importOptional(
      backendPkg,
      tf.version.tfjs || TESTED_TFJS,
      purpose,
      () => import('@tensorflow/tfjs-backend-webgpu'),
    );
    if (tf.findBackendFactory('webgpu') == null) {
      throw new BackendUnavailableError(
        `webgpu: ${backendPkg} was imported before navigator.gpu was set, so it did not register; start webgpu in a fresh worker`,
      );
    }
  }
  return info;
}

/** Kept in a variable so that TypeScript does not pull the package's global WebGPU typings into the build. */
const webgpuSpecifier: string = 'webgpu';

function installNavigatorGpu(gpu: GpuLike, adapter: AdapterLike): void {
  let handedOut = false;
  const wrapper: GpuLike = {
    requestAdapter: (options) => {
      if (!handedOut) {
        handedOut = true;
        return Promise.resolve(adapter);
      }
      return gpu.requestAdapter(options);
    },
    getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat?.() ?? 'bgra8unorm',
    get wgslLanguageFeatures() {
      return gpu.wgslLanguageFeatures;
    },
  };
  const g = globalThis as { navigator?: object };
  if (g.navigator == null) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, writable: true, configurable: true, enumerable: true });
  }
  Object.defineProperty(g.navigator!, 'gpu', { value: wrapper, writable: true, configurable: true, enumerable: true });
}

// glibc and musl both: keep the library mapped after dlclose.
const RTLD_NODELETE = 0x1000;

/**
 * dlopen()s a shared library for its side effect of being loaded. `process.dlopen` then looks for a
 * Node addon in it and throws "did not self-register"; the library stays loaded (RTLD_NODELETE).
 */
function preload(file: string): true | string {
  const { RTLD_NOW, RTLD_GLOBAL } = os.constants.dlopen;
  try {
    process.dlopen({ exports: {} }, file, (RTLD_NOW ?? 2) | (RTLD_GLOBAL ?? 0x100) | RTLD_NODELETE);
    return true;
  } catch (e) {
    const message = oneLine(e);
    return /did not self-register|napi_register_module/i.test(message) ? true : message;
  }
}

/** Makes sure Dawn can load a Vulkan loader; says what is missing when none can be found. */
function ensureVulkanLoader(): string | undefined {
  if (preload('libvulkan.so.1') === true) return undefined;
  const chromiumLoader = path.join(CHROMIUM_DIR, 'libvulkan.so.1');
  if (fs.existsSync(chromiumLoader) && preload(chromiumLoader) === true) return undefined;
  return 'no Vulkan loader (libvulkan.so.1) is installed';
}

/** The Vulkan driver manifests the loader finds without VK_ICD_FILENAMES. */
function systemIcdManifests(): string[] {
  const home = os.homedir();
  const dirs = [
    ...(process.env.XDG_CONFIG_DIRS || '/etc/xdg').split(':'),
    '/etc',
    ...(process.env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':'),
    process.env.XDG_DATA_HOME || (home ? path.join(home, '.local/share') : ''),
  ].filter(Boolean);
  const found: string[] = [];
  for (const dir of new Set(dirs)) {
    const icdDir = path.join(dir, 'vulkan', 'icd.d');
    try {
      for (const f of fs.readdirSync(icdDir)) if (f.endsWith('.json')) found.push(path.join(icdDir, f));
    } catch {
      // no such directory
    }
  }
  return found;
}

function noAdapterMessage(
  loaderNote: string | undefined,
  explicitIcd: string | undefined,
  triedSwiftShader: boolean,
  swiftShaderThere: boolean,
): string {
  const head = 'webgpu: Dawn found no WebGPU adapter';
  if (process.platform !== 'linux')
    return `${head} (no Metal / D3D12 / Vulkan device); run on a machine with a GPU, or skip webgpu`;
  if (loaderNote) return `${head}: ${loaderNote}; ${SWIFTSHADER_HINT}`;
  if (explicitIcd)
    return `${head} with VK_ICD_FILENAMES=${explicitIcd}: check that the file exists and its library loads, or ${SWIFTSHADER_HINT}`;
  if (triedSwiftShader && !isMainThread) {
    return `${head} (no Vulkan driver); SwiftShader is installed but a worker thread cannot set VK_ICD_FILENAMES for Dawn: set VK_ICD_FILENAMES=${SWIFTSHADER_ICD} in the environment before starting`;
  }
  if (!swiftShaderThere) return `${head} (no Vulkan driver); ${SWIFTSHADER_HINT}`;
  return `${head}, not even SwiftShader (${SWIFTSHADER_ICD}); reinstall chromium, or set VK_ICD_FILENAMES to a working Vulkan driver`;
}
