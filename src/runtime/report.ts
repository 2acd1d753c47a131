// Turns the runtime's results into what `vectorize verify` and `vectorize bench` print or write: the
// verify summary line and its detail blocks, the bench table, the `--json` document and the HTML page.
// Pure functions of their arguments; the one exception is benchJson, which reads the machine's facts
// from node:os (and process.version) unless the caller passes them.
import os from 'node:os';
import path from 'node:path';
import type { AdapterInfo, BackendInfo, BackendRun, BenchJson, CaseResult, SkippedCase } from './types.js';

// ---------------------------------------------------------------------------------------------------
// Numbers

const isPositiveFinite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;

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
function formatSpeedup(s: number): string {
  if (s >= 100) return `${s.toFixed(0)}×`;
  if (s >= 10) return `${s.toFixed(1)}×`;
  if (s >= 1) return `${s.toFixed(2)}×`;
  const floored = Math.floor(s * 100) / 100;
  return floored > 0 ? `${floored.toFixed(2)}×` : `${Number(s.toPrecision(2))}×`;
}

/** Milliseconds with about three significant digits; `—` when missing. */
function formatMs(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  const a = Math.abs(ms);
  if (a >= 100) return ms.toFixed(0);
  if (a >= 10) return ms.toFixed(1);
  if (a >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

const finiteOrNull = (x: number | undefined): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);

// ---------------------------------------------------------------------------------------------------
// Names

/** `file` relative to `cwd` (as is when that gives nothing, e.g. file === cwd). */
function relativeFile(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' ? file : rel;
}

/** The case id with its file part written relative to `cwd` (`/repo/src/a.ts:12#2` → `src/a.ts:12#2`). */
function displayId(c: { id: string; file: string; line: number }, cwd: string): string {
  const rel = relativeFile(c.file, cwd);
  if (c.id.startsWith(c.file)) return rel + c.id.slice(c.file.length);
  return c.id || `${rel}:${c.line}`;
}

/** The runs whose backend started (no `unavailable`); only their results count anywhere in this module. */
const ranRuns = (runs: BackendRun[]): BackendRun[] => runs.filter((r) => r.unavailable === undefined);

interface Row {
  id: string;
  file: string;
  line: number;
  kind: 'fix' | 'suggest';
  /** Per backend that ran, in the order of `runs`; undefined when the case has no result there. */
  results: (CaseResult | undefined)[];
}

/** One row per case id over the given runs, in order of first appearance. */
function rowsOf(runs: BackendRun[]): Row[] {
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
  const parts = [a.vendor, a.architecture, a.description || a.device || ''].map((s) => s.trim()).filter((s) => s !== '');
  const name = parts.length > 0 ? parts.join(' / ') : 'unknown adapter';
  return a.software ? `${name} (SwiftShader: CPU emulation)` : name;
}

/** What ran on a backend: `TF.js 4.22.0`, `TF.js 4.22.0, adapter NVIDIA / hopper / NVIDIA H200`. */
function infoText(info: Pick<BackendInfo, 'tfjsVersion' | 'adapter'> | undefined): string {
  const version = info?.tfjsVersion ? `TF.js ${info.tfjsVersion}` : 'TF.js version unknown';
  return info?.adapter ? `${version}, adapter ${adapterText(info.adapter)}` : version;
}

// ---------------------------------------------------------------------------------------------------
// verify

type Verdict = 'equal' | 'differ' | 'known' | 'skipped' | 'failed';

/**
 * A case's verdict over the backends it ran on: an unexplained difference beats a failure (error or
 * timeout), which beats a difference that a known TF.js backend bug explains (`mismatch.note`), which
 * beats skipped (the original itself could not run on the inputs), which beats equal.
 */
function verdict(results: (CaseResult | undefined)[]): Verdict {
  const rank: Verdict[] = ['equal', 'skipped', 'known', 'failed', 'differ'];
  let v: Verdict = 'equal';
  for (const r of results) {
    if (!r) continue;
    const here: Verdict =
      r.status === 'differ' ? (r.mismatch?.note ? 'known' : 'differ') : r.status === 'error' || r.status === 'timeout' ? 'failed' : r.status === 'skipped' ? 'skipped' : 'equal';
    if (rank.indexOf(here) > rank.indexOf(v)) v = here;
  }
  return v;
}

/** Counts of verdicts over the cases (one per finding) plus the findings that never became cases. */
export function verifyCounts(runs: BackendRun[], skipped: SkippedCase[]): Record<Verdict, number> & { total: number } {
  const counts: Record<Verdict, number> = { equal: 0, differ: 0, known: 0, skipped: skipped.length, failed: 0 };
  for (const row of rowsOf(ranRuns(runs))) counts[verdict(row.results)]++;
  return { ...counts, total: counts.equal + counts.differ + counts.known + counts.skipped + counts.failed };
}

/**
 * The last line of `vectorize verify`:
 *
 *     verified N of M fixes on cpu, wasm: N equal, K differ, S skipped
 *     verified N of M fixes on cpu, wasm: N equal, K differ, S skipped, B differ by known TF.js backend bugs, E failed
 *     verified N of M fixes on cpu (webgpu unavailable): N equal, K differ, S skipped
 *
 * Counting rule (a "fix" is one finding's autofix or first suggestion, i.e. one case id):
 * - Only runs whose backend started count; backends that did not start are named in parentheses
 *   after the ones that did (`on no backend` when none started).
 * - M = N + K + S + B + E. A fix is combined over every backend it ran on: **equal** (N) only when
 *   equal on each; **differ** (K) when it differs on one without a known explanation; **failed** (E)
 *   when a backend gave error or timeout; **differ by known TF.js backend bugs** (B) when its only
 *   differences carry a note naming a TF.js bug on that backend (the detail lines say which);
 *   **skipped** (S): it never became a case, or the original itself threw on the inputs.
 * - `B …` and `E failed` are printed only when non-zero; `N equal, K differ, S skipped` always.
 * - Leaked tensors do not change a verdict (verifyDetails lists them).
 */
export function verifySummary(runs: BackendRun[], skipped: SkippedCase[]): string {
  const ran = ranRuns(runs);
  const counts = verifyCounts(runs, skipped);
  const names = ran.length > 0 ? ran.map((r) => r.backend).join(', ') : 'no backend';
  const down = runs.filter((r) => r.unavailable !== undefined).map((r) => r.backend);
  const where = down.length > 0 ? `${names} (${down.join(', ')} unavailable)` : names;
  const known = counts.known > 0 ? `, ${counts.known} differ by known TF.js backend bugs` : '';
  const failed = counts.failed > 0 ? `, ${counts.failed} failed` : '';
  return (
    `verified ${counts.equal} of ${counts.total} fixes on ${where}: ` +
    `${counts.equal} equal, ${counts.differ} differ, ${counts.skipped} skipped${known}${failed}`
  );
}

/** Continuation lines of a block are indented so each block reads as one item. */
const indentRest = (text: string): string => text.replace(/\r?\n/g, '\n    ');

function mismatchText(r: CaseResult): string {
  const m = r.mismatch;
  if (!m) return r.error ? `differs: ${r.error}` : 'differs';
  const target = m.path === '' ? 'the result' : m.path;
  const where = m.index !== undefined ? `[${m.index}] of ${target}` : target;
  const what = m.what ? `${m.what} ` : '';
  return `first ${what}difference at ${where} in input set ${m.inputSet + 1}${m.inputs ? ` (${m.inputs})` : ''}: expected ${m.expected}, got ${m.actual}${m.note ? `\nknown TF.js bug: ${m.note}` : ''}`;
}

/**
 * The detail blocks of `vectorize verify`, one string per block (a block has one line, or more when an
 * error message does; continuation lines are indented by four spaces). Order: the cases in order of
 * first appearance, each with its backends in the order of `runs`; then the skipped cases.
 *
 * - differ: `src/a.ts:12 (cpu): first value difference at [17] of [2].values in input set 0: expected 1.5, got 1.25`
 *   (`[index] of` only when the mismatch has an index; `the result` for an empty path; input sets 0-based)
 * - timeout: `src/a.ts:12 (wasm): timed out after 30s` (needs `opts.timeoutMs`; else `timed out`, plus
 *   `: <error>` when the result has one)
 * - error: `src/a.ts:12 (cpu): <error>`: `error` already says what threw (`original threw: msg`,
 *   `fixed threw: msg`, or why the worker died); `failed without a message` when it is missing
 * - leaks (any status): `src/a.ts:12 (cpu): the fixed version leaves 3 more tensors alive than the original`
 * - skipped: `src/a.ts:12: skipped (fix): <reason>` (`suggestion` for suggestions)
 *
 * `(cpu, suggestion)` replaces `(cpu)` for a case that checks a suggestion rather than an autofix (a
 * suggestion may legitimately differ on the corner case its message names). Case ids are shown with
 * their file relative to `cwd`. Equal cases without leaks and backends that did not start give no block.
 */
export function verifyDetails(
  runs: BackendRun[],
  skipped: SkippedCase[],
  cwd: string,
  opts: { timeoutMs?: number } = {},
): string[] {
  const ran = ranRuns(runs);
  const blocks: string[] = [];
  for (const row of rowsOf(ran)) {
    const id = displayId(row, cwd);
    row.results.forEach((r, i) => {
      if (!r) return;
      const head = `${id} (${ran[i].backend}${r.kind === 'suggest' ? ', suggestion' : ''}): `;
      if (r.status === 'differ') blocks.push(head + indentRest(mismatchText(r)));
      else if (r.status === 'timeout') {
        const t = opts.timeoutMs;
        const text = isPositiveFinite(t)
          ? `timed out after ${Number((t / 1000).toFixed(3))}s`
          : r.error
            ? `timed out: ${r.error}`
            : 'timed out';
        blocks.push(head + indentRest(text));
      } else if (r.status === 'error') blocks.push(head + indentRest(r.error?.trim() || 'failed without a message'));
      else if (r.status === 'skipped') blocks.push(`${head}skipped: ${indentRest(r.error?.trim() || 'the original could not run')}`);
      if (typeof r.leaked === 'number' && r.leaked > 0) {
        const n = r.leaked;
        blocks.push(`${head}the fixed version leaves ${n} more ${n === 1 ? 'tensor' : 'tensors'} alive than the original`);
      }
    });
  }
  for (const s of skipped) {
    const kind = s.kind === 'suggest' ? 'suggestion' : 'fix';
    blocks.push(`${displayId(s, cwd)}: skipped (${kind}): ${indentRest(s.reason)}`);
  }
  return blocks;
}

// ---------------------------------------------------------------------------------------------------
// bench table

const ANSI = { bold: '\x1b[1m', dim: '\x1b[2m', red: '\x1b[31m', green: '\x1b[32m', reset: '\x1b[0m' } as const;
type Paint = Exclude<keyof typeof ANSI, 'reset'>;

interface Cell {
  text: string;
  align: 'left' | 'right';
  paint?: Paint;
}

const cell = (text: string, align: Cell['align'] = 'right', paint?: Paint): Cell => ({ text, align, paint });

/** The text of a speed-up cell: `12.3×` or `0.80× slower`, `—` when there is none. */
function speedupCell(s: number | null, anySlower: boolean): Cell {
  // Every cell of the column gets the same suffix width so the × signs line up.
  const suffixWidth = anySlower ? ' slower'.length : 0;
  if (s === null) return cell('—'.padEnd(1 + suffixWidth), 'right', 'dim');
  const slower = s < 1;
  const text = formatSpeedup(s) + (slower ? ' slower' : '').padEnd(suffixWidth);
  return cell(text, 'right', slower ? 'red' : 'green');
}

function equalCell(r: CaseResult | undefined): Cell {
  if (!r) return cell('—', 'left', 'dim');
  if (r.status === 'equal') return cell('✓', 'left', 'green');
  if (r.status === 'differ') return cell('✗', 'left', 'red');
  return cell(`✗ ${r.status}`, 'left', 'red');
}

/**
 * The table of `vectorize bench`, as one string of lines:
 *
 *     cpu: TF.js 4.22.0
 *     webgpu: TF.js 4.22.0, adapter Google / swiftshader / SwiftShader Device (SwiftShader: CPU emulation)
 *     wasm: unavailable: <why>
 *
 *     case            │ cpu                                    │ webgpu
 *                     │ loop ms  vector ms  speed-up      equal │ …
 *     ────────────────┼────────────────────────────────────────┼──────
 *     src/a.ts:12     │   12.30       1.00  12.3×         ✓     │ …
 *     src/b.ts:4      │    1.00       1.25  0.80× slower  ✗     │ …
 *     ────────────────┼────────────────────────────────────────┼──────
 *     geometric mean  │                     12.3×               │ …
 *
 *     Speed-up = loop ms / vector ms (medians of the timed runs, read-back included). …
 *
 * - A header line per backend says what ran (TF.js version, and for webgpu the adapter with
 *   "(SwiftShader: CPU emulation)" when it is software) or why it did not start.
 * - One row per case (id with its file relative to `cwd`), in order of first appearance; one column
 *   group per backend that started. A missing timing or result shows `—`; `equal` is `✓`, `✗` (differ),
 *   `✗ error` or `✗ timeout`. Speed-ups below 1× read `… slower`.
 * - The last row is the geometric mean per backend over the cases that ran and were equal (✓) only;
 *   the footer says so and how many cases each mean covers.
 * - Without `color` (the default) the text has no escape codes and every line between the group
 *   header and the geometric-mean row (both included) has the same width. With `color: true`, minimal
 *   ANSI SGR codes (bold, dim, red, green) are added around cell texts; padding is unchanged.
 */
export function benchTable(runs: BackendRun[], cwd: string, opts: { color?: boolean } = {}): string {
  const color = opts.color === true;
  const paint = (text: string, p?: Paint) => (color && p && text !== '' ? `${ANSI[p]}${text}${ANSI.reset}` : text);

  const out: string[] = [];
  for (const run of runs) {
    out.push(run.unavailable !== undefined ? `${run.backend}: unavailable: ${run.unavailable}` : `${run.backend}: ${infoText(run.info)}`);
  }
  const ran = ranRuns(runs);
  if (ran.length === 0) {
    out.push('', 'no backend ran');
    return out.join('\n');
  }

  const rows = rowsOf(ran);
  const means = ran.map(runGeomean);
  // Per backend: does any speed-up in its column (cases or mean) read "slower"?
  const anySlower = ran.map((_, b) => {
    const values = rows.map((row) => (row.results[b] ? speedupOf(row.results[b]!) : null));
    return [...values, means[b]].some((s) => s !== null && s < 1);
  });

  const groupHeads = ['loop ms', 'vector ms', 'speed-up', 'equal'];
  const header: Cell[][] = [[cell('case', 'left')], ...ran.map(() => groupHeads.map((h, i) => cell(h, i === 3 ? 'left' : 'right', 'bold')))];
  const body: Cell[][][] = rows.map((row) => [
    [cell(displayId(row, cwd), 'left')],
    ...ran.map((_, b) => {
      const r = row.results[b];
      return [
        cell(formatMs(r?.loopMs), 'right', r?.loopMs === undefined ? 'dim' : undefined),
        cell(formatMs(r?.vectorMs), 'right', r?.vectorMs === undefined ? 'dim' : undefined),
        // A speed-up is shown for differing cases too (marked ✗); it never enters the mean.
        speedupCell(r ? speedupOf(r) : null, anySlower[b]),
        equalCell(r),
      ];
    }),
  ]);
  const meanRow: Cell[][] = [
    [cell('geometric mean', 'left', 'bold')],
    ...ran.map((_, b) => [cell(''), cell(''), speedupCell(means[b], anySlower[b]), cell('', 'left')]),
  ];

  // Column widths per group; a group is widened (first column) when its top label is longer.
  const allRows = [header, ...body, meanRow];
  const widths = header.map((group, g) => group.map((_, c) => Math.max(...allRows.map((row) => row[g][c].text.length))));
  const groupWidth = (g: number) => widths[g].reduce((a, w) => a + w, 0) + 2 * (widths[g].length - 1);
  const labels = ['', ...ran.map((r) => (r.info?.adapter?.software ? `${r.backend} (SwiftShader)` : r.backend))];
  labels.forEach((label, g) => {
    const missing = label.length - groupWidth(g);
    if (missing > 0) widths[g][0] += missing;
  });

  const render = (c: Cell, w: number) => {
    const pad = ' '.repeat(Math.max(0, w - c.text.length));
    // Trailing blanks of a cell (the speed-up column's suffix room) stay outside the colour codes.
    const text = c.text.trimEnd();
    const painted = paint(text, c.paint) + ' '.repeat(c.text.length - text.length);
    return c.align === 'right' ? pad + painted : painted + pad;
  };
  const line = (row: Cell[][]) => row.map((group, g) => group.map((c, i) => render(c, widths[g][i])).join('  ')).join(' │ ');
  const rule = () => widths.map((_, g) => '─'.repeat(groupWidth(g))).join('─┼─');
  const labelLine = labels.map((label, g) => render(cell(label, 'left', g > 0 ? 'bold' : undefined), groupWidth(g))).join(' │ ');

  out.push('', labelLine, line(header), rule());
  for (const row of body) out.push(line(row));
  out.push(rule(), line(meanRow));

  const covered = ran.map((run, b) => {
    const n = run.results.filter((r) => r.status === 'equal' && speedupOf(r) !== null).length;
    return `${run.backend} ${n} of ${rowsOf([run]).length}`;
  });
  out.push(
    '',
    'Speed-up = loop ms / vector ms (medians of the timed runs, read-back included).',
    `The geometric mean counts only cases that ran and were equal (✓); cases marked ✗ are left out: ${covered.join(', ')}.`,
  );
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// --json

/**
 * The `--json` document of `vectorize bench` ({@link BenchJson}):
 *
 *     { tool, date, machine: { cpus, cores, memoryGiB, platform, node }, size?,
 *       backends: { <name>: { adapter?, tfjsVersion?, unavailable?, geomean,
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
  const rel = (file: string) => (opts.cwd === undefined ? file : relativeFile(file, opts.cwd).split(path.sep).join('/'));
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
    if (run.unavailable !== undefined) entry.unavailable = run.unavailable;
    // Key order: adapter, tfjsVersion, unavailable, geomean, cases (readable in the written file).
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

// ---------------------------------------------------------------------------------------------------
// HTML

/** Escapes text for HTML element content and (double- or single-quoted) attribute values. */
function esc(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const BACKEND_COLORS: Record<string, string> = { cpu: '#2f6db5', wasm: '#7b4bb3', webgpu: '#2a8a4a' };
const colorOf = (name: string) => BACKEND_COLORS[name] ?? '#555';

/** Coordinates rounded to two decimals for the markup (keeps the SVG short and stable). */
const n4 = (x: number) => Number(x.toFixed(2));

/**
 * A self-contained HTML page for a bench document: inline CSS and inline SVG only, no scripts, no
 * external fonts or images, and no URL at all (the SVG is inline HTML, so it needs no xmlns).
 *
 * Contents: a title with the tool and date; the machine; what ran per backend (TF.js version, the
 * webgpu adapter with "(SwiftShader: CPU emulation)" when software, or why a backend did not start);
 * a horizontal bar chart of the speed-ups, one `<rect class="bar …">` per case × backend that has a
 * speed-up (a case without one gets the text "no timing" instead), on a log-scale axis with a 1×
 * reference line — bars grow right of the line for faster and left of it for slower, and slower bars
 * are hatched red (`bar slower`) while faster ones are solid in the backend's colour; bars of cases
 * that were not equal are faded and labelled "not equal"; then one `<rect class="mean …">` per backend
 * with its geometric mean; the geometric means listed; and the table of all cases as data. Every text
 * from the document (file names, messages, adapter strings) is escaped.
 */
export function benchHtml(doc: BenchJson): string {
  const names = Object.keys(doc.backends);
  const ranNames = names.filter((n) => doc.backends[n].unavailable === undefined);

  // Cases in order of first appearance, with each backend's entry.
  type Entry = BenchJson['backends'][string]['cases'][number];
  const caseRows = new Map<string, { id: string; byBackend: Map<string, Entry> }>();
  for (const name of ranNames) {
    for (const c of doc.backends[name].cases) {
      let row = caseRows.get(c.id);
      if (!row) caseRows.set(c.id, (row = { id: c.id, byBackend: new Map() }));
      row.byBackend.set(name, c);
    }
  }
  const rows = [...caseRows.values()];

  // ---- chart geometry
  const speedups: number[] = [1];
  for (const row of rows) for (const c of row.byBackend.values()) if (isPositiveFinite(c.speedup)) speedups.push(c.speedup);
  for (const name of ranNames) if (isPositiveFinite(doc.backends[name].geomean)) speedups.push(doc.backends[name].geomean!);
  const lo = Math.floor(Math.log10(Math.min(...speedups)) + 1e-9);
  let hi = Math.ceil(Math.log10(Math.max(...speedups)) - 1e-9);
  // 1 is among the values, so lo ≤ 0 ≤ hi; they are equal only when every speed-up is 1×.
  if (lo === hi) hi = lo + 1;
  // Left of the plot: the case names, then the backend names (12px monospace ≈ 7.3px a character).
  const charW = 7.3;
  const backendW = Math.ceil(charW * Math.max(3, ...ranNames.map((n) => n.length))) + 12;
  const meanLabel = 'geometric mean';
  const caseChars = Math.max(meanLabel.length, ...rows.map((r) => r.id.length));
  const labelW = Math.min(560, Math.ceil(charW * caseChars) + 12 + backendW);
  const maxCaseChars = Math.floor((labelW - backendW - 12) / charW);
  const plotW = 560;
  const rightPad = 110;
  const barH = 14;
  const rowGap = 4;
  const groupGap = 12;
  const top = 28;
  const width = labelW + plotW + rightPad;
  const x = (s: number) => labelW + ((Math.log10(s) - lo) / (hi - lo)) * plotW;
  const x1 = x(1);

  const ticks: number[] = [];
  for (let k = lo; k <= hi; k++) {
    for (const m of hi - lo <= 2 ? [1, 2, 5] : [1]) {
      const v = m * 10 ** k;
      if (Math.log10(v) <= hi + 1e-9) ticks.push(v);
    }
  }
  const tickLabel = (v: number) => `${Number(v.toPrecision(3))}×`;

  const parts: string[] = [];
  let y = top;
  const barRow = (name: string, s: number | null, equal: boolean, cls: 'bar' | 'mean', title: string) => {
    const color = colorOf(name);
    parts.push(`<text class="backend" x="${labelW - 8}" y="${y + barH - 3}" text-anchor="end">${esc(name)}</text>`);
    if (s === null || !isPositiveFinite(s)) {
      parts.push(`<text class="na" x="${n4(x1 + 6)}" y="${y + barH - 3}">no timing</text>`);
    } else {
      const xs = x(s);
      const slower = s < 1;
      const rx = Math.min(x1, xs);
      const w = Math.max(1, Math.abs(xs - x1));
      const fill = slower ? 'url(#slower)' : color;
      const classes = [cls, slower ? 'slower' : 'faster', equal ? '' : 'unequal'].filter(Boolean).join(' ');
      parts.push(
        `<rect class="${classes}" x="${n4(rx)}" y="${y}" width="${n4(w)}" height="${barH}" fill="${fill}"${slower ? ' stroke="#c0392b"' : ''}${equal ? '' : ' opacity="0.45"'}>` +
          `<title>${esc(title)}: ${esc(formatSpeedup(s))}${slower ? ' slower' : ''}${equal ? '' : ' (not equal)'}</title></rect>`,
      );
      const text = `${formatSpeedup(s)}${slower ? ' slower' : ''}${equal ? '' : ' · not equal'}`;
      // A faster bar's label follows its end; a slower bar's sits left of it unless that runs into the
      // names column, then right of the 1× line.
      const before = slower && rx - 4 - charW * text.length > labelW;
      const tx = before ? rx - 4 : Math.max(xs, x1) + 4;
      parts.push(
        `<text class="value${slower ? ' slower' : ''}" x="${n4(tx)}" y="${y + barH - 3}" text-anchor="${before ? 'end' : 'start'}">${esc(text)}</text>`,
      );
    }
    y += barH + rowGap;
  };

  for (const row of rows) {
    const groupTop = y;
    const present = ranNames.filter((n) => row.byBackend.has(n));
    const groupH = present.length * (barH + rowGap) - rowGap;
    const full = row.id;
    // A name too long for its column keeps its end (file name and line); the tooltip has all of it.
    const shown = full.length > maxCaseChars ? `…${full.slice(full.length - maxCaseChars + 1)}` : full;
    parts.push(
      `<text class="case" x="4" y="${n4(groupTop + groupH / 2 + 4)}"><title>${esc(full)}</title>${esc(shown)}</text>`,
    );
    for (const name of present) {
      const c = row.byBackend.get(name)!;
      barRow(name, c.speedup, c.equal, 'bar', `${full} on ${name}`);
    }
    y += groupGap - rowGap;
  }
  if (ranNames.length > 0) {
    const meanTop = y + 2;
    parts.push(`<line class="sep" x1="4" x2="${width - 4}" y1="${meanTop - 7}" y2="${meanTop - 7}"/>`);
    const groupH = ranNames.length * (barH + rowGap) - rowGap;
    parts.push(`<text class="case mean-label" x="4" y="${n4(meanTop + groupH / 2 + 4)}">${meanLabel}</text>`);
    y = meanTop;
    for (const name of ranNames) barRow(name, doc.backends[name].geomean, true, 'mean', `geometric mean on ${name}`);
  }
  const plotBottom = y;
  const height = plotBottom + 26;

  const axis: string[] = [];
  for (const t of ticks) {
    const tx = n4(x(t));
    axis.push(`<line class="grid" x1="${tx}" x2="${tx}" y1="${top - 6}" y2="${plotBottom}"/>`);
    axis.push(`<text class="tick" x="${tx}" y="${plotBottom + 16}" text-anchor="middle">${esc(tickLabel(t))}</text>`);
  }
  axis.push(`<line class="one" x1="${n4(x1)}" x2="${n4(x1)}" y1="${top - 10}" y2="${plotBottom}"/>`);
  axis.push(`<text class="tick one-label" x="${n4(x1)}" y="${top - 14}" text-anchor="middle">1× (same speed)</text>`);

  const svg =
    `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Speed-up per case and backend, log scale">` +
    `<defs><pattern id="slower" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#f6c9c3"/><rect width="3" height="6" fill="#c0392b"/></pattern></defs>` +
    axis.join('') +
    parts.join('') +
    `</svg>`;

  // ---- text parts
  const m = doc.machine;
  const machine = `${m.cpus}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}`;
  const ranList = names
    .map((name) => {
      const b = doc.backends[name];
      const what =
        b.unavailable !== undefined
          ? `unavailable: ${b.unavailable}`
          : infoText({ tfjsVersion: b.tfjsVersion ?? '', adapter: b.adapter });
      const warn = b.adapter?.software ? ' class="warn"' : '';
      return `<li${warn}><span class="swatch" style="background:${colorOf(name)}"></span><b>${esc(name)}</b>: ${esc(what)}</li>`;
    })
    .join('');
  const meanList = ranNames
    .map((name) => {
      const g = doc.backends[name].geomean;
      const n = doc.backends[name].cases.filter((c) => c.equal && isPositiveFinite(c.speedup)).length;
      const value = g === null ? '—' : `${formatSpeedup(g)}${g < 1 ? ' slower' : ''}`;
      return `<li><b>${esc(name)}</b>: ${esc(value)} <span class="note">(${n} of ${doc.backends[name].cases.length} cases)</span></li>`;
    })
    .join('');

  const th = ranNames.map((n) => `<th colspan="4" class="group">${esc(n)}</th>`).join('');
  const sub = ranNames.map(() => '<th>loop ms</th><th>vector ms</th><th>speed-up</th><th>equal</th>').join('');
  const bodyRows = rows
    .map((row) => {
      const cells = ranNames
        .map((name) => {
          const c = row.byBackend.get(name);
          if (!c) return '<td class="num">—</td><td class="num">—</td><td class="num">—</td><td>—</td>';
          const s = c.speedup;
          const speed = s === null ? '—' : `${formatSpeedup(s)}${s < 1 ? ' slower' : ''}`;
          return (
            `<td class="num">${esc(formatMs(c.loopMs))}</td><td class="num">${esc(formatMs(c.vectorMs))}</td>` +
            `<td class="num${s !== null && s < 1 ? ' slower' : ''}">${esc(speed)}</td>` +
            `<td class="${c.equal ? 'ok' : 'bad'}">${c.equal ? '✓' : '✗'}</td>`
          );
        })
        .join('');
      return `<tr><td class="id">${esc(row.id)}</td>${cells}</tr>`;
    })
    .join('\n');
  const meanCells = ranNames
    .map((name) => {
      const g = doc.backends[name].geomean;
      const text = g === null ? '—' : `${formatSpeedup(g)}${g < 1 ? ' slower' : ''}`;
      return `<td></td><td></td><td class="num${g !== null && g < 1 ? ' slower' : ''}"><b>${esc(text)}</b></td><td></td>`;
    })
    .join('');

  const title = `${doc.tool} bench — ${doc.date}`;
  const css = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d1d1f;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
ul{margin:4px 0;padding-left:20px}.note{color:#666}.warn{color:#9a5b00}
.swatch{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
svg text{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#1d1d1f}
svg .backend,svg .tick,svg .na{fill:#666}svg .value.slower{fill:#c0392b}
svg .grid{stroke:#e3e3e3}svg .one{stroke:#1d1d1f;stroke-width:1.5;stroke-dasharray:4 3}svg .sep{stroke:#bbb}
table{border-collapse:collapse;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
th,td{padding:3px 8px;border-bottom:1px solid #e3e3e3;text-align:left}th.group{border-left:1px solid #ccc}
td.num{text-align:right}td.slower{color:#c0392b}td.ok{color:#2a8a4a}td.bad{color:#c0392b}tfoot td{border-top:2px solid #999}
`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${css}</style>
</head>
<body>
<h1>${esc(title)}</h1>
<p class="note">Machine: ${esc(machine)}${doc.size !== undefined ? ` · size ${esc(doc.size)}` : ''}</p>
<h2>What ran</h2>
<ul>${ranList}</ul>
<h2>Speed-up per case (loop ms / vector ms, log scale)</h2>
${rows.length > 0 ? svg : '<p>No case ran.</p>'}
<h2>Geometric mean</h2>
<p class="note">Over the cases that ran and were equal only; cases marked ✗ are left out.</p>
<ul>${meanList}</ul>
<h2>Data</h2>
<table>
<thead><tr><th rowspan="2">case</th>${th}</tr><tr>${sub}</tr></thead>
<tbody>
${bodyRows}
</tbody>
<tfoot><tr><td>geometric mean</td>${meanCells}</tr></tfoot>
</table>
</body>
</html>
`;
}
