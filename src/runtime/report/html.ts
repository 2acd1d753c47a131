// The HTML page of `vectorize bench`: one self-contained file with what ran, the speed-up chart
// (./chart.ts), the geometric means and the data table.
import type { BenchJson } from '../types.js';
import { speedupChart, type CaseRow } from './chart.js';
import { colorOf, esc } from './markup.js';
import { formatMs, formatSpeedup, isPositiveFinite } from './numbers.js';
import { infoText } from './rows.js';

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
  const caseRows = new Map<string, CaseRow>();
  for (const name of ranNames) {
    for (const c of doc.backends[name].cases) {
      let row = caseRows.get(c.id);
      if (!row) caseRows.set(c.id, (row = { id: c.id, byBackend: new Map() }));
      row.byBackend.set(name, c);
    }
  }
  const rows = [...caseRows.values()];

  const svg = speedupChart(doc, ranNames, rows);

  // ---- text parts
  const m = doc.machine;
  const machine = `${m.cpus}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}`;
  const ranList = names
    .map((name) => {
      const b = doc.backends[name];
      const what =
        b.unavailable !== undefined
          ? `unavailable: ${b.unavailable}`
          : infoText({ ...b, tfjsVersion: b.tfjsVersion ?? '' }, name);
      const warn = b.adapter?.software ? ' class="warn"' : '';
      const swatch = `<span class="swatch" style="background:${colorOf(name)}"></span>`;
      return `<li${warn}>${swatch}<b>${esc(name)}</b>: ${esc(what)}</li>`;
    })
    .join('');
  const meanList = ranNames
    .map((name) => {
      const g = doc.backends[name].geomean;
      const n = doc.backends[name].cases.filter((c) => c.equal && isPositiveFinite(c.speedup)).length;
      const value = g === null ? '—' : `${formatSpeedup(g)}${g < 1 ? ' slower' : ''}`;
      const note = `<span class="note">(${n} of ${doc.backends[name].cases.length} cases)</span>`;
      return `<li><b>${esc(name)}</b>: ${esc(value)} ${note}</li>`;
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
      const cls = `num${g !== null && g < 1 ? ' slower' : ''}`;
      return `<td></td><td></td><td class="${cls}"><b>${esc(text)}</b></td><td></td>`;
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
