// @ts-check
// ESLint for this repository's own code (`npm run lint`). Formatting is Prettier's (`npm run format`):
// eslint-config-prettier, last, turns off every rule that would fight it.
//
// This file is found only by the ESLint CLI run here. The tests and scripts that run ESLint on user-like
// code do not read it: they use `Linter` (no config lookup), `new ESLint({ overrideConfigFile: true })`,
// or, in tests/e2e, a scratch project under tests/.tmp/ with an eslint.config.js of its own.
import js from '@eslint/js';
import eslintPlugin from 'eslint-plugin-eslint-plugin';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores([
    'dist/',
    // Scratch space of local experiments (git-ignored).
    '.tmp/',
    'coverage/',
    'bench/',
    'docs/',
    // User-like code: tests and the README quote these files by line and column.
    'fixtures/',
    'tests/rules/fixtures/',
    // Scratch projects and transpiled modules written by the tests.
    'tests/.tmp/',
    'scripts/_*',
    // A user's eslint.config.ts for a type test (tsc checks it). ESLint 10 looks for a config file in each
    // directory it enters, so without this entry it would load that file as the config of tests/types/.
    'tests/types/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: {
        // tsconfig.json covers src/, tests/ and the .d.ts entries; the root config files and index.cjs are outside it.
        projectService: { allowDefaultProject: ['vitest.config.ts', 'index.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // Rules compare `node.type === 'Identifier'` with string literals; tsc already rejects a literal that is no
      // AST_NODE_TYPES member and narrows on it, and the project declares no enums of its own.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // `const { a: _a, ...rest } = obj` omits a property on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // vitest's asymmetric matchers (`expect.any(Number)`, `expect.stringContaining(…)`) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    // Plain JavaScript (scripts/, the root config files, a worker in tests/runtime) is in no tsconfig.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['src/rules/**/*.ts'],
    extends: [eslintPlugin.configs['rules-recommended']],
  },
  {
    files: ['tests/rules/**/*.ts'],
    extends: [eslintPlugin.configs['tests-recommended']],
  },
  prettier,
  {
    // No line over 120 characters in src/ except where Prettier (printWidth 120) keeps one: a string, template
    // literal or regular expression it cannot break, or a URL. Comments are checked: Prettier never wraps them,
    // but a person can. After eslint-config-prettier, which turns max-len off.
    files: ['src/**/*.ts'],
    rules: {
      'max-len': [
        'error',
        { code: 120, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
    },
  },
);
