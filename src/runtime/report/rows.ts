// How the reports name things: case ids relative to the working directory, one row per case over the
// backends that ran, and what ran on a backend (TF.js version, webgpu adapter, WebGL renderer).
import path from 'node:path';
import type { AdapterInfo, BackendInfo, BackendRun, CaseResult } from '../types.js';

/** `file` relative to `cwd` (as is when that gives nothing, e.g. file === cwd). */
export function relativeFile(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' ? file : rel;
}

/** The case id with its file part written relative to `cwd` (`/repo/src/a.ts:12#2` → `src/a.ts:12#2`). */
export function displayId(c: { id: string; file: string; line: number }, cwd: string): string {
  const rel = relativeFile(c.file, cwd);
  if (c.id.startsWith(c.file)) return rel + c.id.slice(c.file.length);
  return c.id || `${rel}:${c.line}`;
}

/** The runs whose backend started (no `unavailable`); only their results count anywhere in this module. */
export const ranRuns = (runs: BackendRun[]): BackendRun[] => runs.filter((r) => r.unavailable === undefined);

export interface Row {
  id: string;
  file: string;
  line: number;
  kind: 'fix' | 'suggest';
  /** Per backend that ran, in the order of `runs`; undefined when the case has no result there. */
  results: (CaseResult | undefined)[];
}

/** One row per case id over the given runs, in order of first appearance. */
export function rowsOf(runs: BackendRun[]): Row[] {
  const rows = new Map<string, Row>();
  runs.forEach((run, i) => {
    for (const r of run.results) {
      let row = rows.get(r.id);
      if (!row) {
        row = { id: r.id, file: r.file, line: r.line, kind: r.kind, results: runs.map(() => undefined) };
        rows.set(r.id, row);
      }
      row.results[i] = r;
    }
  });
  return [...rows.values()];
}

/** `vendor / architecture / description` without the empty parts, plus the SwiftShader note. */
function adapterText(a: AdapterInfo): string {
  const parts = [a.vendor, a.architecture, a.description || a.device || '']
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const name = parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
  return a.software ? `${name} (SwiftShader: CPU emulation)` : name;
}

/**
 * What ran on a backend: `TF.js 4.22.0`, `TF.js 4.22.0, adapter NVIDIA / hopper / NVIDIA H200`, and for a browser
 * backend `TF.js 4.22.0 in Chromium 156.0.8078.114, float32, renderer Google Inc. (Google) / ANGLE (…)`.
 */
export function infoText(
  info: Pick<BackendInfo, 'tfjsVersion' | 'adapter' | 'floatPrecision' | 'browser'> | undefined,
  backend?: string,
): string {
  const version = info?.tfjsVersion ? `TF.js ${info.tfjsVersion}` : 'TF.js version unknown';
  const where = info?.browser ? ` in ${info.browser}` : '';
  const precision = info?.floatPrecision !== undefined ? `, float${info.floatPrecision}` : '';
  const what = backend === 'webgl' ? 'renderer' : 'adapter';
  return `${version}${where}${precision}${info?.adapter ? `, ${what} ${adapterText(info.adapter)}` : ''}`;
}
