// `eslint-plugin-vectorize/runtime`: run loops and their vectorized rewrites side by side on TF.js
// backends. Used by the `vectorize` CLI and the tests. The lint rules never import this module (the
// editor must not load TF.js); it loads TF.js and its backends, optional peer dependencies, on demand.
export { casesOfFile, FileError, REGION_EXPORT, synthesise } from './cases.js';
export { compareResults, type Comparison, type Difference } from './compare.js';
export { expandFiles } from './files.js';
export { unifiedDiff } from './diff.js';
export {
  fixFiles,
  fixFileLines,
  fixSummary,
  writeAtomic,
  type FileFix,
  type FixOptions,
  type FixOutcome,
  type LeftChange,
  type LeftReason,
} from './fix.js';
export { buildInputs, describeInputs, parseInputs, scaleInputSet } from './inputs.js';
export {
  benchHtml,
  benchJson,
  benchTable,
  geomean,
  verifyBackendLines,
  verifyDetails,
  verifySummary,
} from './report.js';
export {
  DEFAULT_BENCH_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  discover,
  runAll,
  runCases,
  type ProgressEvent,
  type RunOptions,
  type RunOutcome,
} from './run.js';
export * from './types.js';
