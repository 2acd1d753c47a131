// The execution harness for fixtures (STYLE.md 9): every fixture under fixtures/ declares its inputs
// and what the rule must do with it in a comment header; the harness lints it with the built plugin,
// applies the autofix or the suggestions, type-checks both versions, then runs the original and the
// fixed `run` on the same seeded tensors and compares the results and the tensor counts.
// The pieces are exported one by one so that a property-test suite can run generated programs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import ts from 'typescript';
import {
  callCountingTensors,
  collectTensors,
  type CountedCall,
  compareResults,
  disposeTensors,
  isTensor,
} from '../../src/runtime/compare.js';
import {
  buildInputs as buildInputsWith,
  DEFAULT_SEED,
  DEFAULT_TOLERANCE,
  describeInputs,
  inputSetSeed,
  mulberry32,
  parseInputs,
  parseTolerance,
} from '../../src/runtime/inputs.js';
import type { InputSpec, Tolerance } from '../../src/runtime/types.js';

export {
  collectTensors,
  compareResults,
  DEFAULT_SEED,
  DEFAULT_TOLERANCE,
  describeInputs,
  disposeTensors,
  inputSetSeed,
  isTensor,
  mulberry32,
};

type VectorizePlugin = typeof import('../../eslint-plugin.js').default;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Gitignored scratch space: transpiled modules and the virtual type-check directory live here. */
export const tmpRoot = path.join(repoRoot, 'tests/.tmp');
export const RULE_ID = 'vectorize/no-element-loop';

// ───────────────────────────── header ─────────────────────────────

export const EXPECTATIONS = ['fix', 'suggest', 'report', 'none'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];
export type { InputSpec, TensorDType, Tolerance } from '../../src/runtime/types.js';
export interface FixtureHeader {
  expect: Expectation;
  /** One entry per `// @inputs` line; each set is passed to `run` in order. */
  inputSets: InputSpec[][];
  /**
   * One entry per `// @differs` line: inputs on which the rewrite's caveat says it differs (a suggestion's
   * note, or the assumption an autofix relies on); it must (differ or throw).
   */
  differSets?: InputSpec[][];
  /**
   * `// @gradient`: the loop runs in a function TF.js differentiates, so the suggestion changes the
   * gradients by design. The fixed version must run (one training step, no throw) and give finite
   * numbers; its values are not compared with the original's.
   */
  gradient?: boolean;
  tolerance: Tolerance;
  seed: number;
}

const DIRECTIVES = ['inputs', 'differs', 'expect', 'tolerance', 'seed', 'gradient'];

/** Parses the `// @directive` lines at the top of a fixture. Throws on anything malformed. */
export function parseHeader(source: string): FixtureHeader {
  const lines = source.split(/\r?\n/);
  let expect: Expectation | undefined;
  let tolerance: Tolerance | undefined;
  let seed: number | undefined;
  let gradient = false;
  const inputSets: InputSpec[][] = [];
  const differSets: InputSpec[][] = [];
  let body = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || (i === 0 && line.startsWith('#!'))) continue;
    if (!line.startsWith('//')) {
      body = i;
      break;
    }
    const m = /^\/\/\s*@([\w-]+)(.*)$/.exec(line);
    if (!m) continue;
    const [, name, rawArg] = m;
    const arg = rawArg.trim();
    const where = `line ${i + 1}`;
    switch (name) {
      case 'inputs':
        inputSets.push(parseInputs(arg, where));
        break;
      case 'differs':
        differSets.push(parseInputs(arg, where));
        break;
      case 'expect':
        if (expect !== undefined) throw new Error(`${where}: @expect given twice`);
        if (!(EXPECTATIONS as readonly string[]).includes(arg)) {
          throw new Error(`${where}: @expect must be one of ${EXPECTATIONS.join(', ')}, got '${arg}'`);
        }
        expect = arg as Expectation;
        break;
      case 'tolerance': {
        if (tolerance !== undefined) throw new Error(`${where}: @tolerance given twice`);
        tolerance = parseTolerance(arg, where);
        break;
      }
      case 'gradient':
        gradient = true;
        break;
      case 'seed':
        if (!/^\d+$/.test(arg)) throw new Error(`${where}: @seed takes a non-negative integer, got '${arg}'`);
        seed = Number(arg) >>> 0;
        break;
      default:
        throw new Error(`${where}: unknown directive @${name} (known: ${DIRECTIVES.map((d) => '@' + d).join(', ')})`);
    }
  }
  // A directive below the header would be silently ignored; refuse it instead.
  for (let i = body; i < lines.length; i++) {
    const stray = /^\s*\/\/\s*@(inputs|differs|expect|tolerance|seed|gradient)\b/.exec(lines[i]);
    if (stray) throw new Error(`line ${i + 1}: @${stray[1]} must be in the comment header at the top of the file`);
  }
  if (expect === undefined) throw new Error(`missing '// @expect fix|suggest|report|none' header line`);
  // A rewrite that is exact agrees everywhere; only a caveat (a suggestion's note, an autofix's assumption)
  // names inputs where it differs.
  if (differSets.length > 0 && expect !== 'suggest' && expect !== 'fix')
    throw new Error(`@differs needs '@expect fix' or '@expect suggest' (there is no rewrite to differ)`);
  if (gradient && expect !== 'suggest') throw new Error(`@gradient needs '@expect suggest'`);
  return {
    expect,
    ...(gradient ? { gradient } : {}),
    ...(differSets.length > 0 ? { differSets } : {}),
    inputSets: inputSets.length > 0 ? inputSets : [[]],
    tolerance: tolerance ?? { ...DEFAULT_TOLERANCE },
    seed: seed ?? DEFAULT_SEED,
  };
}

// ───────────────────────────── inputs ─────────────────────────────

/** The runtime's input builder on this process's TF.js. */
export const buildInputs = (specs: readonly InputSpec[], seed: number): (tf.Tensor | number | boolean)[] =>
  buildInputsWith(tf, specs, seed);

// ───────────────────────────── linting ─────────────────────────────

let pluginPromise: Promise<VectorizePlugin> | undefined;

/** The built plugin (dist/index.js), imported once; warns when src/ is newer than the build. */
export function loadPlugin(): Promise<VectorizePlugin> {
  pluginPromise ??= (async () => {
    const entry = path.join(repoRoot, 'dist/index.js');
    if (!fs.existsSync(entry))
      throw new Error(`${path.relative(repoRoot, entry)} is missing: run 'npm run build' first`);
    const built = fs.statSync(entry).mtimeMs;
    const newest = newestMtime(path.join(repoRoot, 'src'));
    if (newest > built)
      console.warn(
        `[fixture harness] src/ changed after dist/ was built; run 'npm run build' to test the current rule`,
      );
    const mod = (await import(/* @vite-ignore */ pathToFileURL(entry).href)) as { default: VectorizePlugin };
    return mod.default;
  })();
  return pluginPromise;
}

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return newest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx'];
const ALL_FILES = [...TS_FILES, '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'];

export interface LintOptions {
  /** Judge and apply the messages of this rule instead of vectorize/no-element-loop (harness self-tests). */
  ruleId?: string;
  /** Extra flat-config objects appended after the harness's own (extra rules or plugins). */
  extraConfig?: Linter.Config[];
}

function lintConfig(plugin: VectorizePlugin, extra: Linter.Config[] = []): Linter.Config[] {
  return [
    {
      files: ALL_FILES,
      languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      plugins: { vectorize: plugin },
      rules: { [RULE_ID]: 'warn' },
    },
    { files: TS_FILES, languageOptions: { parser: tsParser } },
    ...extra,
  ];
}

export interface LintOutcome {
  /** The judged rule's messages on the original source. */
  messages: Linter.LintMessage[];
  /** What the rule did: 'fix' if any message has an autofix, else 'suggest' if any has a suggestion, else 'report' or 'none'. */
  observed: Expectation;
  /** What was applied to get `output`. */
  applied: 'fix' | 'suggest' | 'nothing';
  /** The source after `eslint --fix` (applied 'fix') or after applying first suggestions (applied 'suggest'); else the source. */
  output: string;
  /** Violations of the expectation and of the fix contract (parses, converges, changes something). Empty when all is well. */
  problems: string[];
}

const at = (m: Linter.LintMessage) => `${m.line}:${m.column}`;
const describeMessage = (m: Linter.LintMessage) =>
  `${at(m)} ${m.messageId ?? ''}${m.fix ? ' [autofix]' : ''}${m.suggestions?.length ? ` [${m.suggestions.length} suggestion(s)]` : ''}: ${m.message}`;

export function classifyMessages(messages: readonly Linter.LintMessage[]): Expectation {
  if (messages.some((m) => m.fix)) return 'fix';
  if (messages.some((m) => m.suggestions?.length)) return 'suggest';
  return messages.length > 0 ? 'report' : 'none';
}

/** Why `messages` do not meet `expected`, or undefined when they do. */
export function expectationProblem(expected: Expectation, messages: readonly Linter.LintMessage[]): string | undefined {
  const list = messages.map((m) => '  ' + describeMessage(m)).join('\n');
  if (expected === 'none')
    return messages.length === 0 ? undefined : `expected no report, but the rule reported:\n${list}`;
  if (messages.length === 0) {
    const want = {
      fix: 'with an autofix',
      suggest: 'with a suggestion and no autofix',
      report: 'without a fix or suggestion',
    }[expected];
    return `expected the rule to report ${want}, but it reported nothing`;
  }
  const bad = messages.filter((m) =>
    expected === 'fix'
      ? !m.fix
      : expected === 'suggest'
        ? m.fix || !m.suggestions?.length
        : m.fix || m.suggestions?.length,
  );
  if (bad.length === 0) return undefined;
  const want = {
    fix: 'an autofix',
    suggest: 'suggestions only (no autofix)',
    report: 'neither autofix nor suggestion',
  }[expected];
  return `expected every report to carry ${want}, but:\n${bad.map((m) => '  ' + describeMessage(m)).join('\n')}`;
}

export interface TextEdit {
  range: readonly [number, number];
  text: string;
}

/** Applies edits as ESLint's fixer does: by start offset, skipping any that overlaps or touches an applied one. */
export function applyFixes(
  text: string,
  edits: readonly TextEdit[],
): { output: string; applied: number; skipped: number } {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let output = '';
  let last = -Infinity;
  let applied = 0;
  for (const edit of sorted) {
    const [start, end] = edit.range;
    if (last >= start || start > end) continue;
    output += text.slice(Math.max(0, last), Math.max(0, start)) + edit.text;
    last = end;
    applied++;
  }
  output += text.slice(Math.max(0, last));
  return { output, applied, skipped: sorted.length - applied };
}

const MAX_SUGGESTION_PASSES = 20;

/**
 * Lints `source` as `filename` (relative to the repository root decides the parser: .ts → typescript-eslint),
 * checks the messages against `mode` ('auto' checks nothing and takes what the rule offers), applies the
 * autofix (`verifyAndFix`) or, when there is none, the first suggestion of one message at a time, re-linting
 * after each as a user in an editor does, until none is left,
 * and checks that the result differs, parses and converges.
 */
export async function lintFixture(
  source: string,
  filename: string,
  mode: Expectation | 'auto',
  options: LintOptions = {},
): Promise<LintOutcome> {
  const plugin = await loadPlugin();
  const ruleId = options.ruleId ?? RULE_ID;
  const config = lintConfig(plugin, options.extraConfig);
  const linter = new Linter({ cwd: repoRoot });
  const lint = (text: string) => linter.verify(text, config, { filename });
  const problems: string[] = [];

  const first = lint(source);
  const fatal = first.find((m) => m.fatal);
  if (fatal) {
    return {
      messages: [],
      observed: 'none',
      applied: 'nothing',
      output: source,
      problems: [`the original does not parse: ${at(fatal)} ${fatal.message}`],
    };
  }
  const messages = first.filter((m) => m.ruleId === ruleId);
  const observed = classifyMessages(messages);
  if (mode !== 'auto') {
    const problem = expectationProblem(mode, messages);
    if (problem) problems.push(problem);
  }

  let output = source;
  let applied: LintOutcome['applied'] = 'nothing';
  let relinted: Linter.LintMessage[] = [];
  if (observed === 'fix') {
    applied = 'fix';
    const onePass = applyFixes(
      source,
      messages.flatMap((m) => (m.fix ? [m.fix] : [])),
    ).output;
    output = linter.verifyAndFix(source, config, { filename }).output;
    relinted = lint(output);
    if (output !== onePass && !relinted.some((m) => m.fatal)) {
      problems.push(
        `the autofix does not converge in one pass: --fix changed the code again after the first pass\n--- after one pass ---\n${numbered(onePass)}`,
      );
    }
    const pending = relinted.filter((m) => m.ruleId === ruleId && m.fix);
    if (pending.length > 0) {
      problems.push(
        `the autofix does not converge: after --fix, ${pending.length} autofix(es) are still offered:\n${pending.map((m) => '  ' + describeMessage(m)).join('\n')}`,
      );
    }
  } else if (observed === 'suggest') {
    applied = 'suggest';
    let current = messages;
    for (let pass = 1; ; pass++) {
      // One at a time: a suggestion is computed on the text it is offered on (it may remove a read that
      // only its own code used, once the other calls on it are gone).
      const next = current.find((m) => m.suggestions?.length);
      output = applyFixes(output, next ? [next.suggestions![0].fix] : []).output;
      relinted = lint(output);
      if (relinted.some((m) => m.fatal)) break;
      current = relinted.filter((m) => m.ruleId === ruleId);
      if (!current.some((m) => m.suggestions?.length)) break;
      if (pass === MAX_SUGGESTION_PASSES) {
        problems.push(
          `suggestions do not converge: still offered after ${MAX_SUGGESTION_PASSES} passes:\n${current.map((m) => '  ' + describeMessage(m)).join('\n')}`,
        );
        break;
      }
    }
  }
  if (applied !== 'nothing') {
    const what = applied === 'fix' ? 'autofix' : 'suggestion';
    if (output === source) problems.push(`the ${what} leaves the source unchanged`);
    const broken = relinted.find((m) => m.fatal);
    if (broken) problems.push(`the ${what} output does not parse: ${at(broken)} ${broken.message}`);
  }
  return { messages, observed, applied, output, problems };
}

/** The text with line numbers, for failure messages. */
export function numbered(text: string): string {
  const lines = text.split('\n');
  const width = String(lines.length).length;
  return lines.map((l, i) => `${String(i + 1).padStart(width)} | ${l}`).join('\n');
}

// ───────────────────────────── type-checking ─────────────────────────────

export const TYPECHECK_OPTIONS: ts.CompilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  // Reported apart from errors: a fix must not leave dead scaffolding the original did not have.
  noUnusedLocals: true,
  // The default lib (ES2022 + DOM) gives fixtures `console` and timers; no @types/* package is pulled in.
  types: [],
};

/** TS codes of "declared but never read" diagnostics (noUnusedLocals). */
const UNUSED_CODES = new Set([6133, 6192, 6196, 6198, 6199, 6205]);

export interface TypecheckResult {
  /** `line:col TSnnnn message`, one per diagnostic. */
  errors: string[];
  /** Unused declarations (noUnusedLocals), same format. */
  unused: string[];
}

// Library files parse once per process: lib.dom.d.ts and TF.js's declarations dominate the cost.
const sourceFileCache = new Map<string, ts.SourceFile>();

/**
 * Type-checks in-memory sources in ONE program. Keys are file names (absolute, or relative to the
 * repository root); put them inside the repository so `@tensorflow/tfjs` resolves to node_modules.
 * The files need not exist on disk.
 */
export function typecheckSources(
  files: Record<string, string>,
  options: ts.CompilerOptions = TYPECHECK_OPTIONS,
): Record<string, TypecheckResult> {
  const virtual = new Map<string, string>();
  const names = new Map<string, string>();
  for (const [name, text] of Object.entries(files)) {
    const abs = path.resolve(repoRoot, name);
    virtual.set(abs, text);
    names.set(abs, name);
  }
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists(f);
  host.readFile = (f) => virtual.get(path.resolve(f)) ?? readFile(f);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path.resolve(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let sf = sourceFileCache.get(key);
    if (!sf) {
      sf = getSourceFile(fileName, languageVersion, onError, shouldCreate);
      if (sf) sourceFileCache.set(key, sf);
    }
    return sf;
  };
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options, host });
  const global = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(formatDiagnostic);
  const result: Record<string, TypecheckResult> = {};
  for (const abs of virtual.keys()) {
    const sf = program.getSourceFile(abs);
    const diags = sf ? [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)] : [];
    result[names.get(abs)!] = {
      errors: [...global, ...diags.filter((d) => !UNUSED_CODES.has(d.code)).map(formatDiagnostic)],
      unused: diags.filter((d) => UNUSED_CODES.has(d.code)).map(formatDiagnostic),
    };
  }
  return result;
}

function formatDiagnostic(d: ts.Diagnostic): string {
  const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
  if (!d.file || d.start === undefined) return `TS${d.code} ${text}`;
  const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
  return `${line + 1}:${character + 1} TS${d.code} ${text}`;
}

// ───────────────────────────── execution ─────────────────────────────

/** TS or JS source → an ES2022 ES module. Throws on syntax errors. */
export function transpileFixture(source: string, filename: string): string {
  const out = ts.transpileModule(source, {
    fileName: filename,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length > 0) throw new Error(`transpiling ${filename} failed:\n${errors.map(formatDiagnostic).join('\n')}`);
  return out.outputText;
}

let tfReady: Promise<typeof tf> | undefined;

/** Selects the cpu backend once per process; the fixtures' own `import '@tensorflow/tfjs'` shares this engine. */
export function prepareTf(): Promise<typeof tf> {
  tfReady ??= (async () => {
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  })();
  return tfReady;
}

/** What `run` returned, the tensors it left alive beyond the new ones it returned, and how long it took. */
export type ExecutionResult = CountedCall;

let moduleCounter = 0;

/**
 * Writes `jsCode` (an ES module exporting `run`) into tests/.tmp/exec/, imports it, calls
 * `run(...inputs)` and awaits it, counting tensors. Throws when the import or `run` throws.
 * Set VECTORIZE_KEEP_TMP=1 to keep the written modules for debugging.
 */
export async function executeModule(
  jsCode: string,
  inputs: readonly unknown[],
  options: { label?: string; exportName?: string } = {},
): Promise<ExecutionResult> {
  await prepareTf();
  const dir = path.join(tmpRoot, 'exec');
  fs.mkdirSync(dir, { recursive: true });
  const hash = crypto.createHash('sha1').update(jsCode).digest('hex').slice(0, 12);
  const label = (options.label ?? 'module').replace(/[^\w.-]+/g, '_');
  // A fresh name per call: the module cache must not hand back an earlier module's state.
  const file = path.join(dir, `${label}-${hash}-${process.pid}-${++moduleCounter}.mjs`);
  fs.writeFileSync(file, jsCode);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as Record<string, unknown>;
  } finally {
    if (!process.env.VECTORIZE_KEEP_TMP) fs.rmSync(file, { force: true });
  }
  const exportName = options.exportName ?? 'run';
  const run = mod[exportName];
  if (typeof run !== 'function') throw new Error(`the module does not export a function '${exportName}'`);

  return callCountingTensors(() => tf.memory().numTensors, run as (...args: unknown[]) => unknown, inputs);
}

// ───────────────────────────── whole fixtures ─────────────────────────────

/** Fixture files under `dir`: *.ts / *.js, not *.d.ts, skipping names that start with '_'. */
export function findFixtures(dir: string = path.join(repoRoot, 'fixtures')): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('_') || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findFixtures(full));
    else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

export interface FixtureCase {
  file: string;
  /** Path relative to the repository root. */
  rel: string;
  source: string;
  header?: FixtureHeader;
  headerError?: string;
  lint?: LintOutcome;
  /** Present for .ts fixtures. */
  typecheck?: { original: TypecheckResult; fixed?: TypecheckResult };
}

const isTs = (file: string) => /\.[cm]?tsx?$/.test(file);

/** Reads, parses and lints every fixture, then type-checks all originals and outputs in one program. */
export async function prepareFixtures(files: readonly string[]): Promise<FixtureCase[]> {
  const cases: FixtureCase[] = [];
  for (const file of files) {
    const rel = path.relative(repoRoot, file);
    const source = fs.readFileSync(file, 'utf8');
    const fc: FixtureCase = { file, rel, source };
    try {
      fc.header = parseHeader(source);
      fc.lint = await lintFixture(source, rel, fc.header.expect);
    } catch (error) {
      fc.headerError = `bad fixture header: ${(error as Error).message}`;
    }
    cases.push(fc);
  }
  const virtualDir = path.join(tmpRoot, 'typecheck');
  const virtualName = (fc: FixtureCase, which: 'orig' | 'fixed') =>
    path.join(virtualDir, fc.rel.replace(/\.[cm]?tsx?$/, `.${which}.ts`));
  const sources: Record<string, string> = {};
  for (const fc of cases) {
    if (!isTs(fc.file)) continue;
    sources[virtualName(fc, 'orig')] = fc.source;
    if (fc.lint && fc.lint.output !== fc.source) sources[virtualName(fc, 'fixed')] = fc.lint.output;
  }
  const checked = Object.keys(sources).length > 0 ? typecheckSources(sources) : {};
  for (const fc of cases) {
    if (!isTs(fc.file)) continue;
    fc.typecheck = { original: checked[virtualName(fc, 'orig')], fixed: checked[virtualName(fc, 'fixed')] };
  }
  return cases;
}

/**
 * Runs the original and (when given) the fixed source on every input set and returns the problems:
 * exceptions, result mismatches, and tensors the fixed version leaves beyond what the original left.
 */
export async function checkExecution(
  original: string,
  fixed: string | undefined,
  header: Pick<FixtureHeader, 'inputSets' | 'differSets' | 'tolerance' | 'seed' | 'gradient'>,
  filename: string,
  /** Whether the rule's messages name the memory of a large intermediate; undefined: no memory check. */
  memoryNoted?: boolean,
): Promise<string[]> {
  await prepareTf();
  const problems: string[] = [];
  const label = path.basename(filename).replace(/\.\w+$/, '');
  let originalJs: string;
  let fixedJs: string | undefined;
  try {
    originalJs = transpileFixture(original, filename);
  } catch (error) {
    return [`the original does not transpile: ${(error as Error).message}`];
  }
  try {
    if (fixed !== undefined) fixedJs = transpileFixture(fixed, filename);
  } catch (error) {
    problems.push(`the fixed output does not transpile: ${(error as Error).message}`);
  }
  tf.engine().startScope();
  try {
    const sets = [
      ...header.inputSets.map((specs) => ({ specs, differs: false })),
      ...(header.differSets ?? []).map((specs) => ({ specs, differs: true })),
    ];
    for (const [k, { specs, differs }] of sets.entries()) {
      const seed = inputSetSeed(header.seed, k);
      const set = `${differs ? '@differs ' : ''}input set ${k + 1} (${describeInputs(specs)})`;
      let inputs = buildInputs(specs, seed);
      let before: ExecutionResult;
      try {
        before = await executeModule(originalJs, inputs, { label: `${label}.orig` });
      } catch (error) {
        problems.push(`${set}: the original threw: ${errorText(error)}`);
        continue;
      }
      if (fixedJs === undefined) {
        disposeTensors(before.value, new Set(inputs));
        disposeTensors(inputs);
        continue;
      }
      // The original may dispose its inputs; hand the fixed version an identical fresh set then.
      if (inputs.some((t) => isTensor(t) && t.isDisposed)) {
        disposeTensors(inputs);
        inputs = buildInputs(specs, seed);
      }
      // Both versions see the same input tensors: one that writes into an input's storage (dataSync() of a
      // tensor is its own array on cpu) would change the original's result too, so check the inputs themselves.
      const originalKeepsInputs = await inputsUnchanged(inputs, specs, seed);
      let after: ExecutionResult | undefined;
      try {
        after = await executeModule(fixedJs, inputs, { label: `${label}.fixed` });
      } catch (error) {
        if (!differs) problems.push(`${set}: the fixed version threw: ${errorText(error)}`);
      }
      if (after && differs) {
        // The caveat that made this a suggestion (or the assumption of this autofix) must be real on these inputs.
        const cmp = await compareResults(before.value, after.value, header.tolerance);
        if (cmp.ok)
          problems.push(
            `${set}: expected the rewrite to differ from the original here (as its caveat says), but it agrees`,
          );
        disposeTensors(after.value, new Set(inputs));
      } else if (after && header.gradient) {
        // Under a gradient the rewrite is meant to change the numbers (it puts the value on the tape):
        // it must run the training step and give finite numbers.
        const bad = nonFinite(after.value);
        if (bad) problems.push(`${set}: the fixed version's training step gives a non-finite number (${bad})`);
        disposeTensors(after.value, new Set(inputs));
      } else if (after) {
        const cmp = await compareResults(before.value, after.value, header.tolerance);
        if (!cmp.ok) problems.push(`${set}: the fixed version's result differs from the original's:\n${cmp.message}`);
        if (originalKeepsInputs && !(await inputsUnchanged(inputs, specs, seed)))
          problems.push(`${set}: the fixed version changes the values of its input tensors, the original does not`);
        // No intermediate beyond four times the larger of the inputs and the result, unless the rule said so.
        const bound = 4 * Math.max(1, ...inputs.map(valueSize), valueSize(after.value));
        const largest = memoryNoted === false ? await largestTensor(fixedJs, inputs, label) : 0;
        if (largest > bound)
          problems.push(
            `${set}: the fixed version makes a tensor of ${largest} values, more than 4 × the larger of its inputs and its result (${bound / 4}), and the rule's messages do not say so`,
          );
        if (after.leaked > before.leaked) {
          problems.push(
            `${set}: the fixed version leaks tensors: it leaves ${after.leaked} tensor(s) alive besides its result, the original ${before.leaked}`,
          );
        }
        disposeTensors(after.value, new Set(inputs));
      }
      disposeTensors(before.value, new Set(inputs));
      disposeTensors(inputs);
    }
  } finally {
    // Whatever leaked stays inside this scope and goes now, so fixtures do not affect each other.
    tf.engine().endScope();
  }
  return problems;
}

/**
 * The most values one tensor of a run of `jsCode` holds, from tf.profile's record of each kernel's output
 * shapes (a second run: under the profiler a failing kernel throws another error than its own).
 */
async function largestTensor(jsCode: string, inputs: readonly unknown[], label: string): Promise<number> {
  let largest = 0;
  const profile = await tf.profile(async () => {
    const run = await executeModule(jsCode, inputs, { label: `${label}.profiled` });
    disposeTensors(run.value, new Set(inputs));
    return [];
  });
  for (const kernel of profile.kernels)
    for (const shape of kernel.outputShapes)
      largest = Math.max(
        largest,
        shape.reduce((a, b) => a * b, 1),
      );
  return largest;
}

/** How many numbers a value holds: a tensor's size, a typed or nested array's elements, 1 for a number. */
function valueSize(value: unknown): number {
  if (isTensor(value)) return (value as tf.Tensor).size;
  if (ArrayBuffer.isView(value)) return (value as unknown as ArrayLike<number>).length;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + valueSize(v), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + valueSize(v), 0);
  return 1;
}

/** Whether the live input tensors still hold the values the input set gives (disposed ones are not checked). */
async function inputsUnchanged(inputs: unknown[], specs: InputSpec[], seed: number): Promise<boolean> {
  const fresh = buildInputs(specs, seed);
  try {
    for (const [k, t] of inputs.entries()) {
      if (!isTensor(t) || t.isDisposed) continue;
      const cmp = await compareResults(fresh[k], t, { atol: 0, rtol: 0 });
      if (!cmp.ok) return false;
    }
    return true;
  } finally {
    disposeTensors(fresh);
  }
}

/** The first NaN or ±Infinity in a result (tensors, typed arrays, numbers, arrays and objects of those). */
function nonFinite(value: unknown): string | undefined {
  const numbers: number[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') numbers.push(v);
    else if (isTensor(v)) numbers.push(...(v as unknown as { dataSync(): Float32Array }).dataSync());
    else if (ArrayBuffer.isView(v)) numbers.push(...Array.from(v as unknown as ArrayLike<number>));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  const bad = numbers.find((n) => !Number.isFinite(n));
  return bad === undefined ? undefined : String(bad);
}

const errorText = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** All problems with one prepared fixture; empty when it passes. */
export async function checkFixture(fc: FixtureCase): Promise<string[]> {
  if (fc.headerError || !fc.header || !fc.lint) return [fc.headerError ?? 'fixture was not prepared'];
  const problems = [...fc.lint.problems];
  const changed = fc.lint.output !== fc.source;
  const fixedLabel = fc.lint.applied === 'suggest' ? 'suggested output' : 'fixed output';
  if (fc.typecheck) {
    const { original, fixed } = fc.typecheck;
    if (original.errors.length)
      problems.push(`the original does not type-check:\n${original.errors.map((e) => `  ${fc.rel}:${e}`).join('\n')}`);
    if (fixed?.errors.length) {
      problems.push(`the ${fixedLabel} does not type-check:\n${fixed.errors.map((e) => `  (fixed) ${e}`).join('\n')}`);
    }
    // Compare by message text: positions move, names of dead variables do not.
    const before = new Set(original.unused.map((u) => u.replace(/^\d+:\d+ /, '')));
    const dead = (fixed?.unused ?? []).filter((u) => !before.has(u.replace(/^\d+:\d+ /, '')));
    if (dead.length)
      problems.push(
        `the ${fixedLabel} leaves unused declarations the original did not have:\n${dead.map((d) => `  (fixed) ${d}`).join('\n')}`,
      );
  }
  const memoryNoted = fc.lint.messages.some((m) =>
    [m.message, ...(m.suggestions ?? []).map((x) => x.desc)].some((t) => /holds an intermediate of /.test(t)),
  );
  problems.push(
    ...(await checkExecution(fc.source, changed ? fc.lint.output : undefined, fc.header, fc.rel, memoryNoted)),
  );
  // Line numbers in the problems above refer to this text.
  if (problems.length > 0 && changed) problems.push(`the ${fixedLabel}:\n${numbered(fc.lint.output)}`);
  return problems;
}
