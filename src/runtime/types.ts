// Types shared by the runtime's parts (case discovery, the worker, reports, the CLI). Plain data only:
// everything here crosses the worker-thread boundary by structured clone.

export const BACKENDS = ['cpu', 'wasm', 'webgpu', 'webgl', 'browser-webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
/** The backends that run in headless Chromium (./browser/host.ts) rather than in a Node worker process. */
export const BROWSER_BACKENDS: readonly BackendName[] = ['webgl', 'browser-webgpu'];
export const isBrowserBackend = (name: BackendName): boolean => BROWSER_BACKENDS.includes(name);

/** What a backend turned out to be once started: a reader must know whether "webgpu" was a GPU or SwiftShader. */
export interface BackendInfo {
  name: BackendName;
  /** `tf.version.tfjs` of the TF.js the runtime loaded. */
  tfjsVersion: string;
  /** webgpu, browser-webgpu: the adapter picked; webgl: the WebGL renderer (WEBGL_debug_renderer_info). */
  adapter?: AdapterInfo;
  /**
   * `backend.floatPrecision()`: 32, or 16 where WebGL cannot render to float32 textures (the comparison's tolerance
   * then widens to TF.js's 1e-1). Set for the browser backends; the Node backends are float32 or do not start.
   */
  floatPrecision?: number;
  /** The browser backends: the browser that ran them, `Chromium 156.0.8078.114`. */
  browser?: string;
}

export interface AdapterInfo {
  /** webgl: UNMASKED_VENDOR_WEBGL. */
  vendor: string;
  architecture: string;
  /** webgl: UNMASKED_RENDERER_WEBGL, e.g. `ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) …))`. */
  description: string;
  device?: string;
  /** True when the adapter is SwiftShader (a CPU emulation of a GPU): timings say nothing about a GPU. */
  software: boolean;
}

export type TensorDType = 'float32' | 'int32' | 'bool';

/** One argument of a region's function. */
export type InputSpec =
  | {
      kind: 'tensor';
      name: string;
      dtype: TensorDType;
      shape: number[];
      /** `< K`: values drawn uniformly from [0, K) (integers for int32). */
      below?: number;
      /** `= [v, …]`: fixed flat values instead of random ones. */
      values?: number[];
      /** Passed as the typed array of its values (a parameter declared `Float32Array`), not as a tensor. */
      typed?: boolean;
    }
  | { kind: 'number'; name: string; value: number }
  | { kind: 'boolean'; name: string; value: boolean };

export interface Tolerance {
  /** |actual − expected| ≤ atol + rtol·|expected| */
  atol: number;
  rtol: number;
}

/**
 * One rewrite to check: the file's module as written, and the same module with one finding's fix (or
 * first suggestion) applied. Both export `exportName`: the region the fix replaces, as a function of
 * the parameters it reads (in `inputSets` order), returning what the region returns or yields.
 */
export interface Case {
  /** `file:line` plus a counter when one line holds several loops. */
  id: string;
  /** Absolute path of the user's file. */
  file: string;
  line: number;
  column: number;
  /**
   * `fix`: an autofix; `suggest`: the first suggestion (equal on ordinary inputs, differs on a corner case its message
   * names).
   */
  kind: 'fix' | 'suggest';
  /** The rule's message for the loop. */
  message: string;
  /**
   * The fix itself, as ESLint reports it: replace `range` (offsets in the file's text as read, after a byte-order
   * mark) with `text`. `vectorize fix` applies it when the case verifies.
   */
  edit: { range: [number, number]; text: string };
  /** Transpiled ES module code (TF.js imports already bound to the runtime's TF.js). */
  originalCode: string;
  fixedCode: string;
  exportName: string;
  /** Input sets; each is run. */
  inputSets: InputSpec[][];
  tolerance: Tolerance;
  seed: number;
  /**
   * A suggestion for a loop in a function TF.js differentiates: it changes the gradients by design, so
   * the region is the whole function that runs the training step, and the check is that the rewritten
   * step runs without a throw and gives only finite numbers (its values are not compared).
   */
  gradient?: boolean;
}

/** A finding the runtime could not turn into a runnable case, and why. */
export interface SkippedCase {
  id: string;
  file: string;
  line: number;
  kind: 'fix' | 'suggest';
  reason: string;
}

export interface Mismatch {
  /** Which input set (0-based) and where in the result (`[2].values`, flat index 17). */
  inputSet: number;
  /** The input set, described (`x: float32[3, 4], k = 2`). */
  inputs?: string;
  /** A known backend bug that explains the difference (the rewrite is still reported as differing). */
  note?: string;
  path: string;
  index?: number;
  expected: string;
  actual: string;
  /** What differed: `shape`, `dtype`, `value`, `structure`, `throws`. */
  what: string;
}

export interface CaseResult {
  id: string;
  file: string;
  line: number;
  kind: 'fix' | 'suggest';
  /**
   * equal: same results on every input set. differ: a result differs, or only the rewrite throws.
   * skipped: the original itself cannot run on the inputs (they do not suit it), so nothing was compared.
   * error: the runtime failed (the worker died). timeout: the case ran past the time limit.
   */
  status: 'equal' | 'differ' | 'skipped' | 'error' | 'timeout';
  /** A gradient case (see Case.gradient): `equal` means its training step ran and gave finite numbers. */
  gradient?: boolean;
  /** differ: the first difference. skipped / error: why. */
  mismatch?: Mismatch;
  error?: string;
  /** Tensors the fixed version left alive beyond the original's (0 when none). */
  leaked?: number;
  /** bench only: medians over the timed runs, milliseconds, read-back included. */
  loopMs?: number;
  vectorMs?: number;
  /** Spread of the timed runs: (max − min) / median, per version. */
  loopSpread?: number;
  vectorSpread?: number;
  /** loopMs / vectorMs */
  speedup?: number;
}

export interface BackendRun {
  backend: BackendName;
  info?: BackendInfo;
  /** Set when the backend could not start: one line that says why and what to do. */
  unavailable?: string;
  results: CaseResult[];
}

/** The `--json` file of `vectorize bench`. */
export interface BenchJson {
  tool: string;
  date: string;
  machine: { cpus: string; cores: number; memoryGiB: number; platform: string; node: string };
  size?: number;
  backends: Record<
    string,
    {
      adapter?: AdapterInfo;
      tfjsVersion?: string;
      floatPrecision?: number;
      browser?: string;
      unavailable?: string;
      geomean: number | null;
      cases: {
        id: string;
        file: string;
        line: number;
        loopMs: number | null;
        vectorMs: number | null;
        speedup: number | null;
        equal: boolean;
      }[];
    }
  >;
}
