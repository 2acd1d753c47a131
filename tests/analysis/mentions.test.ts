// `mentions` and `mentionCount` (src/ast/predicates.ts) scan a module for a name as a whole identifier with
// `indexOf`; they must answer as the pattern `(?<![\w$])name(?![\w$])` does, on any text and name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mentionCount, mentions } from '../../src/ast/predicates.js';

const pattern = (name: string, flags: string): RegExp =>
  new RegExp(`(?<![\\w$])${name.replace(/[$]/g, '\\$')}(?![\\w$])`, flags);

// Texts and names over a small alphabet, so that names do occur, next to identifier characters or not.
const chars = fc.constantFrom('a', 'b', '$', '_', '1', ' ', '.', '(', 'é', '\u{1d4d0}', '\n');
const text = fc.array(chars, { maxLength: 40 }).map((cs) => cs.join(''));
const name = fc
  .tuple(
    fc.constantFrom('a', 'b', '$', '_', 'é'),
    fc.array(fc.constantFrom('a', 'b', '$', '_', '1', 'é'), { maxLength: 3 }),
  )
  .map(([first, rest]) => first + rest.join(''));

describe('mentions and mentionCount', () => {
  it('answer as the whole-identifier pattern does', () => {
    fc.assert(
      fc.property(text, name, (t, n) => {
        expect(mentionCount(t, n)).toBe(t.match(pattern(n, 'gu'))?.length ?? 0);
        expect(mentions(t, n)).toBe(pattern(n, 'u').test(t));
      }),
      { numRuns: 5000 },
    );
  });

  it('count whole identifiers only, and `$` as part of one', () => {
    expect(mentionCount('a ab ba a.a $a a$ (a)', 'a')).toBe(4);
    expect(mentionCount('$a $a$ x$a', '$a')).toBe(1);
    expect(mentions('tData = t.dataSync()', 'data')).toBe(false);
    expect(mentionCount('aéa aéaéa', 'aéa')).toBe(2);
  });
});
