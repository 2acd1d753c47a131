/**
 * Functions the linted file imports from the project's own modules (relative specifiers only): their
 * source is read and parsed with the file's own parser, without type information, and summarised
 * syntactically, one level deep —
 *
 *   export async function hzToMidi(f: number[]): Promise<number[]> { …; return await t.array(); }
 *
 * returns data read back from a tensor (`readsBack`), and
 *
 *   export function isEven(num: number) { return num % 2 === 0; }
 *
 * is one expression of its parameters (`expressionOf`), which a caller may read in place of the call.
 * Nothing is executed. Parsed modules are cached by path and modification time, so an editor that lints
 * the caller again after the module changed sees the change.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { bareMethodCall, FUNCTION_TYPES, promisedType, typeReferenceName, unwrap } from '../ast/predicates.js';
import { isTfPackage } from './tf-binding.js';
import { walk } from './loop-context.js';
import { TENSOR_TYPES } from './tensor-kinds.js';
import { mtimeOf, noteOutsideRead } from '../unit-cache.js';

type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/** What `context.languageOptions.parser` offers: espree's `parse`, typescript-eslint's `parse`/`parseForESLint`. */
export interface Parser {
  parse?: (text: string, options?: unknown) => unknown;
  parseForESLint?: (text: string, options?: unknown) => { ast: unknown };
}

/** A function of another module, as the linted file imports it. */
export interface ImportedFunction {
  fn: FunctionNode;
  /** The module that defines it, as parsed. */
  module: TSESTree.Program;
  /** The module's path relative to the linted file's directory (`../core/audio_utils.ts`). */
  file: string;
  name: string;
}

/** `return await t.array();`: where a function's result comes from. */
export interface ImportedRead {
  kind: 'flat' | 'nested';
  method: string;
  /** The function returns a promise of the data (an `async` function). */
  async: boolean;
  /** `frequenciesTensor.array()`, for messages. */
  read: string;
  line: number;
  /** The rank its return type shows (`Promise<number[][]>`: 2). */
  rank: number | undefined;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const READS: Record<string, { kind: 'flat' | 'nested'; sync: boolean }> = {
  dataSync: { kind: 'flat', sync: true },
  arraySync: { kind: 'nested', sync: true },
  data: { kind: 'flat', sync: false },
  array: { kind: 'nested', sync: false },
};

const parsed = new Map<string, { mtimeMs: number; ast: TSESTree.Program | undefined }>();

const resolved = new Map<string, string>();

/** The file a relative specifier names, as Node and bundlers resolve it (extensions, `index`), or undefined. */
function resolveModule(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  // Found once, a module's file is kept (parseModule notices when it changes or goes).
  const known = resolved.get(base);
  if (known) return known;
  const stripped = base.replace(/\.[cm]?js$/, '');
  const candidates = [
    base,
    ...EXTENSIONS.map((e) => stripped + e),
    ...EXTENSIONS.map((e) => path.join(base, `index${e}`)),
  ];
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) {
        resolved.set(base, c);
        return c;
      }
    } catch {
      // not this one
    }
  }
  return undefined;
}

function parseModule(file: string, parser: Parser): TSESTree.Program | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const known = parsed.get(file);
  if (known && known.mtimeMs === mtimeMs) return known.ast;
  let ast: TSESTree.Program | undefined;
  try {
    const text = fs.readFileSync(file, 'utf8');
    const options = {
      ecmaVersion: 'latest',
      sourceType: 'module',
      range: true,
      loc: true,
      filePath: file,
      ecmaFeatures: { jsx: /x$/.test(path.extname(file)) },
    };
    // Never the linted file's parserOptions: a `project` there would build a type-checked program per module.
    const result = parser.parse ? parser.parse(text, options) : parser.parseForESLint?.(text, options).ast;
    ast = (result as TSESTree.Program | undefined) ?? undefined;
  } catch {
    ast = undefined;
  }
  parsed.set(file, { mtimeMs, ast });
  return ast;
}

/** The function a module exports under `name`: `export function f`, `export const f = (…) => …`, `export { f }`. */
function exportedFunction(ast: TSESTree.Program, name: string): FunctionNode | undefined {
  const local = new Map<string, FunctionNode>();
  let exportedAs: string | undefined;
  const declare = (d: TSESTree.Node | null | undefined, exported: boolean): void => {
    if (!d) return;
    if (d.type === AST_NODE_TYPES.FunctionDeclaration && d.id) {
      local.set(d.id.name, d);
      if (exported && d.id.name === name) exportedAs = name;
    } else if (d.type === AST_NODE_TYPES.VariableDeclaration && d.kind === 'const') {
      for (const v of d.declarations) {
        const init = v.init && unwrap(v.init);
        if (v.id.type !== AST_NODE_TYPES.Identifier || !init) continue;
        if (init.type !== AST_NODE_TYPES.ArrowFunctionExpression && init.type !== AST_NODE_TYPES.FunctionExpression)
          continue;
        local.set(v.id.name, init);
        if (exported && v.id.name === name) exportedAs = name;
      }
    }
  };
  for (const s of ast.body) {
    if (s.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      declare(s.declaration, true);
      if (!s.source)
        for (const spec of s.specifiers) {
          const exported = spec.exported.type === AST_NODE_TYPES.Identifier ? spec.exported.name : spec.exported.value;
          if (exported === name && spec.local.type === AST_NODE_TYPES.Identifier) exportedAs = spec.local.name;
        }
    } else declare(s, false);
  }
  return exportedAs === undefined ? undefined : local.get(exportedAs);
}

/**
 * The function an imported binding names (`import { hzToMidi } from '../core/audio_utils'`), when the
 * module is the project's own and defines it there; undefined otherwise (packages, re-exports, classes).
 */
export function importedFunction(
  declaration: TSESTree.ImportDeclaration,
  specifier: TSESTree.ImportClause,
  filename: string,
  parser: Parser | undefined,
): ImportedFunction | undefined {
  if (!parser || specifier.type !== AST_NODE_TYPES.ImportSpecifier || declaration.importKind === 'type')
    return undefined;
  const imported = specifier.imported;
  const name = imported.type === AST_NODE_TYPES.Identifier ? imported.name : imported.value;
  const specifierText = declaration.source.value;
  const file = resolveModule(filename, specifierText);
  // Findings kept across re-lints (unit-cache.ts) stand while the module resolves to the same, unchanged file.
  const mtimeMs = file && mtimeOf(file);
  noteOutsideRead(() => {
    const now = resolveModule(filename, specifierText);
    return now === file && (now && mtimeOf(now)) === mtimeMs;
  });
  if (!file) return undefined;
  const ast = parseModule(file, parser);
  const fn = ast && exportedFunction(ast, name);
  if (!fn) return undefined;
  const relative = path.relative(path.dirname(filename), file).split(path.sep).join('/');
  return { fn, module: ast, file: relative.startsWith('.') ? relative : `./${relative}`, name };
}

/** The function a variable names when the file imports it by name from one of the project's own modules. */
export function importedFunctionOf(
  variable: Scope.Variable | null | undefined,
  filename: string,
  parser: Parser | undefined,
): ImportedFunction | undefined {
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (
    def?.type !== 'ImportBinding' ||
    def.parent?.type !== AST_NODE_TYPES.ImportDeclaration ||
    def.node.type === AST_NODE_TYPES.TSImportEqualsDeclaration
  )
    return undefined;
  return importedFunction(def.parent, def.node, filename, parser);
}

/**
 * A type the module names from a TF.js package: `tf.Tensor2D` with `tf` a namespace it imports from one,
 * or `Tensor2D` imported by name; the name TF.js exports it as.
 */
function tfTypeName(module: TSESTree.Program, type: TSESTree.TypeNode): string | undefined {
  if (type.type !== AST_NODE_TYPES.TSTypeReference) return undefined;
  const name = type.typeName;
  for (const d of module.body) {
    if (
      d.type !== AST_NODE_TYPES.ImportDeclaration ||
      (d.importKind === 'type' && name.type === AST_NODE_TYPES.TSQualifiedName)
    )
      continue;
    if (!isTfPackage(String(d.source.value))) continue;
    for (const sp of d.specifiers) {
      if (name.type === AST_NODE_TYPES.TSQualifiedName) {
        if (
          sp.type === AST_NODE_TYPES.ImportNamespaceSpecifier &&
          name.left.type === AST_NODE_TYPES.Identifier &&
          sp.local.name === name.left.name
        )
          return name.right.name;
      } else if (
        name.type === AST_NODE_TYPES.Identifier &&
        sp.type === AST_NODE_TYPES.ImportSpecifier &&
        sp.local.name === name.name
      )
        return sp.imported.type === AST_NODE_TYPES.Identifier ? sp.imported.name : String(sp.imported.value);
    }
  }
  return undefined;
}

/**
 * Whether an imported function declares, in its own module, that it returns one TF.js tensor
 * (`: tf.Tensor`; async: `: Promise<tf.Tensor>`).
 */
export function declaresTensorReturn(imported: ImportedFunction): boolean {
  let type = imported.fn.returnType?.typeAnnotation;
  if (imported.fn.async) type = type && promisedType(type);
  const name = type && tfTypeName(imported.module, type);
  return !!name && TENSOR_TYPES.has(name);
}

/** The statements a function returns from (not those of functions nested in it), or its expression body. */
function returned(fn: FunctionNode): TSESTree.Expression[] | undefined {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const out: TSESTree.Expression[] = [];
  let ok = true;
  walk(
    fn.body,
    (n) => {
      if (n.type !== AST_NODE_TYPES.ReturnStatement) return;
      if (n.argument) out.push(n.argument);
      else ok = false;
    },
    (n) => FUNCTION_TYPES.has(n.type) || n.type === AST_NODE_TYPES.ClassBody,
  );
  return ok && out.length > 0 ? out : undefined;
}

/** `const v = init;` in the function body, never assigned again (by name, syntactically). */
function constInit(fn: FunctionNode, name: string): TSESTree.Expression | undefined {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  let found: TSESTree.Expression | undefined;
  let count = 0;
  for (const s of fn.body.body) {
    if (s.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const d of s.declarations) {
      if (d.id.type !== AST_NODE_TYPES.Identifier || d.id.name !== name) continue;
      count++;
      if (s.kind === 'const' && d.init) found = d.init;
    }
  }
  return count === 1 ? found : undefined;
}

/** The receiver is a tensor: declared with a TF.js type, or a parameter so typed. */
function declaredTensor(fn: FunctionNode, name: string): boolean {
  const typed = (id: TSESTree.Node): boolean => {
    if (id.type !== AST_NODE_TYPES.Identifier || id.name !== name) return false;
    const t = id.typeAnnotation?.typeAnnotation;
    return t?.type === AST_NODE_TYPES.TSTypeReference && TENSOR_TYPES.has(typeReferenceName(t));
  };
  if (fn.params.some(typed)) return true;
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
  return fn.body.body.some(
    (s) => s.type === AST_NODE_TYPES.VariableDeclaration && s.declarations.some((d) => typed(d.id)),
  );
}

/** The rank a return type shows: `number[][]` 2, `Promise<number[]>` 1. */
function returnRank(fn: FunctionNode): number | undefined {
  let t = fn.returnType?.typeAnnotation;
  if (t) t = promisedType(t) ?? t;
  let rank = 0;
  while (t?.type === AST_NODE_TYPES.TSArrayType) {
    rank++;
    t = t.elementType;
  }
  return rank > 0 && t?.type === AST_NODE_TYPES.TSNumberKeyword ? rank : undefined;
}

/**
 * The function's one `return` hands back data read from a tensor, `….dataSync()` / `….arraySync()` of
 * anything or, awaited, `t.data()` / `t.array()` of a variable declared as a TF.js tensor (`data`/`array` are common
 * method names: the sync ones are TF.js's own). Directly or through a `const` holding the read.
 */
export function readsBack(imported: ImportedFunction): ImportedRead | undefined {
  const { fn } = imported;
  const results = returned(fn);
  if (!results || results.length !== 1) return undefined;
  let e = unwrap(results[0]);
  if (e.type === AST_NODE_TYPES.Identifier) {
    const init = constInit(fn, e.name);
    if (!init) return undefined;
    e = unwrap(init);
  }
  const call = bareMethodCall(e);
  if (!call) return undefined;
  const { method, awaited } = call;
  const read = READS[method];
  if (!read || (!read.sync && !awaited) || (read.sync && awaited)) return undefined;
  const receiver = call.receiver.type === AST_NODE_TYPES.Identifier ? call.receiver.name : undefined;
  if (!read.sync && !(receiver && declaredTensor(fn, receiver))) return undefined;
  return {
    kind: read.kind,
    method,
    async: !!fn.async,
    read: `${receiver ?? '…'}.${method}()`,
    line: call.receiver.loc.start.line,
    rank: returnRank(fn),
  };
}

/**
 * A function whose body is one expression of its parameters (`(n) => n % 2 === 0`,
 * `function isEven(num) { return num % 2 === 0; }`): that expression and the parameters' names, when it
 * reads nothing but them, literals and operators (no call, no free name: nothing whose meaning is the
 * other module's).
 */
export function expressionOf(
  imported: Pick<ImportedFunction, 'fn'>,
): { params: string[]; body: TSESTree.Expression } | undefined {
  const { fn } = imported;
  if (fn.async || fn.generator) return undefined;
  const params: string[] = [];
  for (const p of fn.params) {
    if (p.type !== AST_NODE_TYPES.Identifier) return undefined;
    params.push(p.name);
  }
  let body: TSESTree.Expression | undefined;
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) body = fn.body;
  else if (fn.body.body.length === 1 && fn.body.body[0].type === AST_NODE_TYPES.ReturnStatement)
    body = fn.body.body[0].argument ?? undefined;
  if (!body) return undefined;
  const pure = (n: TSESTree.Node): boolean => {
    switch (n.type) {
      case AST_NODE_TYPES.Identifier:
        return params.includes(n.name);
      case AST_NODE_TYPES.Literal:
        return typeof n.value === 'number' || typeof n.value === 'boolean';
      case AST_NODE_TYPES.BinaryExpression:
        return n.left.type !== AST_NODE_TYPES.PrivateIdentifier && pure(n.left) && pure(n.right);
      case AST_NODE_TYPES.LogicalExpression:
        return pure(n.left) && pure(n.right);
      case AST_NODE_TYPES.UnaryExpression:
        return ['!', '-', '+'].includes(n.operator) && pure(n.argument);
      case AST_NODE_TYPES.ConditionalExpression:
        return pure(n.test) && pure(n.consequent) && pure(n.alternate);
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
        return pure(n.expression);
      default:
        return false;
    }
  };
  return pure(body) ? { params, body } : undefined;
}
