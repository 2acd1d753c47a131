/**
 * The suggestions for tensors a loop leaks: run the loop body in `tf.tidy`, or dispose the leaked
 * variables at the end of the body — `x.dispose()` for a tensor, `tf.dispose(x)` for a value that may
 * be an array of tensors (`model.predict` with several outputs), where `x.dispose()` would throw.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { loopBodyParts, walk, type LoopSite } from '../analysis/loop-context.js';
import type { Leak } from '../analysis/tensor-leak.js';
import type { TfBinding } from '../analysis/tf-binding.js';
import { FUNCTION_TYPES, unwrap } from '../ast/predicates.js';
import { statementSeparator } from './line-layout.js';

type Fix = (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix;

/** How the file calls a TF.js function: through its namespace or a named import (none without either). */
export function tfCallee(binding: TfBinding, name: string): string | undefined {
  return binding.namespace
    ? `${binding.namespace}.${name}`
    : [...binding.named].find(([, imported]) => imported === name)?.[0];
}

/** How the file calls `tf.tidy`: through its namespace or a named import (none without either). */
export function tidyCallee(binding: TfBinding): string | undefined {
  return tfCallee(binding, 'tidy');
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

/**
 * The statement that disposes the leaked variables, each declared in the loop body itself (`let` or
 * `const`, so nothing after the body can see them): `p.dispose();` for one tensor, `tf.dispose(p);`
 * for a value that may be an array, `tf.dispose([a, b]);` for several. Added after the body's last
 * statement, when nothing can leave the body before it.
 */
export function disposeAtEnd(
  sourceCode: Readonly<TSESLint.SourceCode>,
  binding: TfBinding,
  site: LoopSite,
  leaks: readonly Leak[],
): Fix | undefined {
  const body = loopBodyParts(site)[0];
  if (body.type !== AST_NODE_TYPES.BlockStatement || leaks.length === 0) return undefined;
  for (const leak of leaks) {
    const decl = leak.variable?.defs[0].parent;
    if (decl?.type !== AST_NODE_TYPES.VariableDeclaration || decl.kind === 'var' || decl.parent !== body)
      return undefined;
  }
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
  const dispose = tfCallee(binding, 'dispose');
  let statement: string;
  if (leaks.length === 1 && leaks[0].kind === 'tensor') {
    const leak = leaks[0];
    // minimize(…, true) is typed `Scalar | null`: `?.` keeps the output type-checking.
    const call = unwrap(leak.creation);
    const nullable =
      call.type === AST_NODE_TYPES.CallExpression &&
      call.callee.type === AST_NODE_TYPES.MemberExpression &&
      call.callee.property.type === AST_NODE_TYPES.Identifier &&
      call.callee.property.name === 'minimize';
    statement = `${leak.variable!.name}${nullable ? '?.' : '.'}dispose();`;
  } else if (!dispose) {
    // No way to reach tf.dispose, and `x.dispose()` would throw on an array.
    return undefined;
  } else if (leaks.length === 1) statement = `${dispose}(${leaks[0].variable!.name});`;
  else statement = `${dispose}([${leaks.map((l) => l.variable!.name).join(', ')}]);`;
  return (fixer) => fixer.insertTextAfter(last, `${separator}${statement}`);
}
