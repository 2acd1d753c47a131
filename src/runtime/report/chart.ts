// The speed-up chart of the bench page: an inline SVG of horizontal bars, one per case and backend, on a
// log-scale axis around a 1× line, then one bar per backend for its geometric mean.
import type { BenchJson } from '../types.js';
import { colorOf, esc } from './markup.js';
import { formatSpeedup, isPositiveFinite } from './numbers.js';

/** One case's entry in a bench document. */
export type CaseEntry = BenchJson['backends'][string]['cases'][number];

/** A case with its entry per backend that has one. */
export interface CaseRow {
  id: string;
  byBackend: Map<string, CaseEntry>;
}

/** Coordinates rounded to two decimals for the markup (keeps the SVG short and stable). */
const n4 = (x: number) => Number(x.toFixed(2));

/**
 * The chart as one `<svg>` element (see benchHtml in ./html.ts for what it shows): `rows` are the cases
 * in order, `ranNames` the backends that ran, whose geometric means `doc` holds.
 */
export function speedupChart(doc: BenchJson, ranNames: string[], rows: CaseRow[]): string {
  const speedups: number[] = [1];
  for (const row of rows)
    for (const c of row.byBackend.values()) if (isPositiveFinite(c.speedup)) speedups.push(c.speedup);
  for (const name of ranNames)
    if (isPositiveFinite(doc.backends[name].geomean)) speedups.push(doc.backends[name].geomean);
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
      const stroke = slower ? ' stroke="#c0392b"' : '';
      const opacity = equal ? '' : ' opacity="0.45"';
      const tip = `${esc(formatSpeedup(s))}${slower ? ' slower' : ''}${equal ? '' : ' (not equal)'}`;
      parts.push(
        `<rect class="${classes}" x="${n4(rx)}" y="${y}" width="${n4(w)}" height="${barH}" ` +
          `fill="${fill}"${stroke}${opacity}>` +
          `<title>${esc(title)}: ${tip}</title></rect>`,
      );
      const text = `${formatSpeedup(s)}${slower ? ' slower' : ''}${equal ? '' : ' · not equal'}`;
      // A faster bar's label follows its end; a slower bar's sits left of it unless that runs into the
      // names column, then right of the 1× line.
      const before = slower && rx - 4 - charW * text.length > labelW;
      const tx = before ? rx - 4 : Math.max(xs, x1) + 4;
      const anchor = before ? 'end' : 'start';
      parts.push(
        `<text class="value${slower ? ' slower' : ''}" x="${n4(tx)}" y="${y + barH - 3}" text-anchor="${anchor}">` +
          `${esc(text)}</text>`,
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
    `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ` +
    'aria-label="Speed-up per case and backend, log scale">' +
    `<defs><pattern id="slower" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
    `<rect width="6" height="6" fill="#f6c9c3"/><rect width="3" height="6" fill="#c0392b"/></pattern></defs>` +
    axis.join('') +
    parts.join('') +
    `</svg>`;
  return svg;
}
