// Regression tests for the lifter fixes of issue 9: each failed on the single-class lifter
// (src/analysis/lift.ts at 434a76f) and passes on the folder of modules (src/analysis/lift/).
import tsParser from '@typescript-eslint/parser';
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { liftNest, type NestRoot } from '../../src/analysis/lift/index.js';
import { TensorFacts } from '../../src/analysis/tensors.js';
import { findTfBinding } from '../../src/analysis/tf-binding.js';
import elementLoop from '../../src/rules/no-element-loop.js';

const linter = new Linter({ configType: 'flat' });

/** no-element-loop's findings on `code`, as `line:messageId`. */
function findings(code: string): string[] {
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser },
      plugins: { vectorize: { rules: { 'no-element-loop': elementLoop as never } } },
      rules: { 'vectorize/no-element-loop': 'warn' },
    },
  ];
  return linter.verify(code, config, 'file.ts').map((m) => `${m.line}:${m.messageId ?? m.message}`);
}

/** Runs `f` with the parsed file's source code (through a throwaway rule). */
function withSource(code: string, f: (sourceCode: Readonly<TSESLint.SourceCode>) => void): void {
  const rule = {
    meta: { type: 'problem' as const, schema: [] },
    create: (context: TSESLint.RuleContext<never, []>) => ({ Program: () => f(context.sourceCode) }),
  };
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser },
      plugins: { probe: { rules: { probe: rule as never } } },
      rules: { 'probe/probe': 'error' },
    },
  ];
  const fatal = linter.verify(code, config, 'file.ts').find((m) => m.fatal || m.ruleId === null);
  if (fatal) throw new Error(fatal.message);
}

/** The outermost `for` statements of the file, in source order. */
function outerLoops(ast: TSESTree.Program): NestRoot[] {
  const out: NestRoot[] = [];
  const visit = (n: TSESTree.Node, inLoop: boolean): void => {
    const isLoop = n.type === AST_NODE_TYPES.ForStatement;
    if (isLoop && !inLoop) out.push(n);
    for (const [k, v] of Object.entries(n)) {
      if (k === 'parent') continue;
      for (const c of Array.isArray(v) ? v : [v]) {
        if (c && typeof c === 'object' && typeof (c as { type?: unknown }).type === 'string')
          visit(c as TSESTree.Node, inLoop || isLoop);
      }
    }
  };
  visit(ast, false);
  return out;
}

describe('substitute keeps polynomials (a start value with a size parameter)', () => {
  // `substitute` cloned the IR through JSON, turning the `Poly` of the param `n` into a plain object,
  // so the start value `rows[i][0] * n` never equalled the body at j = 0: "loop skips elements".
  const rowMax = (factor: string) => `
import * as tf from '@tensorflow/tfjs';

export function rowMax(x: tf.Tensor2D, n: number): tf.Tensor1D {
  const rows = x.arraySync();
  const out = new Float32Array(x.shape[0]);
  for (let i = 0; i < x.shape[0]; i++) {
    let best = rows[i][0] * ${factor};
    for (let j = 1; j < x.shape[1]; j++) best = Math.max(best, rows[i][j] * ${factor});
    out[i] = best;
  }
  return tf.tensor1d(out);
}
`;

  it('a row max from `rows[i][0] * 2` is reported (control)', () => {
    expect(findings(rowMax('2'))).toEqual(['7:vectorizable']);
  });

  it('a row max from `rows[i][0] * n` (n a parameter) is reported too', () => {
    expect(findings(rowMax('n'))).toEqual(['7:vectorizable']);
  });

  it('liftNest lifts it', () => {
    withSource(rowMax('n'), (sourceCode) => {
      const facts = new TensorFacts(sourceCode, findTfBinding(sourceCode.ast)!);
      const [loop] = outerLoops(sourceCode.ast);
      const result = liftNest(facts, loop);
      expect(result.kind).toBe('lifted');
    });
  });
});

describe('a lift leaves the shared tensor facts as it found them', () => {
  // Loop 1 reads `d` with the strides of a rank-3 tensor, then fails (Math.random). The single-class
  // lifter wrote its guess (rank 3) into the TensorInfo that TensorFacts keeps for `x` for the whole
  // file, so loop 2, which reads `d` with rank-2 strides, no longer decomposed and was not reported.
  const first = `
  let s = 0;
  for (let i = 0; i < x.shape[0]; i++) {
    for (let j = 0; j < x.shape[1]; j++) {
      for (let k = 0; k < x.shape[2]; k++) s += d[(i * x.shape[1] + j) * x.shape[2] + k] * Math.random();
    }
  }
  console.log(s);`;
  const file = (loop1: string) => `
import * as tf from '@tensorflow/tfjs';

export function f(x: tf.Tensor): tf.Tensor2D {
  const d = x.dataSync();${loop1}
  const out = new Float32Array(x.shape[0] * x.shape[1]);
  for (let i = 0; i < x.shape[0]; i++) {
    for (let j = 0; j < x.shape[1]; j++) out[i * x.shape[1] + j] = d[i * x.shape[1] + j] * 2;
  }
  return tf.tensor2d(out, [x.shape[0], x.shape[1]]);
}
`;
  const code = file(first);

  it('the second loop is lifted as if the first were not there', () => {
    expect(findings(file(''))).toEqual(['7:vectorizableSuggestion']);
    expect(findings(code)).toEqual(['14:vectorizableSuggestion']);
  });

  it("a failed lift does not change TensorFacts' infos", () => {
    withSource(code, (sourceCode) => {
      const facts = new TensorFacts(sourceCode, findTfBinding(sourceCode.ast)!);
      const [loop1, loop2] = outerLoops(sourceCode.ast);
      const decl = (sourceCode.ast.body[1] as TSESTree.ExportNamedDeclaration)
        .declaration as TSESTree.FunctionDeclaration;
      const x = decl.params[0] as TSESTree.Identifier;
      const before = { ...facts.tensor(x)! };
      expect(before.rank).toBeUndefined();
      expect(liftNest(facts, loop1).kind).toBe('unsupported');
      expect({ ...facts.tensor(x)! }).toEqual(before);
      const lifted = liftNest(facts, loop2);
      expect(lifted.kind).toBe('lifted');
      expect({ ...facts.tensor(x)! }).toEqual(before);
      // What the lift inferred is in its own result.
      if (lifted.kind === 'lifted') expect(lifted.nest.tensors.get('x')?.rank).toBe(2);
    });
  });
});
