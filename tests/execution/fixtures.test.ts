// Every fixture under fixtures/ (files starting with '_' excluded) is linted with the built plugin,
// fixed as its `// @expect` header says, type-checked, and executed before and after the fix on the
// same seeded inputs (tests/harness/fixture.ts). See fixtures/README.md for the header format.
import fs from 'node:fs';
import { beforeAll, describe, it } from 'vitest';
import {
  checkFixture,
  findFixtures,
  parseHeader,
  prepareFixtures,
  prepareTf,
  repoRoot,
  type FixtureCase,
} from '../harness/fixture.js';
import path from 'node:path';

const files = findFixtures();
let cases: Map<string, FixtureCase>;

beforeAll(async () => {
  await prepareTf();
  // One lint pass per fixture and ONE TypeScript program for all originals and outputs.
  cases = new Map((await prepareFixtures(files)).map((fc) => [fc.file, fc]));
});

function title(file: string): string {
  const rel = path.relative(repoRoot, file);
  try {
    return `${rel} (@expect ${parseHeader(fs.readFileSync(file, 'utf8')).expect})`;
  } catch {
    return `${rel} (bad header)`;
  }
}

describe('fixtures: the fix runs and agrees with the original', () => {
  it('finds fixtures', () => {
    if (files.length === 0) throw new Error('no fixtures found under fixtures/');
  });

  for (const file of files) {
    it(title(file), async () => {
      const problems = await checkFixture(cases.get(file)!);
      if (problems.length > 0) throw new Error(`${path.relative(repoRoot, file)}:\n\n${problems.join('\n\n')}`);
    });
  }
});
