// A line diff for `vectorize fix --dry-run`: `unifiedDiff(before, after, name)` returns a unified diff
// (`--- a/name`, `+++ b/name`, `@@ -a,b +c,d @@` hunks of ` `/`-`/`+` lines with three lines of
// context), or '' when the texts are equal; `diffHunks` the hunks alone (scripts/demo.js prints those).
// Common prefix and suffix cut first, then an LCS table on what is left.
// Lines keep their '\r' for the comparison (a CRLF → LF change is a change); it is not printed.

interface Op {
  op: ' ' | '-' | '+';
  line: string;
  aLine?: number;
  bLine?: number;
}

export function unifiedDiff(before: string, after: string, name: string, { context = 3 } = {}): string {
  if (before === after) return '';
  return [`--- a/${name}`, `+++ b/${name}`, diffHunks(before, after, { context })].join('\n');
}

/** The `@@` hunks of the line diff, joined by newlines; '' when the texts are equal. */
export function diffHunks(before: string, after: string, { context = 3 } = {}): string {
  if (before === after) return '';
  return formatHunks(diffLines(splitLines(before), splitLines(after)), context).join('\n');
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  // A trailing newline ends the last line rather than starting an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: Op[] = [];
  for (let i = 0; i < start; i++) ops.push({ op: ' ', line: a[i], aLine: i + 1, bLine: i + 1 });
  for (const o of lcsOps(a.slice(start, endA), b.slice(start, endB)))
    ops.push({
      ...o,
      aLine: o.aLine === undefined ? undefined : o.aLine + start,
      bLine: o.bLine === undefined ? undefined : o.bLine + start,
    });
  for (let i = endA, j = endB; i < a.length; i++, j++) ops.push({ op: ' ', line: a[i], aLine: i + 1, bLine: j + 1 });
  return ops;
}

function lcsOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // Too large for a quadratic table: all removed, then all added.
  if (n * m > 4_000_000)
    return [
      ...a.map((line, i): Op => ({ op: '-', line, aLine: i + 1 })),
      ...b.map((line, j): Op => ({ op: '+', line, bLine: j + 1 })),
    ];
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i], aLine: i + 1, bLine: j + 1 });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) ops.push({ op: '-', line: a[i], aLine: ++i });
    else ops.push({ op: '+', line: b[j], bLine: ++j });
  }
  for (; i < n; i++) ops.push({ op: '-', line: a[i], aLine: i + 1 });
  for (; j < m; j++) ops.push({ op: '+', line: b[j], bLine: j + 1 });
  return ops;
}

function formatHunks(ops: Op[], context: number): string[] {
  // Changed ops whose context windows touch share one hunk.
  const hunks: { start: number; end: number }[] = [];
  ops.forEach((o, k) => {
    if (o.op === ' ') return;
    const last = hunks.at(-1);
    if (last && k - last.end <= 2 * context) last.end = k;
    else hunks.push({ start: k, end: k });
  });
  const out: string[] = [];
  for (const { start, end } of hunks) {
    const from = Math.max(0, start - context);
    const slice = ops.slice(from, Math.min(ops.length - 1, end + context) + 1);
    const aLines = slice.filter((o) => o.op !== '+');
    const bLines = slice.filter((o) => o.op !== '-');
    const aStart = aLines.length ? aLines[0].aLine! : lineBefore(ops, from, 'aLine');
    const bStart = bLines.length ? bLines[0].bLine! : lineBefore(ops, from, 'bLine');
    out.push(`@@ -${aStart},${aLines.length} +${bStart},${bLines.length} @@`);
    for (const o of slice) out.push(`${o.op}${o.line.replace(/\r$/, '')}`);
  }
  return out;
}

/** For an empty side of a hunk, unified diff names the line just before it (0 at the top). */
function lineBefore(ops: Op[], index: number, key: 'aLine' | 'bLine'): number {
  for (let k = index - 1; k >= 0; k--) if (ops[k][key] !== undefined) return ops[k][key]!;
  return 0;
}
