// vectorize/no-gradient-break with the typescript-eslint parser and no type information (`file.ts`).
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, expect, it } from 'vitest';
import rule from '../../src/rules/no-gradient-break.js';
import { invalid, valid, type TestedRule } from './no-gradient-break.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();

ruleTester.run('no-gradient-break', rule as unknown as TestedRule, { valid, invalid });

// A finding is a wrong gradient, not slow code: `recommended` fails the lint run on it.
describe('no-gradient-break in the configs', () => {
  it('is an error in recommended and all', async () => {
    const { default: plugin } = await import('../../src/index.js');
    expect(plugin.configs.recommended.rules?.['vectorize/no-gradient-break']).toBe('error');
    expect(plugin.configs.all.rules?.['vectorize/no-gradient-break']).toBe('error');
    expect(plugin.configs.recommended.rules?.['vectorize/no-readback-in-loop']).toBe('warn');
  });
});
