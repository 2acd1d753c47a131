import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { findVariable } from '../ast/scope.js';

const TF_MODULE = /^@tensorflow\/tfjs(-core|-node|-node-gpu)?$/;

/**
 * Where TF.js may come from besides its own packages: the project's modules that re-export it
 * (`settings.vectorize.tfjsModules`), and where the linted file lies, to resolve relative specifiers.
 */
export interface TfModuleOptions {
  /** Module specifiers or globs (`'../backend/adapter'`, `'**\/tfjs.esm.js'`) of modules that re-export TF.js. */
  tfjsModules?: readonly string[];
  /** The linted file's path (`context.filename`), to resolve a relative specifier. */
  filename?: string;
  /** The directory globs are relative to (`context.cwd`). */
  cwd?: string;
}

/** `settings.vectorize.tfjsModules` of a rule context, the strings in it (anything else is ignored). */
export function tfjsModulesSetting(settings: unknown): string[] {
  const vectorize = (settings as { vectorize?: unknown } | undefined)?.vectorize;
  const modules = (vectorize as { tfjsModules?: unknown } | undefined)?.tfjsModules;
  return Array.isArray(modules) ? modules.filter((m): m is string => typeof m === 'string' && m !== '') : [];
}

/** The module options of a rule's context: its `tfjsModules` setting, file name and working directory. */
export function tfModuleOptions(context: { settings: unknown; filename: string; cwd: string }): TfModuleOptions {
  return { tfjsModules: tfjsModulesSetting(context.settings), filename: context.filename, cwd: context.cwd };
}

const SCRIPT_EXTENSION = /\.(?:[cm]?[jt]sx?)$/;
const toPosix = (p: string) => p.replace(/\\/g, '/');

/** A glob (`*` within a path segment, `**` across segments, `?` one character) as a regular expression. */
function globRegExp(glob: string): RegExp {
  let source = '';
  for (let k = 0; k < glob.length; k++) {
    const c = glob[k];
    if (c === '*' && glob[k + 1] === '*') {
      // `**/` matches any number of whole segments, including none.
      source += glob[k + 2] === '/' ? '(?:.*/)?' : '.*';
      k += glob[k + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'u');
}

/** `a/./b/../c` → `a/c` (leading `..` kept). */
function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '.' || (part === '' && out.length > 0)) continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** `from` as a path relative to the directory `cwd` (both absolute, POSIX separators). */
function relativeTo(cwd: string, from: string): string {
  const base = normalizePath(cwd).split('/');
  const target = normalizePath(from).split('/');
  let k = 0;
  while (k < base.length && k < target.length && base[k] === target[k]) k++;
  return [...base.slice(k).map(() => '..'), ...target.slice(k)].join('/');
}

/**
 * Whether an import specifier names TF.js: one of its packages, or a module the `tfjsModules` setting
 * lists. An entry matches the specifier as written, or, as a glob, the specifier or (for a relative
 * specifier) the imported file's path relative to `cwd`; a script extension on either side is ignored.
 */
/** A package of TF.js (`@tensorflow/tfjs`, `-core`, `-layers`, `-converter`, …): where its types come from. */
export const isTfPackage = (specifier: string): boolean => specifier.startsWith('@tensorflow/tfjs');

export function isTfModuleSpecifier(specifier: string, options: TfModuleOptions = {}): boolean {
  if (TF_MODULE.test(specifier)) return true;
  const modules = options.tfjsModules ?? [];
  if (modules.length === 0) return false;
  const bare = (s: string) => s.replace(SCRIPT_EXTENSION, '');
  const candidates = [bare(specifier)];
  if (specifier.startsWith('.') && options.filename && options.cwd) {
    const cwd = toPosix(options.cwd);
    const file = toPosix(options.filename);
    const absolute = file.startsWith('/') || /^[A-Za-z]:\//.test(file) ? file : `${cwd}/${file}`;
    const dir = absolute.slice(0, absolute.lastIndexOf('/'));
    candidates.push(bare(relativeTo(cwd, normalizePath(`${dir}/${specifier}`))));
  }
  return modules.some((entry) => {
    const pattern = globRegExp(bare(toPosix(entry)));
    return candidates.some((c) => c === bare(entry) || pattern.test(c) || pattern.test(c.replace(/^\.\//, '')));
  });
}

/** How this file reaches TF.js: a namespace (`import * as tf`, default import, `require`) and/or named imports. */
export interface TfBinding {
  /** Local name of the namespace object, when the file has one. */
  namespace: string | undefined;
  /** The module the namespace comes from when it is a `require` (a value, not a type namespace). */
  requiredFrom?: string;
  /** Local name → exported name of named imports (`import { sum as s }` → s → sum). */
  named: Map<string, string>;
  /** Local name → exported name of type-only named imports (`import { type Tensor1D }`, `import type { … }`). */
  types: Map<string, string>;
  /** The import declaration a fix can add named imports to. */
  importDecl: TSESTree.ImportDeclaration | undefined;
}

function isTfSource(node: TSESTree.Node | null | undefined, options: TfModuleOptions = {}): boolean {
  return (
    node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string' && isTfModuleSpecifier(node.value, options)
  );
}

function isRequireOfTf(node: TSESTree.Node | null | undefined, options: TfModuleOptions = {}): boolean {
  return (
    node?.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.Identifier &&
    node.callee.name === 'require' &&
    isTfSource(node.arguments[0], options)
  );
}

/**
 * import * as tf from '@tensorflow/tfjs';  import tf from …;  const tf = require('@tensorflow/tfjs');
 * With `options.tfjsModules`, the project's own modules that re-export TF.js count too.
 */
export function findTfBinding(program: TSESTree.Program, options: TfModuleOptions = {}): TfBinding | undefined {
  const binding: TfBinding = { namespace: undefined, named: new Map(), types: new Map(), importDecl: undefined };
  let found = false;
  for (const stmt of program.body) {
    if (
      stmt.type === AST_NODE_TYPES.ImportDeclaration &&
      isTfSource(stmt.source, options) &&
      stmt.importKind === 'type'
    ) {
      for (const spec of stmt.specifiers) {
        if (spec.type === AST_NODE_TYPES.ImportSpecifier)
          binding.types.set(
            spec.local.name,
            spec.imported.type === AST_NODE_TYPES.Identifier ? spec.imported.name : String(spec.imported.value),
          );
      }
    } else if (stmt.type === AST_NODE_TYPES.ImportDeclaration && isTfSource(stmt.source, options)) {
      found = true;
      for (const spec of stmt.specifiers) {
        if (
          spec.type === AST_NODE_TYPES.ImportNamespaceSpecifier ||
          spec.type === AST_NODE_TYPES.ImportDefaultSpecifier
        ) {
          binding.namespace ??= spec.local.name;
        } else {
          const imported =
            spec.imported.type === AST_NODE_TYPES.Identifier ? spec.imported.name : String(spec.imported.value);
          if (spec.importKind === 'type') binding.types.set(spec.local.name, imported);
          else binding.named.set(spec.local.name, imported);
          binding.importDecl ??= stmt;
        }
      }
    } else if (stmt.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const decl of stmt.declarations) {
        if (!isRequireOfTf(decl.init, options)) continue;
        found = true;
        if (decl.id.type === AST_NODE_TYPES.Identifier && !binding.namespace) {
          binding.namespace = decl.id.name;
          binding.requiredFrom = String(
            ((decl.init as TSESTree.CallExpression).arguments[0] as TSESTree.StringLiteral).value,
          );
        } else if (decl.id.type === AST_NODE_TYPES.ObjectPattern) {
          for (const p of decl.id.properties) {
            if (
              p.type === AST_NODE_TYPES.Property &&
              p.key.type === AST_NODE_TYPES.Identifier &&
              p.value.type === AST_NODE_TYPES.Identifier
            ) {
              binding.named.set(p.value.name, p.key.name);
            }
          }
        }
      }
    }
  }
  return found ? binding : undefined;
}

/** If `node` calls a TF.js op through the binding (`tf.sum(…)` or a named `sum(…)`), the op's name. */
export function tfCallName(binding: TfBinding, node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = node.callee;
  if (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === binding.namespace &&
    callee.property.type === AST_NODE_TYPES.Identifier
  ) {
    return callee.property.name;
  }
  if (callee.type === AST_NODE_TYPES.Identifier) return binding.named.get(callee.name);
  return undefined;
}

/** Whether `variable` is declared by a top-level statement (an import, or a `require` at the top). */
function declaredAtTopLevel(variable: Scope.Variable): boolean {
  const def = variable.defs[0];
  if (!def) return false;
  if (def.type === 'ImportBinding') return true;
  return def.type === 'Variable' && def.parent?.parent?.type === AST_NODE_TYPES.Program;
}

/**
 * Whether the identifier `id` refers to the file's own TF.js binding of that name (the namespace or a
 * named import), by scope: a local variable or parameter that reuses the name (`const tensor1d =
 * jobs[k]`, `function f(tf)`) does not.
 */
export function refersToTfBinding(
  sourceCode: Readonly<TSESLint.SourceCode>,
  binding: TfBinding,
  id: TSESTree.Identifier,
): boolean {
  if (id.name !== binding.namespace && !binding.named.has(id.name)) return false;
  const variable = findVariable(sourceCode.getScope(id), id);
  return !!variable && declaredAtTopLevel(variable);
}

/**
 * The TF.js path a call's callee resolves to by scope: `tf.sum(…)` → ['sum'], `tf.losses.meanSquaredError(…)`
 * → ['losses', 'meanSquaredError'], a named `sum(…)` → ['sum'] (its exported name); undefined when the
 * callee is not the file's TF.js binding (a local that reuses the name included).
 */
export function tfCallPath(
  sourceCode: Readonly<TSESLint.SourceCode>,
  binding: TfBinding,
  node: TSESTree.Node,
): string[] | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const path: string[] = [];
  let callee: TSESTree.Node = node.callee;
  while (callee.type === AST_NODE_TYPES.MemberExpression) {
    if (callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return undefined;
    path.unshift(callee.property.name);
    callee = callee.object;
  }
  if (callee.type !== AST_NODE_TYPES.Identifier || !refersToTfBinding(sourceCode, binding, callee)) return undefined;
  if (callee.name === binding.namespace && path.length > 0) return path;
  const imported = binding.named.get(callee.name);
  return imported === undefined ? undefined : [imported, ...path];
}

/** If `node` calls a TF.js op through the binding, resolved by scope (see tfCallPath), the op's name. */
export function resolveTfCall(
  sourceCode: Readonly<TSESLint.SourceCode>,
  binding: TfBinding,
  node: TSESTree.Node,
): string | undefined {
  const path = tfCallPath(sourceCode, binding, node);
  return path?.length === 1 ? path[0] : undefined;
}
