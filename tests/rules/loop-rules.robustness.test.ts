// Beyond RuleTester for vectorize/no-readback-in-loop and vectorize/no-tensor-leak-in-loop (and, in
// part 2 only, vectorize/no-gradient-break, which has no fix):
// 1. every autofix and suggestion output in their case files type-checks (no error or unused
//    declaration the original did not have), with the fixture harness's compiler settings;
// 2. on mutated TF.js code (the case files, no-element-loop's cases and the fixtures, with
//    tests/property/mutate.ts's mutations) neither rule throws (VECTORIZE_DEBUG is set by
//    vitest.config.ts, so internal errors surface) and every fix or suggestion keeps the source
//    parsable. Deterministic: a fixed seed.
import fs from 'node:fs';
import tsParser from '@typescript-eslint/parser';
import type { InvalidTestCase, ValidTestCase } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { applyFixes, findFixtures, numbered, typecheckSources } from '../harness/fixture.js';
import { applyMutations, mutationArb } from '../property/mutate.js';
import * as elementCases from './cases.js';
import * as readbackCases from './no-readback-in-loop.cases.js';
import * as leakCases from './no-tensor-leak-in-loop.cases.js';
import * as gradientCases from './no-gradient-break.cases.js';

const RULES = ['no-readback-in-loop', 'no-tensor-leak-in-loop'] as const;
/** Rules that only report (no fix or suggestion to type-check), run in the robustness part too. */
const REPORT_ONLY_RULES = ['no-gradient-break'] as const;
const SEED = Number(process.env.PROPERTY_SEED ?? 0x1007);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 150);

type AnyInvalid = InvalidTestCase<string, readonly unknown[]>;
const suites: Record<(typeof RULES)[number], { valid: ValidTestCase<readonly unknown[]>[]; invalid: AnyInvalid[] }> = {
  'no-readback-in-loop': readbackCases,
  'no-tensor-leak-in-loop': leakCases,
};

describe('fix and suggestion outputs type-check', () => {
  for (const rule of RULES) {
    it(`${rule}: every output and suggestion output`, { timeout: 120_000 }, () => {
      const files: Record<string, string> = {};
      const pairs: [string, string, string][] = [];
      suites[rule].invalid.forEach((c, k) => {
        const orig = `tests/.tmp/loop-rules/${rule}/${k}/orig.ts`;
        files[orig] = c.code;
        const outputs: string[] = [];
        if (typeof c.output === 'string') outputs.push(c.output);
        else if (Array.isArray(c.output)) outputs.push(c.output[c.output.length - 1]);
        for (const e of c.errors)
          for (const s of (typeof e === 'string' ? [] : (e.suggestions ?? [])) as unknown as readonly {
            output: string;
          }[])
            outputs.push(s.output);
        outputs.forEach((out, o) => {
          const name = `tests/.tmp/loop-rules/${rule}/${k}/out${o}.ts`;
          files[name] = out;
          pairs.push([c.name ?? `case ${k}`, orig, name]);
        });
      });
      expect(pairs.length).toBeGreaterThan(5);
      const checked = typecheckSources(files);
      const problems: string[] = [];
      const strip = (e: string) => e.replace(/^\d+:\d+ /, '');
      for (const [name, orig, out] of pairs) {
        const known = new Set([...checked[orig].errors, ...checked[orig].unused].map(strip));
        for (const e of [...checked[out].errors, ...checked[out].unused])
          if (!known.has(strip(e))) problems.push(`${name}: ${e}`);
      }
      expect(problems).toEqual([]);
    });
  }
});

describe('robustness: the rules never throw and their fixes keep the source parsable', () => {
  const linter = new Linter({ configType: 'flat' });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tsParser },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      plugins: { vectorize: plugin as never },
      rules: Object.fromEntries([...RULES, ...REPORT_ONLY_RULES].map((r) => [`vectorize/${r}`, 'warn'])),
    },
  ];
  const codeOf = (c: string | { code: string }) => (typeof c === 'string' ? c : c.code);
  const seeds = [
    ...RULES.flatMap((r) => [...suites[r].valid, ...suites[r].invalid].map(codeOf)),
    ...[...elementCases.valid, ...elementCases.invalid].map(codeOf),
    ...[...gradientCases.valid, ...gradientCases.invalid].map(codeOf),
    ...findFixtures()
      .filter((f) => f.endsWith('.ts'))
      .map((f) => fs.readFileSync(f, 'utf8')),
  ];
  const stats = { linted: 0, reported: 0, fixes: 0, suggestions: 0 };

  function check(text: string): void {
    let messages: Linter.LintMessage[];
    try {
      messages = linter.verify(text, config, 'mutant.ts');
    } catch (error) {
      throw new Error(`a rule threw on:\n${numbered(text)}\n\n${(error as Error).stack}`, { cause: error });
    }
    if (messages.some((m) => m.fatal)) return;
    stats.linted++;
    if (messages.length > 0) stats.reported++;
    const mustParse = (output: string, what: string) => {
      const fatal = linter.verify(output, config, 'mutant.ts').find((m) => m.fatal);
      if (fatal)
        throw new Error(
          `${what} gives a source that does not parse (${fatal.message}):\n--- input ---\n${numbered(text)}\n--- output ---\n${numbered(output)}`,
        );
    };
    for (const m of messages) {
      if (m.fix) {
        stats.fixes++;
        mustParse(applyFixes(text, [m.fix]).output, `the ${m.ruleId} autofix at ${m.line}:${m.column}`);
      }
      for (const s of m.suggestions ?? []) {
        stats.suggestions++;
        mustParse(applyFixes(text, [s.fix]).output, `the ${m.ruleId} suggestion at ${m.line}:${m.column}`);
      }
    }
    if (messages.some((m) => m.fix)) mustParse(linter.verifyAndFix(text, config, 'mutant.ts').output, '--fix');
  }

  it('the unmutated seeds', { timeout: 120_000 }, () => {
    seeds.forEach(check);
  });

  it(`mutated seeds (${RUNS} programs)`, { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), (k, mutations) => {
        check(applyMutations(seeds[k % seeds.length], mutations).text);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the inputs are not vacuous: the rules report, fix and suggest on some of them', () => {
    expect(stats.reported).toBeGreaterThan(20);
    expect(stats.fixes).toBeGreaterThan(5);
    expect(stats.suggestions).toBeGreaterThan(5);
  });
});

describe('interplay with vectorize/no-element-loop', () => {
  it('--fix with the recommended config hoists a read out of the loop, then no-element-loop replaces the loop', () => {
    const code = [
      "import * as tf from '@tensorflow/tfjs';",
      '',
      'export function rowSums(x: tf.Tensor2D): tf.Tensor1D {',
      '  const [n, m] = x.shape;',
      '  const out = new Float32Array(n);',
      '  for (let i = 0; i < n; i++) {',
      '    let s = 0;',
      '    for (let j = 0; j < m; j++) s += x.dataSync()[i * m + j];',
      '    out[i] = s;',
      '  }',
      '  return tf.tensor1d(out);',
      '}',
      '',
    ].join('\n');
    const linter = new Linter({ configType: 'flat' });
    const { output, messages } = linter.verifyAndFix(
      code,
      [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, plugin.configs.recommended as Linter.Config],
      'file.ts',
    );
    expect(messages).toEqual([]);
    expect(output).not.toMatch(/dataSync|for \(/);
    expect(output).toMatch(/tf\.sum\(x, 1\)/);
  });
});
