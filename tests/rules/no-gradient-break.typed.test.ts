// The shared cases again, parsed with type information: types may add certainty but never change a
// verdict or an output (STYLE.md 4), so the expectations are the untyped suite's, unchanged.
//
// As in typescript-eslint's own rule tests, the program comes from a fixture project whose
// tsconfig.json includes an on-disk file.ts; RuleTester lints each case as that file's contents.
// (`allowDefaultProject: ['*.ts*']` cannot be combined with it: typescript-estree rejects a file that
// both matches allowDefaultProject and belongs to a tsconfig.)
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-gradient-break.js';
import { invalid, valid, type TestedRule } from './no-gradient-break.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester({
  languageOptions: {
    parserOptions: {
      projectService: true,
      tsconfigRootDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures'),
    },
  },
});

ruleTester.run('no-gradient-break (typed)', rule as unknown as TestedRule, { valid, invalid });
