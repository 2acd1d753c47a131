// The docs' own examples of correct code must lint clean with every rule (the plugin's `all` config):
// a rule that reports on code its documentation calls correct contradicts itself.
//
// What counts as an example of correct code, in README.md and docs/rules/*.md:
// - a ```ts / ```js block after a "✅ Correct" line, an "Examples of **correct** code" line, or
//   README's "… becomes, with `eslint --fix`:" line (up to the next prose line or heading);
// - in any other block, the part after a `// ✅ …` comment line up to the next `// ❌` line: the
//   rewrite that a catalogue entry shows under the loop it replaces.
// Whole blocks are linted as they stand. Catalogue parts are fragments of a function body (the docs
// say the surrounding function is left out and `tf` is `import * as tf from '@tensorflow/tfjs'`), so
// they are linted inside a function with that import. Every example must parse.
//
// A rule doc's example is correct for the rule it documents, which must never report on it, and the
// docs show code that no rule reports. Should another rule ever rightly report on a rule doc's example
// (the loop left after a hoisted read-back can be an element loop), the finding is listed in
// OTHER_RULES with the reason (none is today), and a listed finding that no longer occurs fails too,
// so the list stays exact. The docs' examples of incorrect code are linted as well,
// to show the rules really run here: each is reported by the rule it documents.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tsParser from '@typescript-eslint/parser';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RULE_DOCS = fs
  .readdirSync(path.join(root, 'docs/rules'))
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => `docs/rules/${f}`);
const DOCS = ['README.md', ...RULE_DOCS];

/** Findings of other rules on a rule doc's examples of correct code: the doc, the rule, a piece of the reported line, and why the finding is right. */
const OTHER_RULES: { file: string; rule: string; line: string; reason: string }[] = [];

interface Example {
  file: string;
  /** `file:line` of the example's first code line. */
  where: string;
  kind: 'correct' | 'incorrect';
  /** The code as linted. */
  code: string;
}

const CORRECT_MARKER = /^(✅ Correct|Examples of \*\*correct\*\* code|… becomes, with `eslint --fix`)/;
const INCORRECT_MARKER = /^(❌ Incorrect|Examples of \*\*incorrect\*\* code)/;
const CODE_FENCES = new Set(['ts', 'js', 'tsx', 'jsx']);

/** A catalogue fragment with the context the docs say they leave out. */
const inFunction = (fragment: string[]) =>
  ["import * as tf from '@tensorflow/tfjs';", '', 'export function example() {', ...fragment, '}', ''].join('\n');

function examples(file: string): Example[] {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  const found: Example[] = [];
  let mode: Example['kind'] | undefined;
  for (let k = 0; k < lines.length; k++) {
    const fence = /^```(\w*)/.exec(lines[k]);
    if (!fence) {
      if (CORRECT_MARKER.test(lines[k])) mode = 'correct';
      else if (INCORRECT_MARKER.test(lines[k])) mode = 'incorrect';
      else if (lines[k].trim() !== '') mode = undefined;
      continue;
    }
    const start = k + 1;
    let end = start;
    while (end < lines.length && !lines[end].startsWith('```')) end++;
    const body = lines.slice(start, end);
    k = end;
    if (!CODE_FENCES.has(fence[1])) continue;
    if (mode) {
      found.push({ file, where: `${file}:${start + 1}`, kind: mode, code: body.join('\n') });
      continue;
    }
    // `// ✅ autofix` … up to the next `// ❌` (or the end of the block).
    for (let j = 0; j < body.length; j++) {
      if (!body[j].startsWith('// ✅')) continue;
      let stop = j + 1;
      while (stop < body.length && !body[stop].startsWith('// ❌')) stop++;
      found.push({
        file,
        where: `${file}:${start + j + 2}`,
        kind: 'correct',
        code: inFunction(body.slice(j + 1, stop)),
      });
      j = stop - 1;
    }
  }
  return found;
}

const all = DOCS.flatMap(examples);
const correct = all.filter((e) => e.kind === 'correct');
const incorrect = all.filter((e) => e.kind === 'incorrect' && RULE_DOCS.includes(e.file));
const linter = new Linter({ configType: 'flat' });
const config: Linter.Config[] = [
  { files: ['**/*.ts'], languageOptions: { parser: tsParser } },
  plugin.configs.all as Linter.Config,
];
const lint = (example: Example) => linter.verify(example.code, config, 'example.ts');

/** The rule a doc documents (none for the README, which documents them all). */
const ownRule = (file: string) =>
  file.startsWith('docs/rules/') ? `vectorize/${path.basename(file, '.md')}` : undefined;

/** The findings on an example of correct code that OTHER_RULES does not account for, and the entries it does use. */
function unexpectedFindings(example: Example): {
  unexpected: Linter.LintMessage[];
  used: (typeof OTHER_RULES)[number][];
} {
  const lines = example.code.split('\n');
  const used: (typeof OTHER_RULES)[number][] = [];
  const unexpected = lint(example).filter((m) => {
    const known = OTHER_RULES.find(
      (k) =>
        k.file === example.file &&
        k.rule === m.ruleId &&
        m.ruleId !== ownRule(example.file) &&
        lines[m.line - 1]?.includes(k.line),
    );
    if (known) used.push(known);
    return !known;
  });
  return { unexpected, used };
}

describe('the documentation’s examples of correct code', () => {
  it('are found in the README and in every rule doc', () => {
    for (const file of DOCS)
      expect(
        correct.some((e) => e.file === file),
        `no example of correct code found in ${file}`,
      ).toBe(true);
  });

  it.each(correct.map((e) => [e.where, e] as const))('%s lints clean with every rule', (where, example) => {
    const { unexpected } = unexpectedFindings(example);
    expect(
      unexpected.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`),
      where,
    ).toEqual([]);
  });

  it('every finding listed in OTHER_RULES still occurs', () => {
    const used = new Set(correct.flatMap((e) => unexpectedFindings(e).used));
    expect(OTHER_RULES.filter((k) => !used.has(k)).map((k) => `${k.file}: ${k.rule} on \`${k.line}\``)).toEqual([]);
  });
});

describe('the rule docs’ examples of incorrect code', () => {
  it.each(incorrect.map((e) => [e.where, e] as const))('%s is reported by its rule', (where, example) => {
    const messages = lint(example);
    expect(
      messages.filter((m) => m.fatal).map((m) => m.message),
      `${where} does not parse`,
    ).toEqual([]);
    expect(
      messages.some((m) => m.ruleId === ownRule(example.file)),
      `${where}: ${ownRule(example.file)} reports nothing`,
    ).toBe(true);
  });
});
