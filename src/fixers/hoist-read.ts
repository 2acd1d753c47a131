/**
 * Hoisting a loop-invariant read-back above its loop. `const d = t.dataSync();` in the body moves
 * as it is; reads used in place share one new `const tData = t.dataSync();` before the loop. The
 * plan is an autofix when the values and the order of effects stay the same, a suggestion (with its
 * caveat) when they may not, and nothing when it cannot be shown to be equivalent.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isDisposal } from '../analysis/disposal.js';
import { enclosingFunction, hoistAnchor, runsOnEveryIteration } from '../analysis/loop-context.js';
import { indexesToNumber, movableDeclaration, readOnlyUse, valuesFixed, type Read } from '../analysis/readback.js';
import type { TensorFacts } from '../analysis/tensors.js';
import { lineStart, statementSeparator } from './line-layout.js';
import { mentionCount } from '../ast/predicates.js';
import { mentionsCountInFile, mentionsInFile } from '../unit-cache.js';

const NAME_SUFFIX: Record<string, string> = {
  dataSync: 'Data',
  data: 'Data',
  arraySync: 'Values',
  array: 'Values',
  bufferSync: 'Buffer',
  buffer: 'Buffer',
};

/** The edits of one hoisting, and whether they may be applied as an autofix (else offered with the caveat). */
export interface HoistPlan {
  edits: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[];
  auto: boolean;
  caveat: string;
}

/**
 * A name used nowhere in the file (nor by an earlier hoisting where it would be seen), so the hoisted
 * declaration can neither clash nor shadow a name the code uses.
 */
function freshName(sourceCode: Readonly<TSESLint.SourceCode>, base: string, taken: Set<string>): string {
  const used = (name: string) => taken.has(name) || mentionsInFile(sourceCode, name);
  let name = base;
  for (let k = 2; used(name); k++) name = `${base}${k}`;
  taken.add(name);
  return name;
}

/** The range that removes `stmt`, with its whole line when nothing else stands on it. */
function removalRange(text: string, stmt: TSESTree.Node): [number, number] {
  const start = lineStart(text, stmt.range[0]);
  const nextBreak = text.indexOf('\n', stmt.range[1]);
  const end = nextBreak === -1 ? text.length : nextBreak + 1;
  const ownLine = /^\s*$/.test(text.slice(start, stmt.range[0])) && /^\s*$/.test(text.slice(stmt.range[1], end));
  return ownLine ? [start, end] : stmt.range;
}

/**
 * The hoisting of each read in `group` (one loop's reads of the loop-invariant `variable` by one
 * method) that can be shown to keep behaviour; reads without a plan are reported without a fix.
 * `takenAt(anchor)` collects the names earlier hoistings introduced that a declaration before `anchor` could
 * clash with: those of the same top-level statement (a function's own), or of the module's top.
 */
export function planHoist(
  facts: TensorFacts,
  group: readonly Read[],
  variable: Scope.Variable,
  takenAt: (anchor: TSESTree.Statement) => Set<string>,
): Map<Read, HoistPlan> {
  const sourceCode = facts.sourceCode;
  const text = sourceCode.text;
  const plans = new Map<Read, HoistPlan>();
  const site = group[0].site;
  const anchor = hoistAnchor(site);
  if (!anchor) return plans;
  // Disposed before or inside the loop: the original may throw where the hoisted read would not, or the reverse.
  if (variable.references.some((r) => r.identifier.range[0] < site.node.range[1] && isDisposal(facts, r.identifier)))
    return plans;
  const async = group[0].expr.type === AST_NODE_TYPES.AwaitExpression;
  const anchorFn = enclosingFunction(anchor);
  let caveat: string | undefined;
  // An awaited read moved out of the loop changes where the loop yields to other work: offered, never applied.
  if (async) {
    if (anchorFn?.type === AST_NODE_TYPES.Program || !anchorFn?.async) return plans;
    caveat = 'the loop no longer waits for the backend on each iteration, so other async work interleaves differently';
  } else if (!valuesFixed(facts, variable, site)) {
    // A tf.Variable assigned by a call in the loop would be read once instead of per iteration.
    caveat = `if \`${variable.name}\` is a tf.Variable that a call in the loop assigns, the hoisted values go stale`;
  }
  const eligible = group.filter(
    (r) => runsOnEveryIteration(r.expr, site) && (!async || enclosingFunction(r.expr) === anchorFn),
  );
  const separator = statementSeparator(sourceCode, anchor);
  const insertBeforeLoop = (fixer: TSESLint.RuleFixer, statement: string) =>
    fixer.insertTextBeforeRange([anchor.range[0], anchor.range[0]], `${statement}${separator}`);
  const make = (edits: HoistPlan['edits']): HoistPlan => ({ edits, auto: caveat === undefined, caveat: caveat ?? '' });

  // `const d = t.dataSync();` in the body moves above the loop as it is.
  const inline: Read[] = [];
  for (const read of eligible) {
    const stmt = movableDeclaration(facts, read);
    if (!stmt) {
      if (readOnlyUse(sourceCode, read.expr, indexesToNumber(facts, read))) inline.push(read);
      continue;
    }
    const name = (stmt.declarations[0].id as TSESTree.Identifier).name;
    // Used outside the loop: the name in the file more often than in the loop.
    if (mentionsCountInFile(sourceCode, name) > mentionCount(text.slice(site.node.range[0], site.node.range[1]), name))
      continue;
    let declaration = sourceCode.getText(stmt);
    if (!declaration.endsWith(';')) declaration += ';';
    const removal = removalRange(text, stmt);
    plans.set(
      read,
      make((fixer) => [insertBeforeLoop(fixer, declaration), fixer.removeRange(removal)]),
    );
  }
  // Reads used in place share one new declaration.
  if (inline.length > 0) {
    const first = inline[0];
    const name = freshName(sourceCode, `${variable.name}${NAME_SUFFIX[first.method]}`, takenAt(anchor));
    const readText = async ? `await ${sourceCode.getText(first.call)}` : sourceCode.getText(first.call);
    const edits: HoistPlan['edits'] = (fixer) => [
      insertBeforeLoop(fixer, `const ${name} = ${readText};`),
      ...inline.map((r) => fixer.replaceText(r.expr, name)),
    ];
    for (const read of inline) plans.set(read, make(edits));
  }
  return plans;
}
