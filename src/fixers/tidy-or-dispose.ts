/**
 * The two suggestions for a tensor a loop leaks: run the loop body in `tf.tidy`, or dispose the one
 * leaked variable at the end of the body.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { loopBodyParts, walk, type LoopSite } from '../analysis/loop-context.js';
import type { Leak } from '../analysis/tensor-leak.js';
import type { TfBinding } from '../analysis/tf-binding.js';
import { FUNCTION_TYPES, unwrap } from '../ast/predicates.js';
import { statementSeparator } from './line-layout.js';

type Fix = (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix;

/** How the file calls `tf.tidy`: through its namespace or a named import (none without either). */
export function tidyCallee(binding: TfBinding): string | undefined {
  return binding.namespace
    ? `${binding.namespace}.tidy`
    : [...binding.named].find(([, imported]) => imported === 'tidy')?.[0];
}

/** `{ tidy(() => { …body… }); }`, the body indented one step deeper (one line: kept on one line). */
export function wrapInTidy(
  sourceCode: Readonly<TSESLint.SourceCode>,
  body: TSESTree.BlockStatement,
  tidy: string,
): Fix {
  const text = sourceCode.getText(body);
  const inner = text.slice(1, -1);
  const lines = inner.split('\n');
  if (lines.length < 3) return (fixer) => fixer.replaceText(body, `{ ${tidy}(() => {${inner}}); }`);
  const closeIndent = lines[lines.length - 1];
  const firstIndent = /^\s*/.exec(lines.find((l, k) => k > 0 && l.trim() !== '') ?? '')![0];
  const unit =
    firstIndent.startsWith(closeIndent) && firstIndent.length > closeIndent.length
      ? firstIndent.slice(closeIndent.length)
      : '  ';
  const middle = lines.slice(1, -1).map((l) => (l.trim() === '' ? l : unit + l));
  const replacement = [
    `{${lines[0]}`,
    `${closeIndent}${unit}${tidy}(() => {`,
    ...middle,
    `${closeIndent}${unit}});`,
    `${closeIndent}}`,
  ].join('\n');
  return (fixer) => fixer.replaceText(body, replacement);
}

/** `p.dispose();` after the body's last statement, for a single leaked variable declared in the body itself. */
export function disposeAtEnd(sourceCode: Readonly<TSESLint.SourceCode>, site: LoopSite, leak: Leak): Fix | undefined {
  const body = loopBodyParts(site)[0];
  const decl = leak.variable?.defs[0].parent;
  if (!leak.variable || body.type !== AST_NODE_TYPES.BlockStatement || decl?.parent !== body) return undefined;
  // An early exit would skip the dispose on that path.
  let jumps = false;
  walk(
    body,
    (n) => {
      if (
        [
          AST_NODE_TYPES.BreakStatement,
          AST_NODE_TYPES.ContinueStatement,
          AST_NODE_TYPES.ReturnStatement,
          AST_NODE_TYPES.ThrowStatement,
        ].includes(n.type)
      )
        jumps = true;
    },
    (n) => FUNCTION_TYPES.has(n.type),
  );
  if (jumps) return undefined;
  const last = body.body[body.body.length - 1];
  const separator = statementSeparator(sourceCode, last);
  const name = leak.variable.name;
  // minimize(…, true) is typed `Scalar | null`: `?.` keeps the output type-checking.
  const call = unwrap(leak.creation);
  const nullable =
    call.type === AST_NODE_TYPES.CallExpression &&
    call.callee.type === AST_NODE_TYPES.MemberExpression &&
    call.callee.property.type === AST_NODE_TYPES.Identifier &&
    call.callee.property.name === 'minimize';
  return (fixer) => fixer.insertTextAfter(last, `${separator}${name}${nullable ? '?.' : '.'}dispose();`);
}
