import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

/**
 * The range that deletes a statement together with its own line (indentation and newline) when it stands alone there.
 */
export function statementRemovalRange(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Node,
): [number, number] {
  const text = sourceCode.text;
  let [start, end] = node.range;
  let s = start;
  while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
  let e = end;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  const ownLine = (s === 0 || text[s - 1] === '\n') && (e === text.length || text[e] === '\n' || text[e] === '\r');
  if (ownLine) {
    start = s;
    end = text[e] === '\r' && text[e + 1] === '\n' ? e + 2 : Math.min(e + 1, text.length);
  }
  return [start, end];
}
