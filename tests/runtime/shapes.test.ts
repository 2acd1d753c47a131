// The lifter's facts reach input synthesis by node (src/runtime/reported.ts, src/runtime/shapes.ts):
// the no-element-loop rule hands over the nest root it reported, and shapeFacts lifts that node.
import type { TSESLint } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { recordReportedNodes } from '../../src/runtime/reported.js';
import { shapeFacts } from '../../src/runtime/shapes.js';

const RULE_ID = 'vectorize/no-element-loop';

const SOURCE = `import * as tf from '@tensorflow/tfjs';
export function norms(vecs) {
  const rows = vecs.arraySync();
  const out = new Float32Array(rows.length);
  rows.forEach((row, i) => {
    let sq = 0;
    for (let c = 0; c < 3; c++) sq += row[c] * row[c];
    out[i] = Math.sqrt(sq);
  });
  return tf.tensor1d(out);
}
export function doubled(x, which) {
  const a = x.arraySync();
  const w = which.arraySync();
  const out = [];
  // eslint-disable-next-line vectorize/no-element-loop
  for (let i = 0; i < a.length; i++) out.push(a[i][w[i]] * 2);
  return tf.tensor1d(out);
}
export function pick(x, which) {
  const a = x.arraySync();
  const w = which.arraySync();
  const out = [];
  for (let i = 0; i < a.length; i++) out.push(a[i][w[i]]);
  return tf.tensor1d(out);
}
export const total = (x) => x.arraySync().reduce((s, v) => s + v, 0);
`;

function lint(source: string) {
  const reported = recordReportedNodes();
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    source,
    [
      {
        files: ['**/*.js'],
        plugins: { vectorize: reported.plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
        languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
        rules: { [RULE_ID]: ['warn', { fix: 'auto' }] },
      },
    ],
    { filename: 'loops.js' },
  );
  expect(messages.filter((m) => m.fatal)).toEqual([]);
  const sourceCode = linter.getSourceCode() as unknown as TSESLint.SourceCode;
  const findings = messages.filter((m) => m.ruleId === RULE_ID).map((m) => ({ m, root: reported.nodeOf(m) }));
  return { sourceCode, findings };
}

describe('the reported node', () => {
  it('is the nest root the rule reported, matched to its own message, also after a suppressed report', () => {
    const where = (findings: ReturnType<typeof lint>['findings']) =>
      findings.map(({ m, root }) => [m.line, m.column, root?.type, root?.loc.start.line, root?.loc.start.column]);
    expect(where(lint(SOURCE).findings)).toEqual([
      // The forEach statement: reported at `forEach` (line 5, column 8), the node starts at `rows` (column 2).
      [5, 8, 'ExpressionStatement', 5, 2],
      [24, 3, 'ForStatement', 24, 2],
      // The reduce call: reported at `reduce`, the node starts at `x`.
      [27, 43, 'CallExpression', 27, 28],
    ]);
    // The rule reports the loop of `doubled` too; above, its message was suppressed, and the later
    // messages still got their own loops.
    const unsuppressed = SOURCE.replace('  // eslint-disable-next-line vectorize/no-element-loop\n', '');
    expect(where(lint(unsuppressed).findings)[1]).toEqual([16, 3, 'ForStatement', 16, 2]);
  });

  it('gives the lifter facts for input synthesis: literal bounds, ranks, index tensors', () => {
    const { sourceCode, findings } = lint(SOURCE);
    const [norms, pick, total] = findings.map(({ root }) => shapeFacts(sourceCode, root!));
    // rows.forEach((row, i) => … row[c] for c < 3): vecs is 2-D with 3 columns.
    expect(norms).toEqual(new Map([['vecs', { rank: 2, literal: new Map([[1, 3]]) }]]));
    // a[i][w[i]]: which's values index x's second axis.
    expect(pick.get('x')).toMatchObject({ rank: 2, literal: new Map() });
    expect(pick.get('which')).toMatchObject({ rank: 1, indexes: { tensor: 'x', axis: 1 } });
    expect(total).toEqual(new Map([['x', { rank: 1, literal: new Map() }]]));
  });

  it('gives no facts for a node that does not lift', () => {
    const { sourceCode } = lint(SOURCE);
    const program = sourceCode.ast;
    const fn = program.body[1];
    if (fn.type !== 'ExportNamedDeclaration' || fn.declaration?.type !== 'FunctionDeclaration')
      throw new Error('norms');
    // `let sq = 0;` is no loop nest; the inner `for` alone writes to a local of the callback.
    const stmt = fn.declaration.body.body[2];
    if (stmt.type !== 'ExpressionStatement' || stmt.expression.type !== 'CallExpression') throw new Error('forEach');
    const callback = stmt.expression.arguments[0];
    if (callback.type !== 'ArrowFunctionExpression' || callback.body.type !== 'BlockStatement')
      throw new Error('callback');
    const inner = callback.body.body[1];
    if (inner.type !== 'ForStatement') throw new Error('inner for');
    expect(shapeFacts(sourceCode, inner)).toEqual(new Map());
  });
});
