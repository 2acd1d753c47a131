// The `--json` document of `vectorize bench`: the machine, and per backend what ran, the geometric mean
// and every case's timings. The one impure part of the reports: it reads the machine's facts from
// node:os (and process.version) unless the caller passes them.
import os from 'node:os';
import path from 'node:path';
import type { BackendRun, BenchJson } from '../types.js';
import { finiteOrNull, runGeomean, speedupOf } from './numbers.js';
import { relativeFile } from './rows.js';

/**
 * The `--json` document of `vectorize bench` ({@link BenchJson}):
 *
 *     { tool, date, machine: { cpus, cores, memoryGiB, platform, node }, size?,
 *       backends: { <name>: { adapter?, tfjsVersion?, floatPrecision?, browser?, unavailable?, geomean,
 *                             cases: [{ id, file, line, loopMs, vectorMs, speedup, equal }] } } }
 *
 * - `date`: ISO 8601 of `opts.date` (default now). `size` only when given.
 * - `machine`: `opts.machine` when given, else read here: the first CPU's model, the number of logical
 *   CPUs, total memory in GiB (one decimal), `platform arch` (e.g. `linux x64`) and `process.version`.
 * - One entry per run, keyed by backend name; optional keys are left out (not `undefined`) when absent.
 *   `geomean` as in {@link runGeomean} (equal cases only). A case's `loopMs`/`vectorMs` are null when
 *   missing or not finite; `speedup` as in {@link speedupOf}; `equal` is `status === 'equal'`.
 * - `id` and `file` are as in the results (absolute), or relative to `opts.cwd` when it is given (with
 *   `/` separators, so the file compares across machines).
 */
export function benchJson(
  runs: BackendRun[],
  opts: { size?: number; date?: Date; tool: string; machine?: BenchJson['machine']; cwd?: string },
): BenchJson {
  const rel = (file: string) =>
    opts.cwd === undefined ? file : relativeFile(file, opts.cwd).split(path.sep).join('/');
  const backends: BenchJson['backends'] = {};
  for (const run of runs) {
    const entry: BenchJson['backends'][string] = {
      geomean: runGeomean(run),
      cases: run.results.map((r) => ({
        id: opts.cwd !== undefined && r.id.startsWith(r.file) ? rel(r.file) + r.id.slice(r.file.length) : r.id,
        file: rel(r.file),
        line: r.line,
        loopMs: finiteOrNull(r.loopMs),
        vectorMs: finiteOrNull(r.vectorMs),
        speedup: speedupOf(r),
        equal: r.status === 'equal',
      })),
    };
    if (run.info?.adapter) entry.adapter = { ...run.info.adapter };
    if (run.info?.tfjsVersion) entry.tfjsVersion = run.info.tfjsVersion;
    if (run.info?.floatPrecision !== undefined) entry.floatPrecision = run.info.floatPrecision;
    if (run.info?.browser) entry.browser = run.info.browser;
    if (run.unavailable !== undefined) entry.unavailable = run.unavailable;
    // Key order: adapter, tfjsVersion, floatPrecision, browser, unavailable, geomean, cases (readable in the
    // written file).
    const { geomean: g, cases, ...rest } = entry;
    backends[run.backend] = { ...rest, geomean: g, cases };
  }
  const doc: BenchJson = {
    tool: opts.tool,
    date: (opts.date ?? new Date()).toISOString(),
    machine: opts.machine ?? machineFacts(),
    backends,
  };
  if (opts.size !== undefined) {
    const { backends: b, ...head } = doc;
    return { ...head, size: opts.size, backends: b };
  }
  return doc;
}

function machineFacts(): BenchJson['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.arch()}`,
    node: process.version,
  };
}
