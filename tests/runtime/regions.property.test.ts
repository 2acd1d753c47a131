// The runtime's regions over generated loop programs (tests/property/programs.ts: every read style,
// sink, binding — namespace, alias, named imports — and family): each fix and suggestion becomes a
// case (none skipped), and on the cpu backend the region as written and the region with the fix
// applied agree — every autofix on every input set, every suggestion on inputs without the corner
// cases its caveat names. In every other program each read-back is also checked by a guard before the
// loop, so the fix keeps it and the region has a prelude to run first. Deterministic: a fixed seed
// (PROPERTY_SEED / REGION_RUNS to explore).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type * as Runtime from '../../src/runtime/index.js';
import { programArb, VECTORIZABLE_FAMILIES } from '../property/programs.js';

const root = path.resolve(import.meta.dirname, '../..');
const runtime = (await import(path.join(root, 'dist/runtime/index.js'))) as typeof Runtime;

const SEED = Number(process.env.PROPERTY_SEED ?? 0x5e910);
const RUNS = Number(process.env.REGION_RUNS ?? 60);

/** A read-back held in a variable (`const xd = x.dataSync();`, `const rows = await x.array();`). */
const READ = /^ {2}const (\w+) = (?:await )?\w+\.(?:dataSync|arraySync|bufferSync|data|array|buffer)\(\);$/gm;
const REGION_EXPORT = '__vectorizeRegion';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-regions-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('regions of generated programs', () => {
  it(`${RUNS} programs: every finding with a fix becomes a case, and both versions agree on cpu`, async () => {
    // A loop inside optimizer.minimize(() => …) reads a closure's variable: the runtime skips it (its
    // region would need the enclosing function's locals), so gradient programs are left out here.
    const programs = fc
      .sample(programArb(VECTORIZABLE_FAMILIES), { seed: SEED, numRuns: 2 * RUNS })
      .filter((p) => !p.gradient)
      .slice(0, RUNS);
    const files = programs.map((p, k) => {
      const file = path.join(dir, `p${k}.ts`);
      const source =
        k % 2 === 1
          ? p.source.replace(
              READ,
              (line, name: string) => `${line}\n  if (${name} === undefined) throw new Error('no data');`,
            )
          : p.source;
      fs.writeFileSync(file, `// @tolerance ${p.tolerance.atol} ${p.tolerance.rtol}\n${source}`);
      return file;
    });
    const outcome = await runtime.runAll({ files, backends: ['cpu'], mode: 'verify' });
    expect(outcome.skipped).toEqual([]);
    expect(outcome.fileErrors ?? []).toEqual([]);
    // Enough of them carry a fix for the property to mean something.
    expect(outcome.cases.length).toBeGreaterThan(RUNS / 2);
    const [run] = outcome.runs;
    const problems = run.results
      .filter((r) => r.status !== 'equal')
      .filter((r) => r.kind === 'fix' || programs[Number(/p(\d+)\.ts/.exec(r.file)![1])].nonEmpty)
      .map(
        (r) =>
          `${path.basename(r.file)}:${r.line} ${r.status}: ${JSON.stringify(r.mismatch ?? r.error)}\n${programs[Number(/p(\d+)\.ts/.exec(r.file)![1])].source}`,
      );
    expect(problems).toEqual([]);
    const withPrelude = outcome.cases.filter((c) =>
      new RegExp(`export (async )?function ${REGION_EXPORT}\\([^)]*\\) \\{\\s*const `).test(c.originalCode),
    );
    expect(withPrelude.length).toBeGreaterThan(RUNS / 8);
  }, 240_000);
});
