// `vectorize fix`: the codemod behind a verify gate. Each file is linted and its cases run exactly as
// `vectorize verify` does (runAll: every autofix and every first suggestion of `vectorize/no-element-loop`);
// a change is applied only when it is equal on every chosen backend. Per file, all or nothing: one
// change that differs, throws, times out, fails or is skipped when run leaves the whole file
// byte-identical. Otherwise the verified changes are applied together (the first of two overlapping
// edits wins), the result must parse again, and it replaces the file atomically (a temporary file in
// the same folder with the original's mode, renamed over it). Line endings are never touched: the
// edits come from the linter on the text as read.
import fs from 'node:fs';
import path from 'node:path';
import { parseErrorOf } from './cases.js';
import { ruleOptionsFromConfig } from './config.js';
import { runAll, type RunOptions } from './run.js';
import type { BackendRun, Case, CaseResult, SkippedCase } from './types.js';

/** Why a change (one finding's autofix or first suggestion) was not applied. */
export type LeftReason =
  | 'differs'
  | 'differs by a known TF.js backend bug'
  | 'throws'
  | 'timed out'
  | 'failed'
  | 'skipped'
  | 'not runnable'
  | 'not run'
  | 'overlaps'
  | 'held back'
  | 'does not parse'
  | 'not written'
  | 'changes gradients';

/** Reasons that leave the change's whole file unchanged (a change that did not verify). */
export const BLOCKING: readonly LeftReason[] = [
  'differs',
  'differs by a known TF.js backend bug',
  'throws',
  'timed out',
  'failed',
  'skipped',
  'not run',
];

export interface LeftChange {
  id: string;
  file: string;
  line: number;
  kind: 'fix' | 'suggest';
  reason: LeftReason;
  /** not runnable / skipped / not run: why (the runtime's words). */
  detail?: string;
}

export interface FileFix {
  file: string;
  /**
   * changed: written (or, with dryRun, would be); unchanged: nothing to apply; held: left byte-identical because a
   * change did not verify or the result did not parse; error: unreadable, syntax error, or the write failed.
   */
  status: 'changed' | 'unchanged' | 'held' | 'error';
  applied: Case[];
  left: LeftChange[];
  /** The text as read and as it is (or would be) written: status changed only. */
  before?: string;
  after?: string;
  /** status error: one line. */
  error?: string;
}

export interface FixOptions extends Omit<RunOptions, 'mode' | 'ruleOptions'> {
  /** Where ESLint looks for the user's eslint.config.* (the options of no-element-loop). */
  cwd: string;
  /** Decide and report, write nothing. */
  dryRun?: boolean;
}

export interface FixOutcome {
  files: FileFix[];
  runs: BackendRun[];
  skipped: SkippedCase[];
  /** A config that was found but could not be read (the rule's defaults were used). */
  configProblem?: string;
}

const BOM = '\uFEFF';

export async function fixFiles(options: FixOptions): Promise<FixOutcome> {
  const config = await ruleOptionsFromConfig(options.files, options.cwd);
  // The text each file had before it was linted: the edits are offsets into it, and a file that
  // changes while its cases run is not written.
  const texts = new Map<string, string>();
  for (const f of options.files) {
    try {
      texts.set(f, fs.readFileSync(f, 'utf8'));
    } catch {
      // casesOfFile reports it.
    }
  }
  const outcome = await runAll({ ...options, mode: 'verify', ruleOptions: (f) => config.options.get(f) });
  const errors = new Map(outcome.fileErrors.map((e) => [e.file, e.message]));
  const files: FileFix[] = [];
  for (const file of options.files) {
    const error = errors.get(file);
    if (error !== undefined) {
      files.push({ file, status: 'error', applied: [], left: [], error });
      continue;
    }
    const cases = outcome.cases.filter((c) => c.file === file);
    const skipped = outcome.skipped.filter((s) => s.file === file);
    files.push(await fixFile(file, texts.get(file), cases, skipped, outcome.runs, options.dryRun === true));
  }
  return {
    files,
    runs: outcome.runs,
    skipped: outcome.skipped,
    ...(config.problem ? { configProblem: config.problem } : {}),
  };
}

/** A case's verdict over the backends: undefined when equal on every one. */
function leftReason(c: Case, runs: readonly BackendRun[]): { reason: LeftReason; detail?: string } | undefined {
  if (runs.length === 0) return { reason: 'not run', detail: 'no backend' };
  const down = runs.filter((r) => r.unavailable !== undefined);
  if (down.length > 0) return { reason: 'not run', detail: `${down.map((r) => r.backend).join(', ')} unavailable` };
  const results = runs.map((r) => r.results.find((x) => x.id === c.id));
  const worst: [LeftReason, (r: CaseResult) => boolean][] = [
    ['differs', (r) => r.status === 'differ' && !r.mismatch?.note && r.mismatch?.what !== 'throws'],
    ['throws', (r) => r.status === 'differ' && !r.mismatch?.note],
    ['failed', (r) => r.status === 'error'],
    ['timed out', (r) => r.status === 'timeout'],
    ['differs by a known TF.js backend bug', (r) => r.status === 'differ'],
    ['skipped', (r) => r.status === 'skipped'],
  ];
  for (const [reason, test] of worst) {
    const hit = results.find((r) => r && test(r));
    if (hit) return { reason, ...(hit.error ? { detail: hit.error.split('\n')[0] } : {}) };
  }
  // A backend that started but stopped before this case (it could not restart).
  if (results.some((r) => r === undefined)) return { reason: 'not run', detail: 'no result' };
  return undefined;
}

async function fixFile(
  file: string,
  text: string | undefined,
  cases: Case[],
  skipped: SkippedCase[],
  runs: readonly BackendRun[],
  dryRun: boolean,
): Promise<FileFix> {
  const leave = (c: Case | SkippedCase, reason: LeftReason, detail?: string): LeftChange => ({
    id: c.id,
    file: c.file,
    line: c.line,
    kind: c.kind,
    reason,
    ...(detail ? { detail } : {}),
  });
  const left: LeftChange[] = skipped.map((s) => leave(s, 'not runnable', s.reason));
  if (cases.length === 0) return { file, status: 'unchanged', applied: [], left };
  if (text === undefined) return { file, status: 'error', applied: [], left, error: 'cannot read' };
  const verified: Case[] = [];
  for (const c of cases) {
    const why = leftReason(c, runs);
    // A suggestion in a differentiated function changes what training does: verified (its training
    // step runs and stays finite), never applied by the codemod; the editor offers it for review.
    if (c.gradient) left.push(leave(c, 'changes gradients', why ? `and its training step ${why.reason}` : undefined));
    else if (why) left.push(leave(c, why.reason, why.detail));
    else verified.push(c);
  }
  if (left.some((l) => BLOCKING.includes(l.reason))) {
    for (const c of verified) left.push(leave(c, 'held back'));
    return { file, status: 'held', applied: [], left };
  }
  // Non-overlapping edits, first (by position) wins; like ESLint, edits that touch overlap.
  const applied: Case[] = [];
  let lastEnd = -1;
  for (const c of [...verified].sort(
    (x, y) => x.edit.range[0] - y.edit.range[0] || x.edit.range[1] - y.edit.range[1],
  )) {
    if (c.edit.range[0] <= lastEnd) left.push(leave(c, 'overlaps'));
    else {
      applied.push(c);
      lastEnd = c.edit.range[1];
    }
  }
  if (applied.length === 0) return { file, status: 'unchanged', applied, left };
  // ESLint's offsets skip a byte-order mark.
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = text.slice(bom.length);
  let after = '';
  let at = 0;
  for (const c of applied) {
    after += body.slice(at, c.edit.range[0]) + c.edit.text;
    at = c.edit.range[1];
  }
  after = bom + after + body.slice(at);
  const parseError = await parseErrorOf(file, after);
  if (parseError !== undefined) {
    for (const c of applied) left.push(leave(c, 'does not parse', parseError));
    return { file, status: 'held', applied: [], left };
  }
  if (!dryRun) {
    try {
      if (fs.readFileSync(file, 'utf8') !== text) throw new Error('changed while its loops were verified');
      writeAtomic(file, after);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why =
        err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS'
          ? `the file is read-only (${err.code})`
          : (err.code ?? err.message);
      for (const c of applied) left.push(leave(c, 'not written', why));
      return { file, status: 'error', applied: [], left, error: `not written: ${why}` };
    }
  }
  return { file, status: 'changed', applied, left, before: text, after };
}

/**
 * Replaces the file (through a symbolic link, its target) with `text`: a temporary file in the same folder
 * with the original's permission bits (and owner, where allowed), renamed over it, so a reader sees the
 * old or the new file, never a part. A read-only file is refused (a rename would replace it anyway).
 */
export function writeAtomic(file: string, text: string): void {
  const target = fs.realpathSync(file);
  fs.accessSync(target, fs.constants.W_OK);
  const stat = fs.statSync(target);
  const mode = stat.mode & 0o7777;
  const tmp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.vectorize-${process.pid}-${Math.random().toString(36).slice(2, 8)}.tmp`,
  );
  try {
    fs.writeFileSync(tmp, text, { flag: 'wx', mode });
    // writeFileSync's mode passes through the umask.
    fs.chmodSync(tmp, mode);
    try {
      // Keep the owner where this process may (root, or the owner itself).
      fs.chownSync(tmp, stat.uid, stat.gid);
    } catch {
      // Another user's writable file: it becomes this user's, as with any editor that renames.
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line per file that changed, was held back or had changes left (errors are the caller's, on stderr). */
export function fixFileLines(outcome: FixOutcome, cwd: string, dryRun = false): string[] {
  const lines: string[] = [];
  for (const f of outcome.files) {
    const name = path.relative(cwd, f.file);
    const leftText = f.left.length > 0 ? `; left ${reasonCounts(f.left).join(', ')}` : '';
    if (f.status === 'changed')
      lines.push(`${name}: ${dryRun ? 'would rewrite' : 'rewrote'} ${plural(f.applied.length, 'loop')}${leftText}`);
    else if (f.status === 'held') lines.push(`${name}: left unchanged${leftText.replace(/^; left/, ':')}`);
    else if (f.status === 'unchanged' && f.left.length > 0) lines.push(`${name}: unchanged${leftText}`);
  }
  return lines;
}

function reasonCounts(left: readonly LeftChange[]): string[] {
  const counts = new Map<LeftReason, number>();
  for (const l of left) counts.set(l.reason, (counts.get(l.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`);
}

/**
 * The summary that ends `vectorize fix`:
 *
 *     files changed: 2 of 4 (1 left unchanged: a change did not verify; 1 error)
 *     loops rewritten: 3
 *     loops left: 3
 *       1 throws
 *       1 held back (another change in its file did not verify)
 *       1 not runnable: <the runtime's reason>
 *     speed-up: not measured; run `vectorize bench` on the changed files
 *
 * `not runnable`, `skipped` and `not run` are counted per distinct reason. The speed-up line gives the
 * median of the rewritten loops' measured speed-ups when the run timed them (verify mode does not).
 */
export function fixSummary(outcome: FixOutcome, dryRun = false): string[] {
  const by = (s: FileFix['status']) => outcome.files.filter((f) => f.status === s).length;
  const changed = by('changed');
  const extra = [
    by('held') > 0 ? `${by('held')} left unchanged: a change did not verify or did not parse` : '',
    by('error') > 0 ? plural(by('error'), 'error') : '',
  ].filter(Boolean);
  const applied = outcome.files.flatMap((f) => f.applied);
  const left = outcome.files.flatMap((f) => f.left);
  const lines = [
    `files ${dryRun ? 'that would change' : 'changed'}: ${changed} of ${outcome.files.length}${extra.length > 0 ? ` (${extra.join('; ')})` : ''}`,
    `loops ${dryRun ? 'that would be rewritten' : 'rewritten'}: ${applied.length}`,
    `loops left: ${left.length}`,
  ];
  const explain: Partial<Record<LeftReason, string>> = {
    overlaps: 'overlaps (its edit overlaps an earlier one in the file: run `vectorize fix` again)',
    'held back': 'held back (another change in its file did not verify)',
    'does not parse': 'file does not parse after the edits',
    'changes gradients':
      'changes gradients (a suggestion in a function TF.js differentiates: review it in the editor; `vectorize verify` runs its training step)',
  };
  const counts = new Map<string, number>();
  for (const l of left) {
    const key = ['not runnable', 'skipped', 'not run', 'does not parse', 'not written'].includes(l.reason)
      ? `${explain[l.reason] ?? l.reason}${l.detail ? `: ${l.detail}` : ''}`
      : (explain[l.reason] ?? l.reason);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1])) lines.push(`  ${n} ${key}`);
  const speedups = outcome.runs
    .flatMap((r) => r.results)
    .filter((r) => applied.some((c) => c.id === r.id) && typeof r.speedup === 'number')
    .map((r) => r.speedup!)
    .sort((a, b) => a - b);
  if (speedups.length > 0) {
    const m = speedups.length;
    const median = m % 2 ? speedups[(m - 1) / 2] : (speedups[m / 2 - 1] + speedups[m / 2]) / 2;
    lines.push(`speed-up: median ${median.toFixed(2)}× over ${plural(m, 'measured loop')}`);
  } else lines.push('speed-up: not measured; run `vectorize bench` on the changed files');
  return lines;
}
