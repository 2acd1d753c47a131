// Case discovery: lint a file with `vectorize/no-element-loop`, and for every finding that carries an
// autofix or a suggestion build a runnable case — the region the fix replaces (./regions.ts), as written
// and with that one fix applied, each appended as an exported function to its module, both transpiled
// to ES modules whose TF.js imports bind to the runtime's own TF.js — plus the inputs: the parameters
// the region reads, declared with `// @inputs` or synthesised from their types and the lifter's facts
// (./shapes.ts). Nothing here runs user code; the worker does (./worker.ts).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { Linter } from 'eslint';
import type ts from 'typescript';
import { typeReferenceName } from '../ast/predicates.js';
import { DEFAULT_SEED, DEFAULT_TOLERANCE, readDirectives, scaleInputSet, type RegionDirectives } from './inputs.js';
import { recordReportedNodes } from './reported.js';
import { shapeFacts, type ParamShape, type ShapeFacts } from './shapes.js';
import { TF_SPECIFIERS, TS_FILE } from './loader.js';
import { findSite, functionAt, regionFlow, regionFunction, trainingSite, type RegionSite } from './regions.js';
import type { Case, InputSpec, SkippedCase, TensorDType, Tolerance } from './types.js';

export const RULE_ID = 'vectorize/no-element-loop';
/** The name of the function both modules export: the region, run on the parameters it reads. */
export const REGION_EXPORT = '__vectorizeRegion';

/** A file the runtime could not read or parse: reported in one line, the run goes on. */
export class FileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CaseOptions {
  /** Scale declared inputs (and size synthesised ones) so the largest tensor has about size² elements. */
  size?: number;
  /** bench: keep one input set per case (the first that scaled). */
  single?: boolean;
  /** The URL the user's `@tensorflow/tfjs` / `-core` imports are rewritten to. */
  tfUrl: string;
  /**
   * The options of `vectorize/no-element-loop` (what follows the severity in a config), e.g. from the user's
   * eslint.config.*; default `[{ fix: 'auto' }]`, the rule's defaults.
   */
  ruleOptions?: readonly unknown[];
}

export interface FileCases {
  cases: Case[];
  skipped: SkippedCase[];
}

// Named extensions: ESLint lints a .ts file only when a config names it.
const LINTED_FILES = ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.tsx', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'];

type Loaded = { ts: typeof ts; tsParser?: Linter.Parser };

let loaded: Promise<Loaded> | undefined;
/** TypeScript (transpiling) and, for .ts files, the typescript-eslint parser: optional peers, loaded on demand. */
async function loadTools(): Promise<Loaded> {
  loaded ??= (async () => {
    let tsMod: typeof ts;
    try {
      tsMod = (await import('typescript')).default;
    } catch {
      throw new Error(
        "the runtime transpiles with TypeScript, which is not installed: run 'npm install --save-dev typescript'",
      );
    }
    let tsParser: Linter.Parser | undefined;
    try {
      tsParser = await import('@typescript-eslint/parser');
    } catch {
      tsParser = undefined;
    }
    return { ts: tsMod, tsParser };
  })();
  return loaded;
}

/** Lints one file and builds its cases. Throws FileError for an unreadable file or a syntax error. */
export async function casesOfFile(file: string, options: CaseOptions): Promise<FileCases> {
  const { ts: tsMod, tsParser } = await loadTools();
  let source: string;
  try {
    source = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileError(file, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const isTs = TS_FILE.test(file);
  if (isTs && !tsParser)
    throw new FileError(
      file,
      "linting TypeScript needs the typescript-eslint parser: run 'npm install --save-dev @typescript-eslint/parser'",
    );
  const linter = new Linter({ configType: 'flat' });
  const ruleOptions = options.ruleOptions ?? [{ fix: 'auto' }];
  // The rule hands over the loop it reported (for the lifter's facts on the inputs): ./reported.ts.
  const reported = recordReportedNodes();
  const config: Linter.Config[] = [
    {
      files: [...LINTED_FILES],
      plugins: { vectorize: reported.plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
      languageOptions: { ecmaVersion: 'latest', sourceType: 'module', ...(isTs ? { parser: tsParser } : {}) },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      rules: { [RULE_ID]: ['warn', ...ruleOptions] as Linter.RuleEntry },
    },
  ];
  const filename = path.basename(file);
  const messages = linter.verify(source, config, { filename });
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new FileError(file, `syntax error at ${fatal.line}:${fatal.column}: ${fatal.message}`);
  const sourceCode = linter.getSourceCode();
  const ast = sourceCode.ast as unknown as TSESTree.Program;
  const scopes = sourceCode.scopeManager.scopes as unknown as Scope.Scope[];
  const parseOnly: Linter.Config[] = [{ ...config[0], rules: {} }];

  const out: FileCases = { cases: [], skipped: [] };
  const perLine = new Map<number, number>();
  for (const m of messages) {
    if (m.ruleId !== RULE_ID) continue;
    const root = reported.nodeOf(m);
    const edit = m.fix ?? m.suggestions?.[0]?.fix;
    if (!edit) continue;
    const kind = m.fix ? 'fix' : 'suggest';
    const n = (perLine.get(m.line) ?? 0) + 1;
    perLine.set(m.line, n);
    const id = `${file}:${m.line}${n > 1 ? `#${n}` : ''}`;
    const skip = (reason: string) => out.skipped.push({ id, file, line: m.line, kind, reason });
    const fixed = source.slice(0, edit.range[0]) + edit.text + source.slice(edit.range[1]);
    const parsed = parseFixed(linter, fixed, parseOnly, filename);
    if (typeof parsed === 'string') {
      skip(`the fixed code ${parsed}`);
      continue;
    }
    const body = bodyEdit(
      ast,
      parsed.ast,
      source,
      fixed,
      edit.range,
      sourceCode.getIndexFromLoc({ line: m.line, column: m.column - 1 }),
    );
    let site = findSite(ast, body.range);
    if (typeof site === 'string') {
      skip(site);
      continue;
    }
    // A loop in a differentiated function: run the whole training step that holds it.
    const gradient = m.messageId === 'vectorizableInGradient';
    if (gradient) {
      const outer = trainingSite(site);
      if (typeof outer === 'string') {
        skip(outer);
        continue;
      }
      if (outer) site = outer;
    }
    const fixedRange: [number, number] = [site.range[0] + body.shift, site.range[1] + fixed.length - source.length];
    const before = regionFlow(ast, scopes, site.fn, site.range, site.expression);
    if (typeof before === 'string') {
      skip(before);
      continue;
    }
    const fixedFn = functionAt(parsed.ast, site.fn.range[0] + body.shift);
    const after = fixedFn
      ? regionFlow(parsed.ast, parsed.scopes, fixedFn, fixedRange, site.expression)
      : 'the function that holds the loop is not found again';
    if (typeof after === 'string') {
      skip(`the fixed code: ${after}`);
      continue;
    }
    // Inputs: the function's parameters the region reads (in either version), in the function's order.
    const needed = site.fn.params.filter((p) => {
      const name = paramName(p);
      return name !== undefined && (before.params.has(name) || after.params.has(name));
    });
    let inputSets: InputSpec[][];
    let directives: RegionDirectives;
    try {
      directives = directivesFor(file, source, ast, site);
      inputSets =
        directives.inputSets.length > 0
          ? selectInputs(site, needed, directives.inputSets)
          : synthesise(
              needed,
              options.size ?? 32,
              root ? shapeFacts(sourceCode as unknown as TSESLint.SourceCode, root) : new Map<string, ParamShape>(),
            );
    } catch (e) {
      skip((e as Error).message);
      continue;
    }
    if (options.size !== undefined && directives.inputSets.length > 0) {
      const literals = integerLiterals(site.fn);
      // Sets with an empty axis test a corner case, not a size: they stay as declared.
      const scaled = inputSets.map((set) =>
        set.some((i) => i.kind === 'tensor' && i.shape.includes(0))
          ? { specs: set, scaled: false }
          : scaleInputSet(set, options.size!, literals),
      );
      inputSets = options.single ? [(scaled.find((s) => s.scaled) ?? scaled[0]).specs] : scaled.map((s) => s.specs);
    } else if (options.single) inputSets = inputSets.slice(0, 1);
    const params = needed.map((p) => paramName(p)!);
    // Prelude statements lie before the region, so the fixed text has them where the header edit moved them.
    const prelude = [
      ...new Map([
        ...before.prelude,
        ...[...after.prelude.values()].map((r): [number, [number, number]] => [
          r[0] - body.shift,
          [r[0] - body.shift, r[1] - body.shift],
        ]),
      ]).values(),
    ].sort((x, y) => x[0] - y[0]);
    const fixedPrelude = prelude.map((r): [number, number] => [r[0] + body.shift, r[1] + body.shift]);
    const outs = [...new Set([...before.outs, ...after.outs])];
    try {
      out.cases.push({
        id,
        file,
        line: m.line,
        column: m.column,
        kind,
        message: m.message,
        edit: { range: [edit.range[0], edit.range[1]], text: edit.text },
        originalCode: transpile(
          tsMod,
          source + regionFunction(REGION_EXPORT, source, site, site.range, params, prelude, outs),
          file,
          options.tfUrl,
        ),
        fixedCode: transpile(
          tsMod,
          fixed + regionFunction(REGION_EXPORT, fixed, site, fixedRange, params, fixedPrelude, outs),
          file,
          options.tfUrl,
        ),
        exportName: REGION_EXPORT,
        inputSets,
        tolerance: scaledTolerance(directives.tolerance ?? { ...DEFAULT_TOLERANCE }, options.size),
        seed: directives.seed ?? DEFAULT_SEED,
        ...(gradient ? { gradient: true } : {}),
      });
    } catch (e) {
      skip((e as Error).message);
    }
  }
  return out;
}

/**
 * Why `text` (the content of `file`, e.g. after `vectorize fix` applied its edits) does not parse, with the parser
 * casesOfFile lints that file with; undefined when it parses.
 */
export async function parseErrorOf(file: string, text: string): Promise<string | undefined> {
  const { tsParser } = await loadTools();
  const isTs = TS_FILE.test(file);
  if (isTs && !tsParser) return 'cannot parse TypeScript without @typescript-eslint/parser';
  const linter = new Linter({ configType: 'flat' });
  const fatal = linter
    .verify(
      text,
      [
        {
          files: [...LINTED_FILES],
          languageOptions: { ecmaVersion: 'latest', sourceType: 'module', ...(isTs ? { parser: tsParser } : {}) },
          linterOptions: { reportUnusedDisableDirectives: 'off' },
        },
      ],
      { filename: path.basename(file) },
    )
    .find((m) => m.fatal);
  return fatal ? `${fatal.line}:${fatal.column}: ${fatal.message}` : undefined;
}

/** The fixed text, parsed again for scope analysis (no rules run), or why it does not parse. */
function parseFixed(
  linter: Linter,
  fixed: string,
  config: Linter.Config[],
  filename: string,
): { ast: TSESTree.Program; scopes: Scope.Scope[] } | string {
  const fatal = linter.verify(fixed, config, { filename }).find((m) => m.fatal);
  if (fatal) return `does not parse (${fatal.message}); please report this as a bug of the fix`;
  const sc = linter.getSourceCode();
  return { ast: sc.ast as unknown as TSESTree.Program, scopes: sc.scopeManager.scopes as unknown as Scope.Scope[] };
}

/**
 * The part of an edit that changes the code around the loop. ESLint merges a fix's edits into one
 * range, so a fix that also adds a named import (`import { sum } …`) spans from the import to the loop:
 * when the edit starts before the top-level statement that holds the loop (at `loopAt`), the body edit
 * is what differs inside that statement, and `shift` is how far the header edit moved it.
 */
function bodyEdit(
  ast: TSESTree.Program,
  fixedAst: TSESTree.Program,
  source: string,
  fixed: string,
  range: readonly [number, number],
  loopAt: number,
): { range: [number, number]; shift: number } {
  const top = ast.body.find((st) => st.range[0] <= loopAt && loopAt < st.range[1]);
  if (!top || range[0] >= top.range[0]) return { range: [range[0], range[1]], shift: 0 };
  // The text after the holding statement is untouched, so its end moved by the whole length change.
  const topFixed = fixedAst.body.find((st) => st.range[1] === top.range[1] + fixed.length - source.length);
  if (!topFixed) return { range: [range[0], range[1]], shift: 0 };
  const o = source.slice(top.range[0], top.range[1]);
  const f = fixed.slice(topFixed.range[0], topFixed.range[1]);
  let p = 0;
  while (p < o.length && p < f.length && o[p] === f[p]) p++;
  let q = 0;
  while (q < o.length - p && q < f.length - p && o[o.length - 1 - q] === f[f.length - 1 - q]) q++;
  return { range: [top.range[0] + p, top.range[1] - q], shift: topFixed.range[0] - top.range[0] };
}

/**
 * At a benchmark size a reduction sums ~10⁶ float32 values where the loop summed in float64: the two
 * drift apart by ~10⁻³ relative (measured: 1.6·10⁻³ for a 2·10⁶-element sum of squares on wasm), so
 * scaled runs allow 10⁻² relative. Declared-size runs keep TF.js's own test epsilon (10⁻³, float32).
 */
export function scaledTolerance(t: Tolerance, size: number | undefined): Tolerance {
  return size === undefined ? t : { atol: t.atol, rtol: Math.max(t.rtol, 1e-2) };
}

// ───────────────────────────── regions ─────────────────────────────

/** Directives in the comments right above the function's statement, else in the file's leading comment block. */
function directivesFor(file: string, source: string, ast: TSESTree.Program, fn: RegionSite): RegionDirectives {
  const comments = ast.comments ?? [];
  const read = (cs: TSESTree.Comment[]) => {
    const lines = cs.flatMap((c) =>
      c.type === 'Line'
        ? [{ text: `// ${c.value}`, line: c.loc.start.line }]
        : c.value.split('\n').map((text, k) => ({ text, line: c.loc.start.line + k })),
    );
    return readDirectives(
      lines.map((l) => l.text),
      (i) => `${path.basename(file)}:${lines[i].line}`,
    );
  };
  // The contiguous run of comments that ends just above the statement (only whitespace between).
  const above: TSESTree.Comment[] = [];
  let end = fn.anchor.range[0];
  for (const c of comments.filter((c) => c.range[1] <= fn.anchor.range[0]).reverse()) {
    if (source.slice(c.range[1], end).trim() !== '') break;
    above.unshift(c);
    end = c.range[0];
  }
  const own = read(above);
  if (own.inputSets.length > 0) return own;
  // A fixture-style header (comments before the file's first statement) serves the function whose parameters it names.
  const first = ast.body[0];
  const header = read(comments.filter((c) => !first || c.range[1] <= first.range[0]));
  if (header.inputSets.length > 0 && header.inputSets.every((set) => sameNames(set, fn.fn.params)))
    return { ...header, ...pick(own) };
  return { ...pick(header), ...own };
}

const pick = (d: RegionDirectives) => ({
  ...(d.tolerance ? { tolerance: d.tolerance } : {}),
  ...(d.seed !== undefined ? { seed: d.seed } : {}),
});

const paramName = (p: TSESTree.Parameter): string | undefined =>
  p.type === 'Identifier'
    ? p.name
    : p.type === 'AssignmentPattern' && p.left.type === 'Identifier'
      ? p.left.name
      : undefined;

function sameNames(set: readonly InputSpec[], params: readonly TSESTree.Parameter[]): boolean {
  return set.length === params.length && set.every((s, i) => s.name === paramName(params[i]));
}

/**
 * The declared sets, narrowed to the parameters the region reads (in the function's order). Every name
 * must be a parameter of the function, and every parameter the region reads must be named.
 */
function selectInputs(
  site: RegionSite,
  needed: readonly TSESTree.Parameter[],
  sets: readonly InputSpec[][],
): InputSpec[][] {
  const takes = site.fn.params.map((p) => paramName(p) ?? '…');
  return sets.map((set) => {
    const stray = set.find((s) => !takes.includes(s.name));
    const missing = needed.find((p) => !set.some((s) => s.name === paramName(p)));
    if (stray || missing)
      throw new Error(
        `@inputs names (${set.map((s) => s.name).join(', ')}) but ${site.fnName} takes (${takes.join(', ')})`,
      );
    return needed.map((p) => set.find((s) => s.name === paramName(p))!);
  });
}

/** Integer literals in the function: dimensions equal to one of them (a channel count) are not scaled. */
function integerLiterals(node: TSESTree.Node): Set<number> {
  const out = new Set<number>();
  const visit = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const o = n as Record<string, unknown>;
    if (o.type === 'Literal' && typeof o.value === 'number' && Number.isInteger(o.value)) out.add(o.value);
    for (const [k, v] of Object.entries(o)) if (k !== 'parent' && k !== 'loc' && k !== 'range') visit(v);
  };
  visit(node);
  return out;
}

// ───────────────────────────── synthesised inputs ─────────────────────────────

const INDEX_NAME =
  /(^|_)(labels?|idx|indices|index|ids?|classes|targets?)$|(Labels?|Idx|Indices|Index|Ids?|Classes|Targets?)$/;

/**
 * Inputs from what the loop reads when the function declares none. A tensor parameter's rank comes
 * from its type (`tf.TensorND` / `TensorND`, `tf.Scalar`) or, for `tf.Tensor` and untyped parameters,
 * from the loop itself (`facts`: how many indices it reads the tensor with, or `x.shape` destructured);
 * `number` parameters are sizes. Every axis gets the same length n (n^rank ≈ size² for the highest
 * rank), so the axes the loop ties together agree, except the axes whose loop bound is a literal (a
 * channel count), which get that literal. A tensor whose values index another tensor's axis holds
 * int32 values in [0, that axis' length); without facts, a tensor named like labels or indices does.
 * `boolean` parameters give two sets: all true, then all false (both paths of a flag are compared).
 */
/** Typed-array parameter types the runtime fills, and the dtype whose data they hold. */
const TYPED_PARAMS: Record<string, TensorDType | undefined> = { Float32Array: 'float32', Int32Array: 'int32' };

export function synthesise(
  params: readonly TSESTree.Parameter[],
  size: number,
  facts: ShapeFacts = new Map(),
): InputSpec[][] {
  const kinds = params.map((p) => {
    const name = paramName(p);
    if (!name || p.type !== 'Identifier')
      throw new Error(
        `a parameter is destructured or has a default; declare the inputs with a '// @inputs' comment above the function`,
      );
    const known = facts.get(name);
    const ann = p.typeAnnotation?.typeAnnotation;
    if (ann?.type === 'TSNumberKeyword') return { name, kind: 'number' as const, rank: 0, known };
    if (ann?.type === 'TSBooleanKeyword') return { name, kind: 'boolean' as const, rank: 0, known };
    const ref = ann && typeReferenceName(ann);
    const m = ref && /^Tensor([1-6])D$/.exec(ref);
    if (m) return { name, kind: 'tensor' as const, rank: Number(m[1]), known };
    if (ref === 'Scalar') return { name, kind: 'tensor' as const, rank: 0, known };
    if ((ref === 'Tensor' || !ann) && known?.rank !== undefined)
      return { name, kind: 'tensor' as const, rank: known.rank, known };
    if (ref === 'Tensor') return { name, kind: 'tensor' as const, rank: 2, known };
    // A helper's typed-array parameter (`values: Float32Array`): a vector's data, as `x.dataSync()` gives it.
    const typed = ref && TYPED_PARAMS[ref];
    if (typed) return { name, kind: 'tensor' as const, rank: 1, known, typed };
    if (!ann)
      throw new Error(
        `parameter '${name}' has no type annotation; declare the inputs with a '// @inputs x: float32[64, 64], …' comment above the function`,
      );
    throw new Error(
      `cannot synthesise parameter '${name}' of this type; declare the inputs with a '// @inputs' comment above the function`,
    );
  });
  const free = (k: (typeof kinds)[number]) => (k.kind === 'tensor' ? k.rank - (k.known?.literal.size ?? 0) : 0);
  const maxFree = Math.max(1, ...kinds.map(free));
  const n = Math.max(2, Math.round(size ** (2 / maxFree)));
  const set = (flag: boolean) =>
    kinds.map(({ name, kind, rank, known, typed }): InputSpec => {
      if (kind === 'boolean') return { kind, name, value: flag };
      if (kind === 'number') return { kind, name, value: n };
      const shape = Array.from({ length: rank }, (_, k) => known?.literal.get(k) ?? n);
      if (known?.indexes)
        return {
          kind: 'tensor',
          name,
          dtype: 'int32',
          shape,
          below: known.indexes.length ?? facts.get(known.indexes.tensor)?.literal.get(known.indexes.axis) ?? n,
        };
      if (typed) return { kind: 'tensor', name, dtype: typed, shape, typed: true };
      if (!known && INDEX_NAME.test(name)) return { kind: 'tensor', name, dtype: 'int32', shape, below: n };
      return { kind: 'tensor', name, dtype: 'float32', shape };
    });
  return kinds.some((k) => k.kind === 'boolean') ? [set(true), set(false)] : [set(true)];
}

// ───────────────────────────── transpiling ─────────────────────────────

/**
 * TS/JS → an ES2022 module. TF.js imports are rewritten to `tfUrl` (the runtime's TF.js, so tensors and
 * backends are shared), relative imports to absolute file URLs next to the user's file, bare ones to
 * what Node resolves from the user's file. Throws on syntax errors.
 */
export function transpile(tsMod: typeof ts, source: string, file: string, tfUrl: string): string {
  const req = createRequire(file);
  const rewrite = (spec: string): string => {
    if (TF_SPECIFIERS.has(spec)) return tfUrl;
    if (spec.startsWith('.')) return pathToFileURL(path.resolve(path.dirname(file), spec)).href;
    if (spec.startsWith('node:') || spec.includes(':')) return spec;
    try {
      return pathToFileURL(req.resolve(spec)).href;
    } catch {
      return spec;
    }
  };
  const f = tsMod.factory;
  const transformer: ts.TransformerFactory<ts.SourceFile> = () => (sf) =>
    f.updateSourceFile(
      sf,
      sf.statements.map((st) => {
        if (tsMod.isImportDeclaration(st) && tsMod.isStringLiteral(st.moduleSpecifier)) {
          return f.updateImportDeclaration(
            st,
            st.modifiers,
            st.importClause,
            f.createStringLiteral(rewrite(st.moduleSpecifier.text)),
            st.attributes,
          );
        }
        if (tsMod.isExportDeclaration(st) && st.moduleSpecifier && tsMod.isStringLiteral(st.moduleSpecifier)) {
          return f.updateExportDeclaration(
            st,
            st.modifiers,
            st.isTypeOnly,
            st.exportClause,
            f.createStringLiteral(rewrite(st.moduleSpecifier.text)),
            st.attributes,
          );
        }
        return st;
      }),
    );
  const out = tsMod.transpileModule(source, {
    fileName: path.basename(file),
    reportDiagnostics: true,
    compilerOptions: { module: tsMod.ModuleKind.ESNext, target: tsMod.ScriptTarget.ES2022, sourceMap: false },
    transformers: { after: [transformer] },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === tsMod.DiagnosticCategory.Error);
  if (errors.length > 0)
    throw new Error(`cannot transpile: ${tsMod.flattenDiagnosticMessageText(errors[0].messageText, ' ')}`);
  return out.outputText;
}
