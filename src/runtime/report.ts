// Turns the runtime's results into what `vectorize verify` and `vectorize bench` print or write, one
// concern per module under ./report/:
// - numbers.ts: speed-ups, geometric means, how numbers are written;
// - rows.ts: case ids, one row per case over the backends, what ran on a backend;
// - verify.ts: the verify summary line, its detail blocks and what ran on the GPU backends;
// - bench-table.ts: the bench table; bench-json.ts: the `--json` document;
// - html.ts: the HTML page, with its speed-up chart in chart.ts.
// Pure functions of their arguments; the one exception is benchJson, which reads the machine's facts
// from node:os (and process.version) unless the caller passes them.
export { geomean, runGeomean, speedupOf } from './report/numbers.js';
export { verifyBackendLines, verifyCounts, verifyDetails, verifySummary } from './report/verify.js';
export { benchTable } from './report/bench-table.js';
export { benchJson } from './report/bench-json.js';
export { benchHtml } from './report/html.js';
