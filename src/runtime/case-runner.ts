// Running one case: the original and the rewritten function on the same seeded inputs, compared,
// leak-checked and (bench) timed. Shared by the Node worker process (./worker.ts) and the browser page
// (./browser/page.ts), so that webgl in Chromium checks a rewrite exactly as cpu or wasm in Node do:
// nothing here touches Node or the DOM. Where the code of a case comes from (a file Node imports, a
// Blob URL in the page) is the caller's `importCode`.
import {
  callCountingTensors,
  collectTensors,
  compareResults,
  firstNonFinite,
  disposeTensors,
  isTensor,
  type CountedCall,
} from './compare.js';
import { buildInputs, describeInputs, inputSetSeed } from './inputs.js';
import type { BackendName, Case, CaseResult, InputSpec, Mismatch, Tolerance } from './types.js';

/** What the case code needs of TF.js: the runtime's `@tensorflow/tfjs` module, in Node or bundled in the page. */
export type Tf = typeof import('@tensorflow/tfjs');

export type RunFn = (...args: unknown[]) => unknown;

/** Where a case runs. */
export interface CaseHost {
  tf: Tf;
  /** The runtime's name of the backend (`browser-webgpu`) and TF.js's (`webgpu`). */
  backend: BackendName;
  tfBackend: string;
  /** Loads a case's module and returns its `__vectorizeRegion` export; throws when the module does not load. */
  importCode: (code: string, label: 'original' | 'fixed') => Promise<RunFn>;
  /** The precision the backend computes in, where the host measured it; default `tf.backend().floatPrecision()`. */
  floatPrecision?: number;
}

export const errorText = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

type Outcome = CountedCall;

/** Calls `fn`, awaits it, and counts the tensors it left alive besides the new ones it returned. */
const call = (tf: Tf, fn: RunFn, inputs: unknown[]): Promise<Outcome> =>
  callCountingTensors(() => tf.memory().numTensors, fn, inputs);

/** Reads every tensor of a result back (what a caller of either version pays for). */
async function readBack(value: unknown): Promise<void> {
  for (const t of collectTensors(value)) if (!t.isDisposed) await t.data();
}

/**
 * A TF.js bug that explains a difference on these inputs, if one is known. All were found with this
 * runtime on TF.js 4.22 (cpu gives the loop's value in each):
 * - wasm leaves the output of a reduction over an empty axis (sum, prod, mean, max, a matMul or dot
 *   with an empty inner axis) uninitialised; webgpu throws (Dawn cannot create a 0-byte buffer) or
 *   returns garbage there; webgl throws there (a reduction reshapes its input to [0 / 0, 0] = [NaN, 0];
 *   a matMul with an empty inner axis reads past its shapes);
 * - webgpu's max/min reductions skip NaN (WGSL max/min), where Math.max and cpu give NaN;
 * - webgl's division returns 1 wherever a == b, so 0 / 0 gives 1 where JS and cpu give NaN (its shader
 *   tests a == b first, so that x / x is exactly 1 on GPUs whose division is not correctly rounded);
 * - webgpu cannot read a GPU tensor synchronously in Node (dataSync/arraySync need OffscreenCanvas);
 * - webgl keeps int32 tensors in float32 textures, so an int32 value past 2^24 rounds in any op.
 * browser-webgpu is the same backend as webgpu, run by Chromium's Dawn instead of the `webgpu` package's.
 */
function knownBackendBug(
  name: BackendName,
  specs: readonly InputSpec[],
  actual: string,
  expected?: string,
): string | undefined {
  const webgpu = name === 'webgpu' || name === 'browser-webgpu';
  // An empty input, or an empty tensor the rewrite makes (a slice of a loop's bound of 0 or less),
  // which the backends' own errors name: Dawn's 0-byte buffer, webgl's [NaN, 0] reshape.
  const empty =
    specs.some((s) => s.kind === 'tensor' && s.shape.includes(0)) ||
    (webgpu && /no overload matched for createBuffer/.test(actual)) ||
    (name === 'webgl' && /The new shape \(NaN,0\) has NaN elements/.test(actual));
  if (name === 'webgpu' && /OffscreenCanvas/.test(actual))
    return "TF.js's webgpu backend cannot read a tensor synchronously in Node (dataSync/arraySync need OffscreenCanvas); the rewrite reads synchronously where the loop read an input's values";
  if (name === 'wasm' && empty)
    return "TF.js 4.22's wasm backend returns uninitialised memory for a reduction over an empty axis";
  if (webgpu && empty)
    return "TF.js 4.22's webgpu backend throws or returns garbage for a reduction over an empty axis";
  if (name === 'webgl' && empty)
    return "TF.js 4.22's webgl backend throws for a reduction, matMul or dot over an empty axis";
  if (webgpu && specs.some((s) => s.kind === 'tensor' && s.values?.some(Number.isNaN)))
    return "TF.js 4.22's webgpu backend skips NaN in max/min reductions";
  if (
    name === 'webgl' &&
    specs.some((s) => s.kind === 'tensor' && s.dtype === 'int32' && s.values?.some((v) => Math.abs(v) > 2 ** 24))
  )
    return "TF.js's webgl backend keeps int32 tensors in float32 textures: an int32 value past 2^24 rounds in any op";
  if (name === 'webgl' && expected === 'NaN' && actual === '1')
    return "TF.js 4.22's webgl backend divides 0 / 0 to 1, not NaN (its division returns 1 wherever a == b)";
  return undefined;
}

/** Timed calls per version stop at about this much time (the run count shrinks, never below 1). */
const TIME_BUDGET_MS = 3000;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function runCase(
  host: CaseHost,
  c: Case,
  mode: 'verify' | 'bench',
  warmup: number,
  runs: number,
): Promise<CaseResult> {
  const { tf, backend, tfBackend, importCode } = host;
  const base = { id: c.id, file: c.file, line: c.line, kind: c.kind, ...(c.gradient ? { gradient: true } : {}) };
  let original: RunFn;
  let fixed: RunFn;
  try {
    original = await importCode(c.originalCode, 'original');
  } catch (e) {
    return { ...base, status: 'skipped', error: `the file cannot be loaded: ${errorText(e)}` };
  }
  try {
    fixed = await importCode(c.fixedCode, 'fixed');
  } catch (e) {
    return {
      ...base,
      status: 'differ',
      mismatch: { inputSet: 0, path: 'module', what: 'throws', expected: 'the module loads', actual: errorText(e) },
    };
  }
  // A module that picks a backend when it loads (`tf.setBackend('cpu')`) must not change what this worker measures.
  if (tf.getBackend() !== tfBackend && !(await tf.setBackend(tfBackend))) {
    return {
      ...base,
      status: 'error',
      error: `the file's module switched TF.js to the '${tf.getBackend()}' backend when it loaded, and '${tfBackend}' could not be restored`,
    };
  }
  let leaked = 0;
  /** How long the original's call on the first input set took (the set bench times): a hint for time(). */
  let firstCallMs = 0;
  const fresh = (specs: InputSpec[], seed: number) => buildInputs(tf, specs, seed);
  tf.engine().startScope();
  try {
    for (const [k, specs] of c.inputSets.entries()) {
      const seed = inputSetSeed(c.seed, k);
      let inputs = fresh(specs, seed);
      let before: Outcome;
      try {
        before = await call(tf, original, inputs);
        if (k === 0) firstCallMs = before.ms;
      } catch (e) {
        // webgpu in Node cannot read a computed tensor synchronously: the original cannot run here at all.
        if (backend === 'webgpu' && /OffscreenCanvas/.test(errorText(e))) {
          const mismatch: Mismatch = {
            inputSet: k,
            inputs: describeInputs(specs),
            path: 'original',
            what: 'throws',
            expected: 'a result',
            actual: `throws: ${errorText(e)}`,
            note: "TF.js's webgpu backend cannot read a tensor synchronously in Node (dataSync/arraySync need OffscreenCanvas); the original itself reads a computed tensor synchronously, so neither version runs here",
          };
          return { ...base, status: 'differ', mismatch };
        }
        // The inputs do not suit the original: not the rewrite's fault, and nothing to compare.
        return {
          ...base,
          status: 'skipped',
          error: `the original throws on input set ${k + 1} (${describeInputs(specs)}): ${errorText(e)}; declare suitable inputs with '// @inputs' above the function`,
        };
      }
      if (inputs.some((t) => isTensor(t) && t.isDisposed)) {
        disposeTensors(inputs);
        inputs = fresh(specs, seed);
      }
      let after: Outcome;
      try {
        after = await call(tf, fixed, inputs);
      } catch (e) {
        const actual = `throws: ${errorText(e)}`;
        const note = knownBackendBug(backend, specs, actual);
        const mismatch: Mismatch = {
          inputSet: k,
          inputs: describeInputs(specs),
          path: 'result',
          what: 'throws',
          expected: 'a result',
          actual,
          ...(note ? { note } : {}),
        };
        return { ...base, status: 'differ', mismatch };
      }
      // A gradient case's suggestion changes the gradients by design: its training step must run and give
      // finite numbers, its values are not compared.
      const f = c.gradient
        ? await firstNonFinite(after.value)
        : (
            await compareResults(
              before.value,
              after.value,
              backendTolerance(host.floatPrecision ?? tf.backend().floatPrecision(), c.tolerance),
            )
          ).first;
      if (f) {
        const note = c.gradient ? undefined : knownBackendBug(backend, specs, f.actual, f.expected);
        const mismatch: Mismatch = {
          inputSet: k,
          inputs: describeInputs(specs),
          path: f.path,
          what: f.what,
          ...(f.index !== undefined ? { index: f.index } : {}),
          expected: f.expected,
          actual: f.actual,
          ...(note ? { note } : {}),
        };
        return { ...base, status: 'differ', mismatch };
      }
      leaked = Math.max(leaked, after.leaked - before.leaked);
      disposeTensors(before.value, new Set(inputs));
      disposeTensors(after.value, new Set(inputs));
      disposeTensors(inputs);
    }
    if (mode === 'verify') return { ...base, status: 'equal', leaked };
    return { ...base, status: 'equal', leaked, ...(await time(tf, original, fixed, c, warmup, runs, firstCallMs)) };
  } finally {
    tf.engine().endScope();
  }
}

/**
 * The case's tolerance on this backend. TF.js's own tests compare with 1e-3 where the backend computes
 * in float32 and 1e-1 where it computes in float16 (tfjs-core test_util testEpsilon(), from
 * backend.floatPrecision()); cpu, wasm and webgpu are float32, and so is webgl where it renders to
 * float32 textures (the page measures it: ./browser/page.ts), so a case keeps its tolerance there.
 */
function backendTolerance(precision: number, t: Tolerance): Tolerance {
  if (precision >= 32) return t;
  return { atol: Math.max(t.atol, 1e-1), rtol: Math.max(t.rtol, 1e-1) };
}

/**
 * Times both versions on the first input set: `warmup` untimed calls each, then `runs` timed calls,
 * interleaved (loop, vector, loop, …) so drift in the machine's speed hits both alike. A timed call
 * includes reading every result tensor back.
 */
async function time(
  tf: Tf,
  original: RunFn,
  fixed: RunFn,
  c: Case,
  warmup: number,
  runs: number,
  checkedMs: number,
): Promise<Partial<CaseResult>> {
  const specs = c.inputSets[0];
  const seed = inputSetSeed(c.seed, 0);
  const once = async (fn: RunFn): Promise<number> => {
    const inputs = buildInputs(tf, specs, seed);
    const start = performance.now();
    const value = await fn(...inputs);
    await readBack(value);
    const ms = performance.now() - start;
    disposeTensors(value, new Set(inputs));
    disposeTensors(inputs);
    return ms;
  };
  // A slow loop (an O(n³) product at 1024²) would take minutes at full count: each version gets about
  // TIME_BUDGET_MS of timed calls, at least one, interleaved; warm-up calls are skipped when one call is
  // that slow. A loop whose checking call (same inputs) already took longer than the whole budget is not
  // called again: that call is its one timing (its read-back, a few ms, is then left out), and only the
  // rewrite is timed.
  const loop: number[] = [];
  const vector: number[] = [];
  if (checkedMs > TIME_BUDGET_MS) {
    loop.push(checkedMs);
    do vector.push(await once(fixed));
    while (vector.length < runs && vector.reduce((a, b) => a + b, 0) < TIME_BUDGET_MS);
  } else {
    const first = await once(original);
    const slow = first > TIME_BUDGET_MS / 4;
    for (let i = 0; i < (slow ? 0 : warmup); i++) {
      await once(original);
      await once(fixed);
    }
    const count = Math.max(1, Math.min(runs, Math.floor(TIME_BUDGET_MS / Math.max(first, 1e-3))));
    for (let i = 0; i < count; i++) {
      loop.push(await once(original));
      vector.push(await once(fixed));
    }
  }
  const loopMs = median(loop);
  const vectorMs = median(vector);
  const spread = (xs: number[], m: number) => (m > 0 ? (Math.max(...xs) - Math.min(...xs)) / m : 0);
  return {
    loopMs,
    vectorMs,
    loopSpread: spread(loop, loopMs),
    vectorSpread: spread(vector, vectorMs),
    speedup: vectorMs > 0 ? loopMs / vectorMs : undefined,
  };
}
