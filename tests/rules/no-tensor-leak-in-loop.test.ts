// vectorize/no-tensor-leak-in-loop with the typescript-eslint parser and no type information (`file.ts`).
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-tensor-leak-in-loop.js';
import { invalid, valid, type TestedRule } from './no-tensor-leak-in-loop.cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();

ruleTester.run('no-tensor-leak-in-loop', rule as unknown as TestedRule, { valid, invalid });
