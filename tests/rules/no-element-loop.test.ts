// vectorize/no-element-loop with the typescript-eslint parser and no type information (`file.ts`).
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-element-loop.js';
import { invalid, valid, type TestedRule } from './cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();

ruleTester.run('no-element-loop', rule as unknown as TestedRule, { valid, invalid });
