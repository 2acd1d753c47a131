// Meta-tests (STYLE.md 10–11): the plugin object, its configs, its docs and its package metadata
// must agree with each other for every rule, whatever rules exist. Nothing here names a rule.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { name: string; version: string };

const ruleIds = Object.keys(plugin.rules).sort();
const ruleFiles = fs
  .readdirSync(path.join(root, 'src/rules'))
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => file.slice(0, -'.ts'.length))
  .sort();

// The part of README.md that eslint-doc-generator owns, or the whole file before it has run.
function readmeRulesTable(readme: string): string {
  const begin = readme.indexOf('<!-- begin auto-generated rules list -->');
  const end = readme.indexOf('<!-- end auto-generated rules list -->');
  return begin !== -1 && end > begin ? readme.slice(begin, end) : readme;
}

type AnyRule = (typeof plugin.rules)[keyof typeof plugin.rules];
const rulesOf = (predicate: (rule: AnyRule) => boolean) =>
  ruleIds.filter((id) => predicate(plugin.rules[id as keyof typeof plugin.rules])).map((id) => `vectorize/${id}`);

describe('plugin exports', () => {
  it('has at least one rule', () => {
    expect(ruleIds.length).toBeGreaterThan(0);
  });

  it('exports every rule file in src/rules under its file name, and nothing else', () => {
    expect(ruleIds).toEqual(ruleFiles);
  });

  it.each(ruleFiles)('exports the default export of src/rules/%s.ts as that rule', async (id) => {
    const mod = (await import(pathToFileURL(path.join(root, 'src/rules', `${id}.ts`)).href)) as { default: unknown };
    expect(plugin.rules[id as keyof typeof plugin.rules]).toBe(mod.default);
  });

  it('has meta.name and meta.version from package.json, and the vectorize namespace', () => {
    expect(plugin.meta.name).toBe(pkg.name);
    expect(plugin.meta.version).toBe(pkg.version);
    expect(plugin.meta.namespace).toBe('vectorize');
  });

  it('declares every rule in the hand-written eslint-plugin.d.ts', () => {
    const dts = read('eslint-plugin.d.ts');
    for (const id of ruleIds) expect(dts, `eslint-plugin.d.ts lacks '${id}'`).toContain(`'${id}'`);
  });
});

describe.each(ruleIds)('rule %s', (id) => {
  const rule = plugin.rules[id as keyof typeof plugin.rules];
  const docPath = `docs/rules/${id}.md`;

  it('has a description and a docs url pointing at its doc file', () => {
    expect(rule.meta.docs?.description).toEqual(expect.any(String));
    expect(rule.meta.docs?.description?.trim()).not.toBe('');
    expect(rule.meta.docs?.url).toEqual(expect.any(String));
    expect(rule.meta.docs?.url?.endsWith(docPath)).toBe(true);
  });

  it('has a type and a schema', () => {
    expect(['problem', 'suggestion', 'layout']).toContain(rule.meta.type);
    expect(rule.meta.schema).toBeDefined();
  });

  it(`has ${docPath}`, () => {
    expect(fs.existsSync(path.join(root, docPath)), `${docPath} is missing`).toBe(true);
  });

  it('is listed in the README rules table', () => {
    expect(fs.existsSync(path.join(root, 'README.md')), 'README.md is missing').toBe(true);
    const table = readmeRulesTable(read('README.md'));
    // The generated table links the rule name to its doc file; accept the namespaced id too.
    const listed = table.includes(`vectorize/${id}`) || table.includes(`](${docPath})`);
    expect(listed, `the README rules table does not list ${id}`).toBe(true);
  });
});

describe('configs', () => {
  it('recommended enables exactly the rules with docs.recommended', () => {
    const enabled = Object.keys(plugin.configs.recommended.rules ?? {}).sort();
    expect(enabled).toEqual(rulesOf((rule) => rule.meta.docs?.recommended === true));
  });

  it('all enables every rule', () => {
    const enabled = Object.keys(plugin.configs.all.rules ?? {}).sort();
    expect(enabled).toEqual(rulesOf(() => true));
  });

  it.each(['recommended', 'all'] as const)('%s turns no rule off and references the plugin object itself', (name) => {
    const config = plugin.configs[name];
    expect(config.plugins?.vectorize).toBe(plugin);
    for (const entry of Object.values(config.rules ?? {})) {
      const severity = Array.isArray(entry) ? entry[0] : entry;
      expect(['warn', 'error', 1, 2]).toContain(severity);
    }
  });
});

describe('the all config on trivial files', () => {
  const linter = new Linter({ configType: 'flat' });
  const languages = [
    { filename: 'file.js', config: {} },
    { filename: 'file.ts', config: { languageOptions: { parser: tsParser } } },
  ] as const;
  const sources = {
    empty: '',
    'only a newline': '\n',
    'only comments': '// a line comment\n/* a block comment */\n/**\n * A doc comment.\n */\n',
    'a hashbang and a comment': '#!/usr/bin/env node\n// nothing else\n',
  };

  for (const { filename, config } of languages) {
    it.each(Object.entries(sources))(`${filename}: %s reports nothing`, (_name, text) => {
      const messages = linter.verify(
        text,
        [{ files: ['**/*.js', '**/*.ts'], ...config }, plugin.configs.all as Linter.Config],
        filename,
      );
      expect(messages).toEqual([]);
    });
  }
});
