// A compact line diff for printing fixes: `unifiedDiff(before, after)` returns unified-diff hunks
// (`@@ -a,b +c,d @@`, then ` `/`-`/`+` lines) with `context` unchanged lines around each change,
// or '' when the texts are equal. Enough for fixtures and demo output, not a general diff tool.

/** @param {string} before @param {string} after @param {{ context?: number }} [options] */
export function unifiedDiff(before, after, { context = 3 } = {}) {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  return formatHunks(ops, context);
}

function splitLines(text) {
  if (text === '') return [];
  const lines = text.split('\n');
  // A trailing newline ends the last line rather than starting an empty one.
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Edit script as a list of { op: ' ' | '-' | '+', line, aLine, bLine } (1-based line numbers).
 * Common prefix and suffix are cut first, so a fix that touches a few lines costs a few lines of
 * LCS; the middle falls back to "all removed, all added" if it is too large for a quadratic table.
 */
function diffLines(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops = [];
  for (let i = 0; i < start; i++) ops.push({ op: ' ', line: a[i], aLine: i + 1, bLine: i + 1 });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  for (const o of lcsOps(midA, midB)) {
    ops.push({
      ...o,
      aLine: o.aLine === undefined ? undefined : o.aLine + start,
      bLine: o.bLine === undefined ? undefined : o.bLine + start,
    });
  }
  for (let i = endA, j = endB; i < a.length; i++, j++) ops.push({ op: ' ', line: a[i], aLine: i + 1, bLine: j + 1 });
  return ops;
}

function lcsOps(a, b) {
  const n = a.length;
  const m = b.length;
  if (n * m > 4_000_000) {
    return [
      ...a.map((line, i) => ({ op: '-', line, aLine: i + 1 })),
      ...b.map((line, j) => ({ op: '+', line, bLine: j + 1 })),
    ];
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i], aLine: i + 1, bLine: j + 1 });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      ops.push({ op: '-', line: a[i], aLine: i + 1 });
      i++;
    } else {
      ops.push({ op: '+', line: b[j], bLine: j + 1 });
      j++;
    }
  }
  for (; i < n; i++) ops.push({ op: '-', line: a[i], aLine: i + 1 });
  for (; j < m; j++) ops.push({ op: '+', line: b[j], bLine: j + 1 });
  return ops;
}

function formatHunks(ops, context) {
  // Group changed ops whose surrounding context windows touch into one hunk.
  const changed = ops.map((o, k) => (o.op === ' ' ? -1 : k)).filter((k) => k >= 0);
  const hunks = [];
  for (const k of changed) {
    const last = hunks[hunks.length - 1];
    if (last && k - last.end <= 2 * context) last.end = k;
    else hunks.push({ start: k, end: k });
  }
  const out = [];
  for (const { start, end } of hunks) {
    const from = Math.max(0, start - context);
    const to = Math.min(ops.length - 1, end + context);
    const slice = ops.slice(from, to + 1);
    const aLines = slice.filter((o) => o.op !== '+');
    const bLines = slice.filter((o) => o.op !== '-');
    const aStart = aLines.length ? aLines[0].aLine : lineBefore(ops, from, 'aLine');
    const bStart = bLines.length ? bLines[0].bLine : lineBefore(ops, from, 'bLine');
    out.push(`@@ -${aStart},${aLines.length} +${bStart},${bLines.length} @@`);
    for (const o of slice) out.push(`${o.op}${o.line}`);
  }
  return out.join('\n');
}

// For an empty side of a hunk, unified diff names the line just before it (0 at the top).
function lineBefore(ops, index, key) {
  for (let k = index - 1; k >= 0; k--) if (ops[k][key] !== undefined) return ops[k][key];
  return 0;
}
