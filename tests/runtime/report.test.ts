// src/runtime/report.ts on hand-built results: the numbers, the exact verify lines, the table's layout,
// the --json shape and the HTML page.
import { describe, expect, it } from 'vitest';
import {
  benchHtml,
  benchJson,
  benchTable,
  geomean,
  runGeomean,
  speedupOf,
  verifyDetails,
  verifyCounts,
  verifySummary,
} from '../../src/runtime/report.js';
import type { BackendRun, BenchJson, CaseResult, SkippedCase } from '../../src/runtime/types.js';

const CWD = '/repo';

/** A result for `/repo/<file>:<line>`; timings given as [loopMs, vectorMs]. */
function result(
  file: string,
  line: number,
  status: CaseResult['status'],
  ms?: [number, number],
  extra: Partial<CaseResult> = {},
): CaseResult {
  const abs = `${CWD}/${file}`;
  return {
    id: `${abs}:${line}`,
    file: abs,
    line,
    kind: 'fix',
    status,
    ...(ms ? { loopMs: ms[0], vectorMs: ms[1] } : {}),
    ...extra,
  };
}

const run = (backend: BackendRun['backend'], results: CaseResult[], extra: Partial<BackendRun> = {}): BackendRun => ({
  backend,
  info: { name: backend, tfjsVersion: '4.22.0' },
  results,
  ...extra,
});

const skip = (file: string, line: number, reason: string, kind: SkippedCase['kind'] = 'fix'): SkippedCase => ({
  id: `${CWD}/${file}:${line}`,
  file: `${CWD}/${file}`,
  line,
  kind,
  reason,
});

// eslint-disable-next-line no-control-regex -- ESC starts the colour codes this strips
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('geomean', () => {
  it('is the geometric mean', () => {
    expect(geomean([2, 8])).toBeCloseTo(4, 12);
    expect(geomean([0.5, 2])).toBeCloseTo(1, 12);
    expect(geomean([3])).toBeCloseTo(3, 12);
    expect(geomean([1, 10, 100])).toBeCloseTo(10, 12);
  });

  it('is null without values', () => {
    expect(geomean([])).toBeNull();
    expect(geomean([0, -2, NaN, Infinity, -Infinity])).toBeNull();
  });

  it('ignores zero, negative and non-finite values', () => {
    expect(geomean([0, 4, NaN, Infinity, -3, 1])).toBeCloseTo(2, 12);
  });
});

describe('speedupOf / runGeomean', () => {
  it('uses the recorded speed-up, else loopMs / vectorMs, else null', () => {
    expect(speedupOf(result('a.ts', 1, 'equal', [30, 10], { speedup: 2.5 }))).toBe(2.5);
    expect(speedupOf(result('a.ts', 1, 'equal', [30, 10]))).toBe(3);
    expect(speedupOf(result('a.ts', 1, 'equal', [30, 0]))).toBeNull();
    expect(speedupOf(result('a.ts', 1, 'equal', [NaN, 10]))).toBeNull();
    expect(speedupOf(result('a.ts', 1, 'error'))).toBeNull();
  });

  it('averages only the equal cases with a timing', () => {
    const r = run('cpu', [
      result('a.ts', 1, 'equal', [20, 10]),
      result('b.ts', 2, 'equal', [80, 10]),
      result('c.ts', 3, 'differ', [1000, 1]),
      result('d.ts', 4, 'timeout'),
      result('e.ts', 5, 'equal'),
    ]);
    expect(runGeomean(r)).toBeCloseTo(4, 12);
    expect(runGeomean(run('cpu', [result('c.ts', 3, 'differ', [1000, 1])]))).toBeNull();
  });
});

describe('verifySummary', () => {
  it('all equal', () => {
    const runs = [run('cpu', [result('a.ts', 1, 'equal'), result('b.ts', 2, 'equal')])];
    expect(verifySummary(runs, [])).toBe('verified 2 of 2 fixes on cpu: 2 equal, 0 differ, 0 skipped');
  });

  it('one differ', () => {
    const runs = [run('cpu', [result('a.ts', 1, 'equal'), result('b.ts', 2, 'differ')])];
    expect(verifySummary(runs, [])).toBe('verified 1 of 2 fixes on cpu: 1 equal, 1 differ, 0 skipped');
  });

  it('skipped cases count in M', () => {
    const runs = [run('cpu', [result('a.ts', 1, 'equal')])];
    const skipped = [skip('s.ts', 3, 'no inputs'), skip('s.ts', 9, 'not exported', 'suggest')];
    expect(verifySummary(runs, skipped)).toBe('verified 1 of 3 fixes on cpu: 1 equal, 0 differ, 2 skipped');
  });

  it('a difference explained by a known TF.js backend bug counts apart; an unexplained one on another backend still wins', () => {
    const known = { inputSet: 2, path: 'result', what: 'value', expected: '0', actual: '3e-41', note: 'wasm bug' };
    const plain = { ...known, note: undefined };
    const runs = [
      run('cpu', [
        result('a.ts', 1, 'equal'),
        result('b.ts', 2, 'equal'),
        result('c.ts', 3, 'skipped', undefined, { error: 'the original throws' }),
      ]),
      run('wasm', [
        result('a.ts', 1, 'differ', undefined, { mismatch: known }),
        result('b.ts', 2, 'differ', undefined, { mismatch: plain }),
        result('c.ts', 3, 'skipped'),
      ]),
    ];
    expect(verifySummary(runs, [])).toBe(
      'verified 0 of 3 fixes on cpu, wasm: 0 equal, 1 differ, 1 skipped, 1 differ by known TF.js backend bugs',
    );
    expect(verifyCounts(runs, [])).toEqual({ equal: 0, differ: 1, known: 1, skipped: 1, failed: 0, total: 3 });
    expect(verifyDetails(runs, [], CWD)).toEqual([
      'a.ts:1 (wasm): first value difference at result in input set 3: expected 0, got 3e-41\n    known TF.js bug: wasm bug',
      'b.ts:2 (wasm): first value difference at result in input set 3: expected 0, got 3e-41',
      'c.ts:3 (cpu): skipped: the original throws',
      'c.ts:3 (wasm): skipped: the original could not run',
    ]);
  });

  it('errors and timeouts are "failed", printed only when there are some', () => {
    const runs = [run('cpu', [result('a.ts', 1, 'equal'), result('b.ts', 2, 'error'), result('c.ts', 3, 'timeout')])];
    expect(verifySummary(runs, [])).toBe('verified 1 of 3 fixes on cpu: 1 equal, 0 differ, 0 skipped, 2 failed');
  });

  it('two backends: a fix is equal only when equal on every backend it ran on; differ beats failed', () => {
    const runs = [
      run('cpu', [
        result('a.ts', 1, 'equal'),
        result('b.ts', 2, 'equal'),
        result('c.ts', 3, 'equal'),
        result('d.ts', 4, 'equal'),
        result('e.ts', 5, 'differ'),
      ]),
      run('wasm', [
        result('a.ts', 1, 'equal'),
        result('b.ts', 2, 'differ'),
        result('c.ts', 3, 'error'),
        // d.ts:4 did not run on wasm: equal on the one backend it ran on.
        result('e.ts', 5, 'timeout'),
      ]),
    ];
    expect(verifySummary(runs, [skip('s.ts', 1, 'x')])).toBe(
      'verified 2 of 6 fixes on cpu, wasm: 2 equal, 2 differ, 1 skipped, 1 failed',
    );
  });

  it('names backends that did not start and ignores their results', () => {
    const runs = [
      run('cpu', [result('a.ts', 1, 'equal')]),
      run('webgpu', [result('a.ts', 1, 'differ')], { unavailable: 'no adapter', info: undefined }),
    ];
    expect(verifySummary(runs, [])).toBe(
      'verified 1 of 1 fixes on cpu (webgpu unavailable): 1 equal, 0 differ, 0 skipped',
    );
    expect(verifySummary([run('cpu', [], { unavailable: 'x' })], [skip('s.ts', 1, 'x')])).toBe(
      'verified 0 of 1 fixes on no backend (cpu unavailable): 0 equal, 0 differ, 1 skipped',
    );
  });
});

describe('verifyDetails', () => {
  const runs = [
    run('cpu', [
      result('a.ts', 1, 'equal'),
      result('src/<b>.ts', 12, 'differ', undefined, {
        id: `${CWD}/src/<b>.ts:12#2`,
        mismatch: { inputSet: 1, path: '[2].values', index: 17, expected: '1.5', actual: '1.25', what: 'value' },
      }),
      result('c.ts', 3, 'differ', undefined, {
        kind: 'suggest',
        mismatch: { inputSet: 0, path: '', expected: '[3]', actual: '[4]', what: 'shape' },
      }),
      result('d.ts', 4, 'equal', undefined, { leaked: 3 }),
    ]),
    run('wasm', [
      result('a.ts', 1, 'timeout', undefined, { error: 'worker stopped' }),
      result('src/<b>.ts', 12, 'error', undefined, {
        id: `${CWD}/src/<b>.ts:12#2`,
        error: 'original threw: boom\nat f (x.js:1)',
      }),
    ]),
  ];
  const skipped = [skip('lib/s.ts', 7, 'the loop reads a closure variable', 'suggest')];

  it('one block per problem, in case order then backend order, then the skipped cases', () => {
    expect(verifyDetails(runs, skipped, CWD, { timeoutMs: 2500 })).toEqual([
      'a.ts:1 (wasm): timed out after 2.5s',
      'src/<b>.ts:12#2 (cpu): first value difference at [17] of [2].values in input set 2: expected 1.5, got 1.25',
      'src/<b>.ts:12#2 (wasm): original threw: boom\n    at f (x.js:1)',
      'c.ts:3 (cpu, suggestion): first shape difference at the result in input set 1: expected [3], got [4]',
      'd.ts:4 (cpu): the fixed version leaves 3 more tensors alive than the original',
      'lib/s.ts:7: skipped (suggestion): the loop reads a closure variable',
    ]);
  });

  it('without a timeout length it says what the result says', () => {
    expect(verifyDetails(runs, [], CWD)[0]).toBe('a.ts:1 (wasm): timed out: worker stopped');
  });

  it('is empty when everything is equal', () => {
    expect(verifyDetails([run('cpu', [result('a.ts', 1, 'equal')])], [], CWD)).toEqual([]);
  });
});

describe('benchTable', () => {
  const runs: BackendRun[] = [
    run('cpu', [
      result('src/a.ts', 1, 'equal', [20, 10]),
      result('src/b.ts', 2, 'equal', [80, 10]),
      result('src/c.ts', 3, 'differ', [100, 1]),
      result('src/d.ts', 4, 'error'),
    ]),
    run('wasm', [], { unavailable: 'the .wasm files were not found', info: undefined }),
    run('webgpu', [result('src/a.ts', 1, 'equal', [5, 10]), result('src/b.ts', 2, 'equal', [1234, 1])], {
      info: {
        name: 'webgpu',
        tfjsVersion: '4.22.0',
        adapter: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device', software: true },
      },
    }),
  ];
  const plain = benchTable(runs, CWD);
  const lines = plain.split('\n');
  const tableLines = lines.filter((l) => l.includes('│') || l.includes('┼'));

  it('says what ran per backend', () => {
    expect(lines[0]).toBe('cpu: TF.js 4.22.0');
    expect(lines[1]).toBe('wasm: unavailable: the .wasm files were not found');
    expect(lines[2]).toBe(
      'webgpu: TF.js 4.22.0, adapter google / swiftshader / SwiftShader Device (SwiftShader: CPU emulation)',
    );
  });

  it('has a row per case with ids relative to cwd, and a geometric-mean row over equal cases only', () => {
    const row = (id: string) => tableLines.find((l) => l.startsWith(`${id} `));
    const cells = (l: string | undefined) => l?.split(/\s*│\s*/).map((g) => g.trim().split(/\s{2,}/));
    expect(cells(row('src/a.ts:1'))).toEqual([
      ['src/a.ts:1'],
      ['20.0', '10.0', '2.00×', '✓'],
      ['5.00', '10.0', '0.50× slower', '✓'],
    ]);
    expect(cells(row('src/c.ts:3'))).toEqual([['src/c.ts:3'], ['100', '1.00', '100×', '✗'], ['—', '—', '—', '—']]);
    expect(cells(row('src/d.ts:4'))?.[1]).toEqual(['—', '—', '—', '✗ error']);
    // cpu: √(2·8) = 4 (the differing 100× case left out); webgpu: √(0.5·1234)
    const mean = row('geometric mean');
    expect(cells(mean)).toEqual([['geometric mean'], ['4.00×'], [`${Math.sqrt(0.5 * 1234).toFixed(1)}×`]]);
    expect(plain).toContain('The geometric mean counts only cases that ran and were equal (✓)');
    expect(plain).toContain('cpu 2 of 4, webgpu 2 of 2');
    expect(plain).not.toContain('/repo');
  });

  it('has no colour codes by default and aligned columns of equal width', () => {
    expect(plain).not.toContain('\x1b');
    // label line, header, rule, 4 cases, rule, mean
    expect(tableLines).toHaveLength(9);
    const width = tableLines[0].length;
    for (const l of tableLines) expect(l.length).toBe(width);
    const bars = (l: string) => [...l].flatMap((ch, i) => (ch === '│' || ch === '┼' ? [i] : []));
    for (const l of tableLines) expect(bars(l)).toEqual(bars(tableLines[0]));
    // The × signs of a speed-up column line up, also when one of them reads "slower" (webgpu's column).
    const rows = tableLines.filter((l) => /^src\/[ab]\.ts/.test(l) || l.startsWith('geometric'));
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((l) => l.indexOf('×'))).size).toBe(1);
    expect(new Set(rows.map((l) => l.lastIndexOf('×'))).size).toBe(1);
  });

  it('with color, adds only ANSI codes', () => {
    const colored = benchTable(runs, CWD, { color: true });
    expect(colored).toContain('\x1b[31m0.50× slower\x1b[0m');
    expect(stripAnsi(colored)).toBe(plain);
  });

  it('handles no backend and no timings', () => {
    expect(benchTable([run('cpu', [], { unavailable: 'x' })], CWD)).toBe('cpu: unavailable: x\n\nno backend ran');
    const t = benchTable([run('cpu', [result('a.ts', 1, 'timeout')])], CWD);
    expect(
      t
        .split('\n')
        .find((l) => l.startsWith('geometric mean'))
        ?.split('│')[1]
        .trim(),
    ).toBe('—');
  });
});

describe('benchJson', () => {
  const machine = { cpus: 'Test CPU', cores: 8, memoryGiB: 16, platform: 'linux x64', node: 'v20.0.0' };
  const adapter = { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200', software: false };
  const runs: BackendRun[] = [
    run('cpu', [
      result('a.ts', 1, 'equal', [20, 10]),
      result('b.ts', 2, 'equal', [80, 10]),
      result('c.ts', 3, 'error'),
    ]),
    run('webgpu', [result('a.ts', 1, 'differ', [10, 1], { speedup: 10 })], {
      info: { name: 'webgpu', tfjsVersion: '4.21.0', adapter },
    }),
    run('wasm', [], { unavailable: 'no wasm', info: undefined }),
  ];

  it('has the exact shape', () => {
    const doc = benchJson(runs, {
      tool: 'vectorize 0.1.0',
      date: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)),
      size: 4096,
      machine,
    });
    const expected: BenchJson = {
      tool: 'vectorize 0.1.0',
      date: '2025-01-02T03:04:05.000Z',
      machine,
      size: 4096,
      backends: {
        cpu: {
          tfjsVersion: '4.22.0',
          geomean: 4,
          cases: [
            { id: '/repo/a.ts:1', file: '/repo/a.ts', line: 1, loopMs: 20, vectorMs: 10, speedup: 2, equal: true },
            { id: '/repo/b.ts:2', file: '/repo/b.ts', line: 2, loopMs: 80, vectorMs: 10, speedup: 8, equal: true },
            {
              id: '/repo/c.ts:3',
              file: '/repo/c.ts',
              line: 3,
              loopMs: null,
              vectorMs: null,
              speedup: null,
              equal: false,
            },
          ],
        },
        webgpu: {
          adapter,
          tfjsVersion: '4.21.0',
          geomean: null,
          cases: [
            { id: '/repo/a.ts:1', file: '/repo/a.ts', line: 1, loopMs: 10, vectorMs: 1, speedup: 10, equal: false },
          ],
        },
        wasm: { unavailable: 'no wasm', geomean: null, cases: [] },
      },
    };
    // geomean is computed through logarithms: compare it closely, the rest exactly.
    expect(doc.backends.cpu.geomean).toBeCloseTo(4, 12);
    doc.backends.cpu.geomean = 4;
    expect(doc).toStrictEqual(expected);
    expect(Object.keys(doc.backends.cpu.cases[0])).toEqual([
      'id',
      'file',
      'line',
      'loopMs',
      'vectorMs',
      'speedup',
      'equal',
    ]);
    expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
  });

  it('reads the machine itself, leaves size out when not given, and can write paths relative to cwd', () => {
    const doc = benchJson(runs, { tool: 't', cwd: CWD });
    expect('size' in doc).toBe(false);
    expect(doc.machine).toEqual({
      cpus: expect.any(String),
      cores: expect.any(Number),
      memoryGiB: expect.any(Number),
      platform: expect.stringMatching(/^\w+ \w+$/),
      node: process.version,
    });
    expect(doc.machine.cores).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(doc.date))).toBe(false);
    expect(doc.backends.cpu.cases[1]).toMatchObject({ id: 'b.ts:2', file: 'b.ts' });
  });
});

describe('benchHtml', () => {
  const evil = 'src/<script>alert("x")</script>&.ts';
  const runs: BackendRun[] = [
    run('cpu', [
      result('a.ts', 1, 'equal', [20, 10]),
      result(evil, 2, 'equal', [10, 20]),
      result('c.ts', 3, 'differ', [30, 10]),
    ]),
    run(
      'webgpu',
      [result('a.ts', 1, 'equal', [300, 1]), result(evil, 2, 'equal', [50, 1]), result('c.ts', 3, 'error')],
      {
        info: {
          name: 'webgpu',
          tfjsVersion: '4.22.0',
          adapter: {
            vendor: 'google',
            architecture: 'swiftshader',
            description: 'SwiftShader <Device>',
            software: true,
          },
        },
      },
    ),
  ];
  const doc = benchJson(runs, {
    tool: 'vectorize <0.1>',
    date: new Date(0),
    size: 100,
    machine: { cpus: 'CPU & co', cores: 2, memoryGiB: 4, platform: 'linux x64', node: 'v20' },
  });
  const html = benchHtml(doc);
  const count = (re: RegExp) => html.match(re)?.length ?? 0;

  it('is a self-contained page with one svg', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(count(/<svg\b/g)).toBe(1);
    expect(count(/<\/svg>/g)).toBe(1);
    expect(html).not.toMatch(/https?:/);
    expect(html).not.toMatch(/<script|<link|@import|url\((?!#)/i);
  });

  it('has balanced tags inside the svg', () => {
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>') + '</svg>'.length);
    const stack: string[] = [];
    for (const [, close, name, self] of svg.matchAll(/<(\/?)([a-zA-Z]+)\b[^>]*?(\/?)>/g)) {
      if (self) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
  });

  it('draws one bar per case × backend with a speed-up, and one mean bar per backend', () => {
    expect(count(/<rect class="bar\b/g)).toBe(5);
    expect(count(/no timing/g)).toBe(1);
    expect(count(/<rect class="bar slower/g)).toBe(1);
    expect(count(/<rect class="bar faster/g)).toBe(4);
    expect(count(/<rect class="bar [a-z]+ unequal"/g)).toBe(1);
    expect(count(/<rect class="mean\b/g)).toBe(2);
    expect(html).toContain('class="one"');
  });

  it('states the machine, what ran and the geometric means', () => {
    expect(html).toContain('CPU &amp; co, 2 cores, 4 GiB, linux x64, Node v20');
    expect(html).toContain('SwiftShader &lt;Device&gt; (SwiftShader: CPU emulation)');
    // cpu: √(2 · 0.5) = 1 (the differing 3× case left out); webgpu: √(300 · 50) ≈ 122
    expect(html).toContain('<b>cpu</b>: 1.00×');
    expect(html).toContain(`<b>webgpu</b>: ${Math.sqrt(300 * 50).toFixed(0)}×`);
  });

  it('escapes every text', () => {
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('vectorize <0.1>');
    expect(html).toContain('src/&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;.ts:2');
    expect(html).toContain('<title>vectorize &lt;0.1&gt; bench');
  });

  it('has the data table', () => {
    expect(count(/<tbody>[\s\S]*<\/tbody>/g)).toBe(1);
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    expect(body.match(/<tr>/g)).toHaveLength(3);
    expect(body).toContain('0.50× slower');
  });
});
