// Functions imported from the project's own modules (issue 11): the rule reads the imported module's
// source (tests/rules/fixtures/modules/core/pitch.ts) to learn that a function returns data read back
// from a tensor, or that a test of the index is one expression of it. Nothing there is executed.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import * as espree from 'espree';
import { afterAll, describe, it } from 'vitest';
import rule from '../../src/rules/no-element-loop.js';
import { dedent, type TestedRule } from './cases.js';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const filename = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/modules/app/file.ts');
const ruleTester = new RuleTester();

const IN_PLACE = (call: string, from = '../core/pitch'): string =>
  [
    "import * as tf from '@tensorflow/tfjs';",
    `import { hzToMidi, hzToMidiSync, zeros } from '${from}';`,
    '',
    'export async function shift(f0: number[]): Promise<number[]> {',
    `  const p = ${call};`,
    '  for (let i = 0, n = p.length; i < n; ++i) {',
    '    if (p[i] === -Infinity) {',
    '      p[i] = 0;',
    '    }',
    '  }',
    '  return p;',
    '}',
    '',
  ].join('\n');

/** The strided-slice suggestion for the filter on `line` of the parity case, applied. */
const FILTERS = [
  'const xs = values.filter((_, i) => isEven(i));',
  'const ys = values.filter((_, i) => !isEven(i));',
  'const zs = values.filter((_, i) => thirdOf(i));',
];
const PARITY = (lines: string[]): string =>
  [
    "import * as tf from '@tensorflow/tfjs';",
    "import { isEven, thirdOf } from '../core/pitch';",
    '',
    'export async function split(x: tf.Tensor1D): Promise<number[][]> {',
    '  const values = Array.from(await x.data());',
    ...lines.map((l) => `  ${l}`),
    '  return [xs, ys, zs];',
    '}',
    '',
  ].join('\n');
const sliced = (k: number, offset: number, stride: number): string => {
  const lines = [...FILTERS];
  lines[k] = lines[k].replace(
    /values\.filter\(.*\);$/,
    `tf.tidy(() => Array.from(tf.stridedSlice(x, [${offset}], [x.size], [${stride}]).dataSync()));`,
  );
  return PARITY(lines);
};
const filterError = (k: number, test: string, offset: number, stride: number) => ({
  messageId: 'indexFilter' as const,
  line: 6 + k,
  data: {
    data: 'values',
    nth: stride === 2 ? '2nd' : '3rd',
    offset,
    test,
    replacement: `tf.stridedSlice(x, [${offset}], [x.size], [${stride}])`,
    note: '; offered as a suggestion: the values are read back with `dataSync()`, which waits for the backend',
  },
  suggestions: [{ messageId: 'suggestCallRewrite' as const, output: sliced(k, offset, stride) }],
});

ruleTester.run('no-element-loop across modules', rule as unknown as TestedRule, {
  valid: [
    { name: 'an imported function that returns a plain array', filename, code: IN_PLACE('zeros(f0.length)') },
    // An async function's result is a promise until awaited; a loop over it reads no data.
    { name: 'an async read-back not awaited', filename, code: IN_PLACE('hzToMidi(f0) as unknown as number[]') },
    {
      name: 'a module the linted file cannot resolve',
      filename,
      code: IN_PLACE('await hzToMidi(f0)', '../core/missing'),
    },
    {
      name: 'an imported test that reads a module variable, and one that keeps two residues in four',
      filename,
      code: dedent`
        import * as tf from '@tensorflow/tfjs';
        import { isMultiple } from '../core/pitch';

        export function split(x: tf.Tensor): number[][] {
          const values = Array.from(x.dataSync());
          return [values.filter((_, i) => isMultiple(i)), values.filter((_, i) => i % 4 < 2)];
        }
      `,
    },
    {
      name: 'an in-place edit that reads the previous element (a recurrence)',
      filename,
      code: dedent`
        import * as tf from '@tensorflow/tfjs';
        import { hzToMidi } from '../core/pitch';

        export async function smooth(f0: number[]): Promise<number[]> {
          const p = await hzToMidi(f0);
          for (let i = 1; i < p.length; i++) p[i] = (p[i] + p[i - 1]) / 2;
          return p;
        }
      `,
    },
  ],
  invalid: [
    {
      name: 'data read back by an imported async function, edited in place: reported, no fix',
      filename,
      code: IN_PLACE('await hzToMidi(f0)'),
      errors: [
        {
          messageId: 'cannotFix',
          line: 6,
          data: {
            what: 'a per-element conditional of `p`',
            replacement: 'tf.where(tf.equal(p, -Infinity), tf.fill(p.shape, 0, p.dtype), p)',
            reason:
              '`p` is data read back by `hzToMidi` (../core/pitch.ts:8, `t.array()`): have that function return ' +
              'the tensor to rewrite the loop; the loop changes `p` in place: compute the values with the op ' +
              'before reading them back',
          },
        },
      ],
    },
    {
      name: 'data read back by an imported sync function',
      filename,
      code: IN_PLACE('hzToMidiSync(f0)'),
      errors: [{ messageId: 'cannotFix', line: 6 }],
    },
    {
      name: 'filters by the parity of the index through an imported helper and an aliased export',
      filename,
      code: PARITY(FILTERS),
      errors: [
        filterError(0, 'isEven(i)', 0, 2),
        filterError(1, '!isEven(i)', 1, 2),
        filterError(2, 'thirdOf(i)', 2, 3),
      ],
    },
    {
      name: 'plain JavaScript (espree): an imported test of the index from a .js module',
      filename: filename.replace(/\.ts$/, '.js'),
      languageOptions: { parser: espree },
      code: [
        "import * as tf from '@tensorflow/tfjs';",
        "import { isOdd } from '../core/parity.js';",
        '',
        'export function odd(x) {',
        '  const values = Array.from(x.dataSync());',
        '  return values.filter((_, i) => isOdd(i));',
        '}',
        '',
      ].join('\n'),
      errors: [
        {
          messageId: 'indexFilter',
          line: 6,
          data: {
            data: 'values',
            nth: '2nd',
            offset: 1,
            test: 'isOdd(i)',
            replacement: 'tf.stridedSlice(tf.reshape(x, [-1]), [1], [x.size], [2])',
            note: '; offered as a suggestion: the values are read back with `dataSync()`, which waits for the backend',
          },
          suggestions: [
            {
              messageId: 'suggestCallRewrite',
              output: [
                "import * as tf from '@tensorflow/tfjs';",
                "import { isOdd } from '../core/parity.js';",
                '',
                'export function odd(x) {',
                '  return tf.tidy(() => Array.from(tf.stridedSlice(tf.reshape(x, [-1]), [1], [x.size], [2]).dataSync()));',
                '}',
                '',
              ].join('\n'),
            },
          ],
        },
      ],
    },
  ],
});
