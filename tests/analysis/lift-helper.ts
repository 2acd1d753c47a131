/**
 * Lifts the loop nests of a snippet the way `vectorize/no-element-loop` does: parse with the
 * typescript-eslint parser into ESLint's SourceCode, build the file's TensorFacts once, and call
 * `liftNest` on each outermost nest root (a `for` / `for…of` loop, a `forEach` statement, a `map` or
 * `reduce` call). Only `src/analysis/lift/index.ts` is used: it is the lifter's one entry.
 */
import * as tsParser from '@typescript-eslint/parser';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { Linter, type Rule } from 'eslint';
import { printNest } from '../../src/analysis/ir-print.js';
import { liftNest, type LiftResult, type NestRoot } from '../../src/analysis/lift/index.js';
import { TensorFacts } from '../../src/analysis/tensors.js';
import { findTfBinding } from '../../src/analysis/tf-binding.js';

export interface Parsed {
  sourceCode: TSESLint.SourceCode;
  ast: TSESTree.Program;
  facts: TensorFacts;
}

/** Parses `code` (TypeScript, an ES module) and builds its TensorFacts; throws on a syntax error or no TF.js import. */
export function parse(code: string): Parsed {
  let captured: TSESLint.SourceCode | undefined;
  const capture: Rule.RuleModule = {
    create(context) {
      captured = context.sourceCode as unknown as TSESLint.SourceCode;
      return {};
    },
  };
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tsParser as unknown as Linter.Parser, ecmaVersion: 'latest', sourceType: 'module' },
        plugins: { test: { rules: { capture } } },
        rules: { 'test/capture': 'error' },
      },
    ],
    { filename: 'case.ts' },
  );
  const fatal = messages.find((m) => m.fatal);
  if (fatal) throw new Error(`syntax error at ${fatal.line}:${fatal.column}: ${fatal.message}`);
  if (!captured) throw new Error('the capture rule did not run');
  const ast = captured.ast;
  const binding = findTfBinding(ast);
  if (!binding) throw new Error('the snippet does not import TF.js');
  return { sourceCode: captured, ast, facts: new TensorFacts(captured, binding) };
}

const isMethodCall = (node: TSESTree.Node, names: string[]): node is TSESTree.CallExpression =>
  node.type === 'CallExpression' &&
  node.callee.type === 'MemberExpression' &&
  !node.callee.computed &&
  node.callee.property.type === 'Identifier' &&
  names.includes(node.callee.property.name);

/** The outermost nest roots in source order (the rule skips nests inside a reported one). */
export function nestRoots(ast: TSESTree.Program): NestRoot[] {
  const roots: NestRoot[] = [];
  const visit = (node: TSESTree.Node): void => {
    if (node.type === 'ForStatement' || node.type === 'ForOfStatement') return void roots.push(node);
    if (node.type === 'ExpressionStatement' && isMethodCall(node.expression, ['forEach'])) return void roots.push(node);
    if (isMethodCall(node, ['map', 'reduce'])) return void roots.push(node);
    for (const [key, child] of Object.entries(node)) {
      if (key === 'parent') continue;
      if (Array.isArray(child)) {
        for (const c of child) if (isNode(c)) visit(c);
      } else if (isNode(child)) visit(child);
    }
  };
  visit(ast);
  return roots;
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** What `liftNest` says about each outermost nest of `code`. */
export function liftAll(code: string): LiftResult[] {
  const { ast, facts } = parse(code);
  return nestRoots(ast).map((root) => liftNest(facts, root));
}

/** One lift result as text: the nest (see printNest), or the kind and reason it was not lifted. */
export function printResult(result: LiftResult): string {
  switch (result.kind) {
    case 'lifted':
      return result.readsTensorData ? printNest(result.nest) : `${printNest(result.nest)}\nreads no tensor data`;
    case 'notVectorizable':
      return `not vectorizable: ${result.reason}${result.readsTensorData ? '' : ' (reads no tensor data)'}`;
    case 'inPlace':
      return `in place: ${result.read}`;
    case 'unsupported':
      return `unsupported: ${result.reason}`;
  }
}

/** Every outermost nest of `code` as text, separated by blank lines. */
export function liftText(code: string): string {
  const results = liftAll(code);
  if (results.length === 0) throw new Error('no loop nest in the snippet');
  return results.map(printResult).join('\n\n');
}

/**
 * Source text written indented inside a case: drops the first and last line (the ones holding the
 * backticks) and the common indentation. Code keeps a final newline; use `lines` for expected text.
 */
export function dedent(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((s, part, k) => s + part + (k < values.length ? String(values[k]) : ''), '');
  const lines = raw.split('\n').slice(1, -1);
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return `${lines.map((l) => l.slice(indent)).join('\n')}\n`;
}

/** Like `dedent`, without the final newline: expected printer output. */
export function lines(strings: TemplateStringsArray, ...values: unknown[]): string {
  return dedent(strings, ...values).slice(0, -1);
}
