// Type test (STYLE.md 10): a user's eslint.config.ts that uses our plugin through the package
// entry must type-check against eslint-plugin.d.ts. Checked by `npm run typecheck`, never run.
import { defineConfig } from 'eslint/config';
import type { ESLint, Linter } from 'eslint';
import vectorize from 'eslint-plugin-vectorize';

export default defineConfig(
  vectorize.configs.recommended,
  vectorize.configs.all,
  {
    files: ['**/*.ts'],
    plugins: { vectorize },
    rules: {
      'vectorize/no-element-loop': ['warn', {}],
    },
  },
  {
    extends: [vectorize.configs.recommended],
    rules: { 'vectorize/no-element-loop': 'error' },
  },
);

// The default export is an ESLint plugin with the documented meta and configs.
vectorize satisfies ESLint.Plugin;
vectorize.meta.namespace satisfies string;
vectorize.configs.recommended satisfies Linter.Config;
vectorize.rules['no-element-loop'].meta?.docs?.description satisfies string | undefined;

// These must stay errors, which also proves this file is really type-checked.
defineConfig({
  // @ts-expect-error 'warning' is not a severity.
  rules: { 'vectorize/no-element-loop': 'warning' },
});
// @ts-expect-error meta.namespace is a string.
vectorize.meta.namespace satisfies number;
