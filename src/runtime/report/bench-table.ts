// The table `vectorize bench` prints: per backend loop ms, vector ms, speed-up and equality per case,
// and the geometric mean over the equal cases, optionally with ANSI colours.
import type { BackendRun, CaseResult } from '../types.js';
import { formatMs, formatSpeedup, runGeomean, speedupOf } from './numbers.js';
import { displayId, infoText, ranRuns, rowsOf } from './rows.js';

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
    out.push(
      run.unavailable !== undefined
        ? `${run.backend}: unavailable: ${run.unavailable}`
        : `${run.backend}: ${infoText(run.info, run.backend)}`,
    );
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
    const values = rows.map((row) => (row.results[b] ? speedupOf(row.results[b]) : null));
    return [...values, means[b]].some((s) => s !== null && s < 1);
  });

  const groupHeads = ['loop ms', 'vector ms', 'speed-up', 'equal'];
  const header: Cell[][] = [
    [cell('case', 'left')],
    ...ran.map(() => groupHeads.map((h, i) => cell(h, i === 3 ? 'left' : 'right', 'bold'))),
  ];
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
  const widths = header.map((group, g) =>
    group.map((_, c) => Math.max(...allRows.map((row) => row[g][c].text.length))),
  );
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
  const line = (row: Cell[][]) =>
    row.map((group, g) => group.map((c, i) => render(c, widths[g][i])).join('  ')).join(' │ ');
  const rule = () => widths.map((_, g) => '─'.repeat(groupWidth(g))).join('─┼─');
  const labelLine = labels
    .map((label, g) => render(cell(label, 'left', g > 0 ? 'bold' : undefined), groupWidth(g)))
    .join(' │ ');

  out.push('', labelLine, line(header), rule());
  for (const row of body) out.push(line(row));
  out.push(rule(), line(meanRow));

  const covered = ran.map((run) => {
    const n = run.results.filter((r) => r.status === 'equal' && speedupOf(r) !== null).length;
    return `${run.backend} ${n} of ${rowsOf([run]).length}`;
  });
  out.push(
    '',
    'Speed-up = loop ms / vector ms (medians of the timed runs, read-back included).',
    'The geometric mean counts only cases that ran and were equal (✓); cases marked ✗ are left out: ' +
      `${covered.join(', ')}.`,
  );
  return out.join('\n');
}
