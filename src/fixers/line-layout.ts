import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/** The offset where the line holding `pos` starts. */
export function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/**
 * What separates a statement inserted before or after `node` from it: a line break and `node`'s
 * indentation when `node` starts its line, else a space (the new statement shares the line).
 */
export function statementSeparator(sourceCode: Readonly<TSESLint.SourceCode>, node: TSESTree.Node): string {
  const indent = sourceCode.text.slice(lineStart(sourceCode.text, node.range[0]), node.range[0]);
  return /^\s*$/.test(indent) ? `\n${indent}` : ' ';
}
