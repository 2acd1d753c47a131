// What `vectorize verify` prints: the summary line (how many fixes were equal, differed, were skipped
// or failed, over the backends that ran) and one detail block per difference, failure, leak or skip.
import type { BackendRun, CaseResult, SkippedCase } from '../types.js';
import { isPositiveFinite } from './numbers.js';
import { displayId, infoText, ranRuns, rowsOf } from './rows.js';

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
      r.status === 'differ'
        ? r.mismatch?.note
          ? 'known'
          : 'differ'
        : r.status === 'error' || r.status === 'timeout'
          ? 'failed'
          : r.status === 'skipped'
            ? 'skipped'
            : 'equal';
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
  const inputs = m.inputs ? ` (${m.inputs})` : '';
  const note = m.note ? `\nknown TF.js bug: ${m.note}` : '';
  const values = `expected ${m.expected}, got ${m.actual}`;
  return `first ${what}difference at ${where} in input set ${m.inputSet + 1}${inputs}: ${values}${note}`;
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
 * - gradient (equal): `src/a.ts:12 (cpu, suggestion): in a differentiated function: the training step …`
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
      else if (r.status === 'skipped')
        blocks.push(`${head}skipped: ${indentRest(r.error?.trim() || 'the original could not run')}`);
      else if (r.gradient)
        blocks.push(
          `${head}in a differentiated function: the training step with the suggestion runs and gives finite numbers (its values are not compared: the suggestion changes the gradients)`,
        );
      if (typeof r.leaked === 'number' && r.leaked > 0) {
        const n = r.leaked;
        blocks.push(
          `${head}the fixed version leaves ${n} more ${n === 1 ? 'tensor' : 'tensors'} alive than the original`,
        );
      }
    });
  }
  for (const s of skipped) {
    const kind = s.kind === 'suggest' ? 'suggestion' : 'fix';
    blocks.push(`${displayId(s, cwd)}: skipped (${kind}): ${indentRest(s.reason)}`);
  }
  return blocks;
}

/**
 * What ran, for the backends where a reader must know it to trust a verdict: the GPU (or SwiftShader) behind webgpu,
 * browser-webgpu and webgl, the browser, and the float precision that set the tolerance:
 *
 *     webgl: TF.js 4.22.0 in Chromium 156.0.8078.114, float32, renderer Google Inc. / ANGLE (…) (SwiftShader: …)
 *
 * cpu and wasm (the same everywhere) give no line.
 */
export function verifyBackendLines(runs: BackendRun[]): string[] {
  return ranRuns(runs)
    .filter((r) => r.info?.adapter || r.info?.browser)
    .map((r) => `${r.backend}: ${infoText(r.info, r.backend)}`);
}
