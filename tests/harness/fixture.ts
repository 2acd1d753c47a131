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

type VectorizePlugin = typeof import('../../eslint-plugin.js').default;

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Gitignored scratch space: transpiled modules and the virtual type-check directory live here. */
export const tmpRoot = path.join(repoRoot, 'tests/.tmp');
export const RULE_ID = 'vectorize/no-element-loop';

// ───────────────────────────── header ─────────────────────────────

export const EXPECTATIONS = ['fix', 'suggest', 'report', 'none'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];
export type TensorDType = 'float32' | 'int32' | 'bool';

export type InputSpec =
  | {
      kind: 'tensor';
      name: string;
      dtype: TensorDType;
      shape: number[];
      /** `< K`: values drawn uniformly from [0, K) (integers for int32). */
      below?: number;
      /** `= [v, …]`: fixed flat values instead of random ones. */
      values?: number[];
    }
  | { kind: 'number'; name: string; value: number };

export interface Tolerance {
  atol: number;
  rtol: number;
}

export interface FixtureHeader {
  expect: Expectation;
  /** One entry per `// @inputs` line; each set is passed to `run` in order. */
  inputSets: InputSpec[][];
  /** One entry per `// @differs` line: inputs on which a suggestion's caveat says the rewrite differs; it must (differ or throw). */
  differSets?: InputSpec[][];
  tolerance: Tolerance;
  seed: number;
}

export const DEFAULT_TOLERANCE: Readonly<Tolerance> = { atol: 1e-3, rtol: 1e-3 };
export const DEFAULT_SEED = 0x5eed;
const DIRECTIVES = ['inputs', 'differs', 'expect', 'tolerance', 'seed'];

/** Parses the `// @directive` lines at the top of a fixture. Throws on anything malformed. */
export function parseHeader(source: string): FixtureHeader {
  const lines = source.split(/\r?\n/);
  let expect: Expectation | undefined;
  let tolerance: Tolerance | undefined;
  let seed: number | undefined;
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
        const parts = arg.split(/\s+/).map(Number);
        if (parts.length < 1 || parts.length > 2 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
          throw new Error(`${where}: @tolerance takes one or two non-negative numbers (absolute [relative]), got '${arg}'`);
        }
        tolerance = { atol: parts[0], rtol: parts[1] ?? parts[0] };
        break;
      }
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
    const stray = /^\s*\/\/\s*@(inputs|differs|expect|tolerance|seed)\b/.exec(lines[i]);
    if (stray) throw new Error(`line ${i + 1}: @${stray[1]} must be in the comment header at the top of the file`);
  }
  if (expect === undefined) throw new Error(`missing '// @expect fix|suggest|report|none' header line`);
  // An autofix must agree everywhere; only a suggestion's caveat names inputs where it differs.
  if (differSets.length > 0 && expect !== 'suggest') throw new Error(`@differs needs '@expect suggest' (an autofix must agree on every input)`);
  return {
    expect,
    ...(differSets.length > 0 ? { differSets } : {}),
    inputSets: inputSets.length > 0 ? inputSets : [[]],
    tolerance: tolerance ?? { ...DEFAULT_TOLERANCE },
    seed: seed ?? DEFAULT_SEED,
  };
}

/** Splits at commas that are not inside brackets. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseNumber(text: string, where: string): number {
  const t = text.trim();
  const special: Record<string, number> = { NaN: NaN, Infinity: Infinity, '+Infinity': Infinity, '-Infinity': -Infinity };
  if (t in special) return special[t];
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) throw new Error(`${where}: '${t}' is not a number`);
  return Number(t);
}

function parseInputs(arg: string, where: string): InputSpec[] {
  const specs: InputSpec[] = [];
  for (const item of splitTopLevel(arg)) {
    const num = /^([A-Za-z_$][\w$]*)\s*:\s*number\s*=\s*(\S+)$/.exec(item);
    if (num) {
      specs.push({ kind: 'number', name: num[1], value: parseNumber(num[2], where) });
      continue;
    }
    const ten = /^([A-Za-z_$][\w$]*)\s*:\s*(float32|int32|bool)\s*\[([^\]]*)\]\s*(?:<\s*([^=\s]+))?\s*(?:=\s*\[(.*)\])?$/.exec(item);
    if (!ten) {
      throw new Error(
        `${where}: cannot read input '${item}'; expected 'name: float32|int32|bool[d0, d1, …]' with an optional '< K' or '= [values]', or 'name: number = 3'`,
      );
    }
    const [, name, dtype, dimText, belowText, valuesText] = ten;
    const shape = dimText.trim() === '' ? [] : dimText.split(',').map((d) => d.trim());
    if (shape.some((d) => !/^\d+$/.test(d))) throw new Error(`${where}: input ${name} has dims [${dimText}]; dims must be non-negative integers`);
    const spec: InputSpec = { kind: 'tensor', name, dtype: dtype as TensorDType, shape: shape.map(Number) };
    if (belowText !== undefined) {
      const below = parseNumber(belowText, where);
      if (dtype === 'bool' || !(below > 0) || !Number.isFinite(below) || (dtype === 'int32' && !Number.isInteger(below))) {
        throw new Error(`${where}: input ${name}: '< ${belowText}' needs a positive bound (an integer for int32, none for bool)`);
      }
      spec.below = below;
    }
    if (valuesText !== undefined) {
      const values = splitTopLevel(valuesText).map((v) => parseNumber(v, where));
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (values.length !== size) throw new Error(`${where}: input ${name} has ${values.length} values for shape [${spec.shape.join(', ')}] (${size} elements)`);
      spec.values = values;
    }
    specs.push(spec);
  }
  const names = specs.map((s) => s.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`${where}: input '${dup}' is declared twice`);
  return specs;
}

export function describeInputs(specs: readonly InputSpec[]): string {
  if (specs.length === 0) return '(no inputs)';
  return specs
    .map((s) =>
      s.kind === 'number'
        ? `${s.name} = ${s.value}`
        : `${s.name}: ${s.dtype}[${s.shape.join(', ')}]${s.below !== undefined ? ` < ${s.below}` : ''}${s.values ? ' = […]' : ''}`,
    )
    .join(', ');
}

// ───────────────────────────── inputs ─────────────────────────────

/** mulberry32: a tiny deterministic PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of the `index`-th input set of a fixture whose header seed is `seed`. */
export const inputSetSeed = (seed: number, index: number) => (seed + Math.imul(index, 0x9e3779b9)) >>> 0;

/**
 * Builds the values a spec list describes: tensors (floats uniform in [-2, 2], int32 uniform in
 * [-8, 8], `< K` uniform in [0, K), bool fair coins) and plain numbers. The same seed gives the same values.
 */
export function buildInputs(specs: readonly InputSpec[], seed: number): (tf.Tensor | number)[] {
  const rng = mulberry32(seed);
  return specs.map((spec) => {
    if (spec.kind === 'number') return spec.value;
    const size = spec.shape.reduce((a, b) => a * b, 1);
    let values: number[];
    if (spec.values) values = spec.values;
    else if (spec.dtype === 'bool') values = Array.from({ length: size }, () => (rng() < 0.5 ? 1 : 0));
    else if (spec.dtype === 'int32') values = Array.from({ length: size }, () => (spec.below !== undefined ? Math.floor(rng() * spec.below) : Math.floor(rng() * 17) - 8));
    else values = Array.from({ length: size }, () => (spec.below !== undefined ? rng() * spec.below : rng() * 4 - 2));
    if (spec.dtype === 'bool') return tf.tensor(values.map((v) => v !== 0), spec.shape, 'bool');
    return tf.tensor(values, spec.shape, spec.dtype);
  });
}

// ───────────────────────────── linting ─────────────────────────────

let pluginPromise: Promise<VectorizePlugin> | undefined;

/** The built plugin (dist/index.js), imported once; warns when src/ is newer than the build. */
export function loadPlugin(): Promise<VectorizePlugin> {
  pluginPromise ??= (async () => {
    const entry = path.join(repoRoot, 'dist/index.js');
    if (!fs.existsSync(entry)) throw new Error(`${path.relative(repoRoot, entry)} is missing: run 'npm run build' first`);
    const built = fs.statSync(entry).mtimeMs;
    const newest = newestMtime(path.join(repoRoot, 'src'));
    if (newest > built) console.warn(`[fixture harness] src/ changed after dist/ was built; run 'npm run build' to test the current rule`);
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
  if (expected === 'none') return messages.length === 0 ? undefined : `expected no report, but the rule reported:\n${list}`;
  if (messages.length === 0) {
    const want = { fix: 'with an autofix', suggest: 'with a suggestion and no autofix', report: 'without a fix or suggestion' }[expected];
    return `expected the rule to report ${want}, but it reported nothing`;
  }
  const bad = messages.filter((m) =>
    expected === 'fix' ? !m.fix : expected === 'suggest' ? m.fix || !m.suggestions?.length : m.fix || m.suggestions?.length,
  );
  if (bad.length === 0) return undefined;
  const want = { fix: 'an autofix', suggest: 'suggestions only (no autofix)', report: 'neither autofix nor suggestion' }[expected];
  return `expected every report to carry ${want}, but:\n${bad.map((m) => '  ' + describeMessage(m)).join('\n')}`;
}

export interface TextEdit {
  range: readonly [number, number];
  text: string;
}

/** Applies edits as ESLint's fixer does: by start offset, skipping any that overlaps or touches an applied one. */
export function applyFixes(text: string, edits: readonly TextEdit[]): { output: string; applied: number; skipped: number } {
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

const MAX_SUGGESTION_PASSES = 10;

/**
 * Lints `source` as `filename` (relative to the repository root decides the parser: .ts → typescript-eslint),
 * checks the messages against `mode` ('auto' checks nothing and takes what the rule offers), applies the
 * autofix (`verifyAndFix`) or, when there is none, each message's first suggestion until none is left,
 * and checks that the result differs, parses and converges.
 */
export async function lintFixture(source: string, filename: string, mode: Expectation | 'auto', options: LintOptions = {}): Promise<LintOutcome> {
  const plugin = await loadPlugin();
  const ruleId = options.ruleId ?? RULE_ID;
  const config = lintConfig(plugin, options.extraConfig);
  const linter = new Linter({ cwd: repoRoot });
  const lint = (text: string) => linter.verify(text, config, { filename });
  const problems: string[] = [];

  const first = lint(source);
  const fatal = first.find((m) => m.fatal);
  if (fatal) {
    return { messages: [], observed: 'none', applied: 'nothing', output: source, problems: [`the original does not parse: ${at(fatal)} ${fatal.message}`] };
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
      problems.push(`the autofix does not converge in one pass: --fix changed the code again after the first pass\n--- after one pass ---\n${numbered(onePass)}`);
    }
    const pending = relinted.filter((m) => m.ruleId === ruleId && m.fix);
    if (pending.length > 0) {
      problems.push(`the autofix does not converge: after --fix, ${pending.length} autofix(es) are still offered:\n${pending.map((m) => '  ' + describeMessage(m)).join('\n')}`);
    }
  } else if (observed === 'suggest') {
    applied = 'suggest';
    let current = messages;
    for (let pass = 1; ; pass++) {
      const edits = current.flatMap((m) => (m.suggestions?.length ? [m.suggestions[0].fix] : []));
      output = applyFixes(output, edits).output;
      relinted = lint(output);
      if (relinted.some((m) => m.fatal)) break;
      current = relinted.filter((m) => m.ruleId === ruleId);
      if (!current.some((m) => m.suggestions?.length)) break;
      if (pass === MAX_SUGGESTION_PASSES) {
        problems.push(`suggestions do not converge: still offered after ${MAX_SUGGESTION_PASSES} passes:\n${current.map((m) => '  ' + describeMessage(m)).join('\n')}`);
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
export function typecheckSources(files: Record<string, string>, options: ts.CompilerOptions = TYPECHECK_OPTIONS): Record<string, TypecheckResult> {
  const virtual = new Map<string, string>();
  const names = new Map<string, string>();
  for (const [name, text] of Object.entries(files)) {
    const abs = path.resolve(repoRoot, name);
    virtual.set(abs, text);
    names.set(abs, name);
  }
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (f) => virtual.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => virtual.get(path.resolve(f)) ?? readFile.call(host, f);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const text = virtual.get(path.resolve(fileName));
    if (text !== undefined) return ts.createSourceFile(fileName, text, languageVersion, true);
    const key = `${fileName}\0${JSON.stringify(languageVersion)}`;
    let sf = sourceFileCache.get(key);
    if (!sf) {
      sf = getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
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

export function isTensor(value: unknown): value is tf.Tensor {
  if (value instanceof tf.Tensor) return true;
  // A second copy of tfjs-core would fail instanceof; its tensors still have these.
  return typeof value === 'object' && value !== null && 'dataId' in value && Array.isArray((value as tf.Tensor).shape) && typeof (value as tf.Tensor).data === 'function';
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** The distinct tensors inside a result (arrays and plain objects are searched). */
export function collectTensors(value: unknown, out = new Set<tf.Tensor>()): Set<tf.Tensor> {
  if (isTensor(value)) out.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, out);
  else if (isPlainObject(value)) for (const v of Object.values(value)) collectTensors(v, out);
  return out;
}

/** Disposes the tensors in `value` except those in `keep` (e.g. inputs returned as they are). */
export function disposeTensors(value: unknown, keep: ReadonlySet<unknown> = new Set()): void {
  for (const t of collectTensors(value)) if (!keep.has(t) && !t.isDisposed) t.dispose();
}

export interface ExecutionResult {
  /** What `run` returned (awaited). */
  value: unknown;
  /** Tensors that `run` left alive beyond the new ones it returned (inputs it disposed count back). */
  leaked: number;
  /** Distinct new tensors in the result. */
  returnedTensors: number;
  ms: number;
}

let moduleCounter = 0;

/**
 * Writes `jsCode` (an ES module exporting `run`) into tests/.tmp/exec/, imports it, calls
 * `run(...inputs)` and awaits it, counting tensors. Throws when the import or `run` throws.
 * Set VECTORIZE_KEEP_TMP=1 to keep the written modules for debugging.
 */
export async function executeModule(jsCode: string, inputs: readonly unknown[], options: { label?: string; exportName?: string } = {}): Promise<ExecutionResult> {
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

  const inputTensors = inputs.filter(isTensor);
  const disposedBefore = inputTensors.filter((t) => t.isDisposed).length;
  const before = tf.memory().numTensors;
  const start = performance.now();
  const value: unknown = await (run as (...args: unknown[]) => unknown)(...inputs);
  const ms = performance.now() - start;
  const after = tf.memory().numTensors;
  const inputSet = new Set<unknown>(inputTensors);
  const returned = [...collectTensors(value)].filter((t) => !inputSet.has(t) && !t.isDisposed).length;
  const disposedInputs = inputTensors.filter((t) => t.isDisposed).length - disposedBefore;
  return { value, leaked: after - before - returned + disposedInputs, returnedTensors: returned, ms };
}

// ───────────────────────────── comparison ─────────────────────────────

type Normal =
  | { kind: 'numeric'; source: 'tensor' | 'typed array' | 'array' | 'number'; label: string; shape: number[]; values: ArrayLike<unknown> }
  | { kind: 'list'; items: Normal[] }
  | { kind: 'record'; entries: [string, Normal][] }
  | { kind: 'other'; value: unknown };

/** Shape of a rectangular nested array of numbers, or undefined. */
function nestedShape(value: unknown): number[] | undefined {
  if (typeof value === 'number') return [];
  if (!Array.isArray(value)) return undefined;
  if (value.length === 0) return [0];
  const inner = nestedShape(value[0]);
  if (!inner) return undefined;
  for (let i = 1; i < value.length; i++) {
    const s = nestedShape(value[i]);
    if (!s || s.length !== inner.length || s.some((d, k) => d !== inner[k])) return undefined;
  }
  return [value.length, ...inner];
}

async function normalize(value: unknown): Promise<Normal> {
  if (isTensor(value)) {
    if (value.isDisposed) return { kind: 'other', value: `<disposed ${value.dtype} tensor [${value.shape.join(', ')}]>` };
    return { kind: 'numeric', source: 'tensor', label: value.dtype, shape: [...value.shape], values: await value.data() };
  }
  if (typeof value === 'number') return { kind: 'numeric', source: 'number', label: 'number', shape: [], values: [value] };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = value as unknown as ArrayLike<unknown>;
    return { kind: 'numeric', source: 'typed array', label: value.constructor.name, shape: [arr.length], values: arr };
  }
  if (Array.isArray(value)) {
    const shape = value.length > 0 ? nestedShape(value) : [0];
    if (shape) return { kind: 'numeric', source: 'array', label: 'number', shape, values: (value as unknown[]).flat(Infinity) };
    return { kind: 'list', items: await Promise.all(value.map(normalize)) };
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return { kind: 'record', entries: await Promise.all(keys.map(async (k) => [k, await normalize(value[k])] as [string, Normal])) };
  }
  return { kind: 'other', value };
}

function describeNormal(n: Normal): string {
  switch (n.kind) {
    case 'numeric':
      return n.source === 'number' ? 'a number' : `${n.source === 'tensor' ? `a ${n.label} tensor` : n.source === 'typed array' ? `a ${n.label}` : 'a nested number array'} of shape [${n.shape.join(', ')}]`;
    case 'list':
      return `an array of ${n.items.length}`;
    case 'record':
      return `an object {${n.entries.map(([k]) => k).join(', ')}}`;
    case 'other':
      return n.value === null ? 'null' : typeof n.value === 'string' ? JSON.stringify(n.value) : `${typeof n.value} ${String(n.value)}`;
  }
}

export interface Comparison {
  ok: boolean;
  /** Empty when ok; otherwise where and how the results differ. */
  message: string;
  /** Largest |actual − expected| over finite pairs. */
  maxAbsError: number;
  /** Number of elements compared. */
  compared: number;
}

function unflatten(index: number, shape: readonly number[]): number[] {
  const idx: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    idx.unshift(index % shape[k]);
    index = Math.floor(index / shape[k]);
  }
  return idx;
}

/**
 * Compares what the original returned (`expected`) with what the fixed version returned (`actual`):
 * same structure, same kind (tensor / typed array / nested array / number) and dtype, same shape, and
 * every value within atol + rtol·|expected|. NaN must meet NaN and ±Infinity itself at the same position.
 */
export async function compareResults(expected: unknown, actual: unknown, tolerance: Tolerance = DEFAULT_TOLERANCE): Promise<Comparison> {
  const state = { maxAbsError: 0, compared: 0, failures: [] as string[] };
  compareNormal(await normalize(expected), await normalize(actual), 'result', tolerance, state);
  return { ok: state.failures.length === 0, message: state.failures.join('\n'), maxAbsError: state.maxAbsError, compared: state.compared };
}

function compareNormal(e: Normal, a: Normal, where: string, tol: Tolerance, state: { maxAbsError: number; compared: number; failures: string[] }): void {
  const fail = (msg: string): void => {
    state.failures.push(`${where}: ${msg}`);
  };
  if (e.kind !== a.kind || (e.kind === 'numeric' && a.kind === 'numeric' && (e.source !== a.source || e.label !== a.label))) {
    return fail(`expected ${describeNormal(e)}, got ${describeNormal(a)}`);
  }
  if (e.kind === 'list' && a.kind === 'list') {
    if (e.items.length !== a.items.length) return fail(`expected ${describeNormal(e)}, got ${describeNormal(a)}`);
    e.items.forEach((item, i) => compareNormal(item, a.items[i], `${where}[${i}]`, tol, state));
    return;
  }
  if (e.kind === 'record' && a.kind === 'record') {
    const ek = e.entries.map(([k]) => k).join(',');
    if (ek !== a.entries.map(([k]) => k).join(',')) return fail(`expected ${describeNormal(e)}, got ${describeNormal(a)}`);
    e.entries.forEach(([k, v], i) => compareNormal(v, a.entries[i][1], `${where}.${k}`, tol, state));
    return;
  }
  if (e.kind === 'other' && a.kind === 'other') {
    if (!Object.is(e.value, a.value)) fail(`expected ${describeNormal(e)}, got ${describeNormal(a)}`);
    return;
  }
  if (e.kind !== 'numeric' || a.kind !== 'numeric') return;
  if (e.shape.length !== a.shape.length || e.shape.some((d, i) => d !== a.shape[i])) {
    return fail(`shape differs: expected [${e.shape.join(', ')}], got [${a.shape.join(', ')}] (${describeNormal(e)} vs ${describeNormal(a)})`);
  }
  let firstBad = -1;
  let bad = 0;
  let worst = -1;
  let worstErr = 0;
  const n = e.values.length;
  for (let i = 0; i < n; i++) {
    const ev = e.values[i];
    const av = a.values[i];
    let ok: boolean;
    if (typeof ev === 'number' && typeof av === 'number') {
      if (Number.isNaN(ev) || Number.isNaN(av)) ok = Number.isNaN(ev) && Number.isNaN(av);
      else if (!Number.isFinite(ev) || !Number.isFinite(av)) ok = ev === av;
      else {
        const err = Math.abs(av - ev);
        if (err > worstErr) {
          worstErr = err;
          worst = i;
        }
        ok = err <= tol.atol + tol.rtol * Math.abs(ev);
      }
    } else ok = Object.is(ev, av);
    if (!ok) {
      bad++;
      if (firstBad < 0) firstBad = i;
    }
  }
  state.compared += n;
  state.maxAbsError = Math.max(state.maxAbsError, worstErr);
  if (bad === 0) return;
  const idx = (i: number) => (e.shape.length > 1 ? ` (index [${unflatten(i, e.shape).join(', ')}])` : '');
  const ev = e.values[firstBad];
  const av = a.values[firstBad];
  const errText =
    typeof ev === 'number' && typeof av === 'number' && Number.isFinite(ev) && Number.isFinite(av)
      ? ` (abs error ${Math.abs(av - ev)}, allowed ${tol.atol + tol.rtol * Math.abs(ev)})`
      : '';
  fail(
    `${bad} of ${n} values differ (tolerance ${tol.atol} + ${tol.rtol}·|expected|); ` +
      `first at flat index ${firstBad}${idx(firstBad)}: expected ${String(ev)}, got ${String(av)}${errText}; ` +
      `max abs error ${worstErr}${worst >= 0 ? ` at flat index ${worst}${idx(worst)}` : ''}`,
  );
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
  const virtualName = (fc: FixtureCase, which: 'orig' | 'fixed') => path.join(virtualDir, fc.rel.replace(/\.[cm]?tsx?$/, `.${which}.ts`));
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
  header: Pick<FixtureHeader, 'inputSets' | 'differSets' | 'tolerance' | 'seed'>,
  filename: string,
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
    const sets = [...header.inputSets.map((specs) => ({ specs, differs: false })), ...(header.differSets ?? []).map((specs) => ({ specs, differs: true }))];
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
      let after: ExecutionResult | undefined;
      try {
        after = await executeModule(fixedJs, inputs, { label: `${label}.fixed` });
      } catch (error) {
        if (!differs) problems.push(`${set}: the fixed version threw: ${errorText(error)}`);
      }
      if (after && differs) {
        // The caveat that made this a suggestion must be real on these inputs.
        const cmp = await compareResults(before.value, after.value, header.tolerance);
        if (cmp.ok) problems.push(`${set}: expected the suggested rewrite to differ from the original here (as its caveat says), but it agrees`);
        disposeTensors(after.value, new Set(inputs));
      } else if (after) {
        const cmp = await compareResults(before.value, after.value, header.tolerance);
        if (!cmp.ok) problems.push(`${set}: the fixed version's result differs from the original's:\n${cmp.message}`);
        if (after.leaked > before.leaked) {
          problems.push(`${set}: the fixed version leaks tensors: it leaves ${after.leaked} tensor(s) alive besides its result, the original ${before.leaked}`);
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

const errorText = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** All problems with one prepared fixture; empty when it passes. */
export async function checkFixture(fc: FixtureCase): Promise<string[]> {
  if (fc.headerError || !fc.header || !fc.lint) return [fc.headerError ?? 'fixture was not prepared'];
  const problems = [...fc.lint.problems];
  const changed = fc.lint.output !== fc.source;
  const fixedLabel = fc.lint.applied === 'suggest' ? 'suggested output' : 'fixed output';
  if (fc.typecheck) {
    const { original, fixed } = fc.typecheck;
    if (original.errors.length) problems.push(`the original does not type-check:\n${original.errors.map((e) => `  ${fc.rel}:${e}`).join('\n')}`);
    if (fixed?.errors.length) {
      problems.push(`the ${fixedLabel} does not type-check:\n${fixed.errors.map((e) => `  (fixed) ${e}`).join('\n')}`);
    }
    // Compare by message text: positions move, names of dead variables do not.
    const before = new Set(original.unused.map((u) => u.replace(/^\d+:\d+ /, '')));
    const dead = (fixed?.unused ?? []).filter((u) => !before.has(u.replace(/^\d+:\d+ /, '')));
    if (dead.length) problems.push(`the ${fixedLabel} leaves unused declarations the original did not have:\n${dead.map((d) => `  (fixed) ${d}`).join('\n')}`);
  }
  problems.push(...(await checkExecution(fc.source, changed ? fc.lint.output : undefined, fc.header, fc.rel)));
  // Line numbers in the problems above refer to this text.
  if (problems.length > 0 && changed) problems.push(`the ${fixedLabel}:\n${numbered(fc.lint.output)}`);
  return problems;
}
