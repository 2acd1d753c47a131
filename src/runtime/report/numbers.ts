// The numbers of the reports: the speed-up of a case, the geometric mean over a backend's equal cases,
// and how speed-ups and milliseconds are written.
import type { BackendRun, CaseResult } from '../types.js';

export const isPositiveFinite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

/**
 * Geometric mean of the positive finite numbers in `values`; every other value (0, negatives, NaN,
 * ±Infinity) is ignored. Null when no value is left.
 *
 * The bench calls it with the speed-ups of the cases that ran and were `equal` on one backend (see
 * {@link runGeomean}); a case whose rewrite is not equal to the original must not make the rewrite
 * look fast or slow.
 *
 * @example geomean([2, 8]) // ≈ 4
 * @example geomean([0, NaN, Infinity]) // null
 */
export function geomean(values: number[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!isPositiveFinite(v)) continue;
    sum += Math.log(v);
    n++;
  }
  return n === 0 ? null : Math.exp(sum / n);
}

/**
 * A case's speed-up, loop time over vector time: `result.speedup` when it is positive and finite,
 * else `loopMs / vectorMs` when both are positive and finite, else null (no timing, e.g. the case
 * threw or timed out).
 */
export function speedupOf(result: CaseResult): number | null {
  if (isPositiveFinite(result.speedup)) return result.speedup;
  if (isPositiveFinite(result.loopMs) && isPositiveFinite(result.vectorMs)) {
    const s = result.loopMs / result.vectorMs;
    return isPositiveFinite(s) ? s : null;
  }
  return null;
}

/** {@link geomean} of the speed-ups of one backend's cases whose status is `equal`; null when none has one. */
export function runGeomean(run: BackendRun): number | null {
  const values: number[] = [];
  for (const r of run.results) {
    if (r.status !== 'equal') continue;
    const s = speedupOf(r);
    if (s !== null) values.push(s);
  }
  return geomean(values);
}

/** `123×`, `12.3×`, `2.35×`, `0.80×`: three significant digits at most; below 1 rounded down so it never reads 1.00. */
export function formatSpeedup(s: number): string {
  if (s >= 100) return `${s.toFixed(0)}×`;
  if (s >= 10) return `${s.toFixed(1)}×`;
  if (s >= 1) return `${s.toFixed(2)}×`;
  const floored = Math.floor(s * 100) / 100;
  return floored > 0 ? `${floored.toFixed(2)}×` : `${Number(s.toPrecision(2))}×`;
}

/** Milliseconds with about three significant digits; `—` when missing. */
export function formatMs(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  const a = Math.abs(ms);
  if (a >= 100) return ms.toFixed(0);
  if (a >= 10) return ms.toFixed(1);
  if (a >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

export const finiteOrNull = (x: number | undefined): number | null =>
  typeof x === 'number' && Number.isFinite(x) ? x : null;
