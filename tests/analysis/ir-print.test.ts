/**
 * The IR printer on hand-built nodes: one case per node kind, then the precedence rules that keep the
 * text unambiguous, then whole nests (loop header, outputs by sink, notes).
 */
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { describe, expect, it } from 'vitest';
import { C, type Expr } from '../../src/analysis/ir.js';
import { printIr, printNest } from '../../src/analysis/ir-print.js';
import type { LiftedNest, LoopVar, Output, Sink } from '../../src/analysis/lift/index.js';
import { atomPoly, constPoly } from '../../src/analysis/poly.js';
import { parse } from './lift-helper.js';

// ------------------------------------------------------------ constructors

const acc = (tensor: string, ...axes: (string | number)[]): Expr => ({ kind: 'access', tensor, axes });
const idx = (v: string): Expr => ({ kind: 'index', v });
const param = (text: string): Expr => ({ kind: 'param', text });
const un = (op: Extract<Expr, { kind: 'unary' }>['op'], arg: Expr): Expr => ({ kind: 'unary', op, arg });
const neg = (arg: Expr): Expr => un('neg', arg);
const bin = (op: Extract<Expr, { kind: 'binary' }>['op'], a: Expr, b: Expr): Expr => ({ kind: 'binary', op, a, b });
const add = (a: Expr, b: Expr) => bin('+', a, b);
const sub = (a: Expr, b: Expr) => bin('-', a, b);
const mul = (a: Expr, b: Expr) => bin('*', a, b);
const div = (a: Expr, b: Expr) => bin('/', a, b);
const pow = (a: Expr, b: Expr) => bin('pow', a, b);
const cmp = (op: Extract<Expr, { kind: 'compare' }>['op'], a: Expr, b: Expr): Expr => ({ kind: 'compare', op, a, b });
const and = (a: Expr, b: Expr): Expr => ({ kind: 'logical', op: '&&', a, b });
const or = (a: Expr, b: Expr): Expr => ({ kind: 'logical', op: '||', a, b });
const not = (arg: Expr): Expr => ({ kind: 'not', arg });
const sel = (cond: Expr, a: Expr, b: Expr): Expr => ({ kind: 'select', cond, a, b });
const red = (op: Extract<Expr, { kind: 'reduce' }>['op'], v: string, body: Expr): Expr => ({
  kind: 'reduce',
  op,
  v,
  body,
});
const sum = (v: string, body: Expr) => red('sum', v, body);

const x = acc('x', 'i', 'j');
const w = acc('w', 'j');

describe('printIr: one case per node kind', () => {
  const cases: [string, Expr, string][] = [
    ['access', x, 'x[i,j]'],
    ['access with a constant index', acc('x', 'i', 0), 'x[i,0]'],
    ['access of a rank-0 tensor', acc('s'), 's[]'],
    ['sliced access', { kind: 'access', tensor: 'x', axes: ['i', 'j'], sliced: [undefined, 'k'] }, 'x[:,:k][i,j]'],
    [
      'access with an all-undefined slice list',
      { kind: 'access', tensor: 'x', axes: ['i'], sliced: [undefined] },
      'x[i]',
    ],
    ['flat read', { kind: 'flat', tensor: 'x', v: 'i' }, 'x.flat[i]'],
    ['constant', C(2.5), '2.5'],
    ['negative constant', C(-3), '-3'],
    ['negative zero', C(-0), '-0'],
    ['Infinity', C(Infinity), 'Infinity'],
    ['-Infinity', C(-Infinity), '-Infinity'],
    ['NaN', C(NaN), 'NaN'],
    ['parameter', { kind: 'param', text: 'n', poly: atomPoly('o:n') }, 'n'],
    ['parameter with a member and a subscript', param('x.shape[1]'), 'x.shape[1]'],
    ['parameter that is an expression', param('a + b'), '(a + b)'],
    ['loop index', idx('k'), 'k'],
    ['unary function', un('exp', x), 'exp(x[i,j])'],
    ['unary negation', neg(x), '-x[i,j]'],
    ['binary', add(x, w), 'x[i,j] + w[j]'],
    ['pow', pow(x, C(3)), 'x[i,j] ** 3'],
    ['max', bin('max', x, C(0)), 'max(x[i,j], 0)'],
    ['min', bin('min', x, C(6)), 'min(x[i,j], 6)'],
    ['compare', cmp('>=', x, C(0)), 'x[i,j] >= 0'],
    ['strict equality', cmp('===', idx('k'), acc('y', 'i')), 'k === y[i]'],
    ['logical and', and(cmp('>', x, C(0)), cmp('<', x, C(1))), 'x[i,j] > 0 && x[i,j] < 1'],
    ['logical or', or(cmp('<', x, C(0)), cmp('>', x, C(1))), 'x[i,j] < 0 || x[i,j] > 1'],
    ['not', not(cmp('>', x, C(0))), '!(x[i,j] > 0)'],
    ['select', sel(cmp('>', x, C(0)), x, mul(C(0.01), x)), '(x[i,j] > 0 ? x[i,j] : 0.01 * x[i,j])'],
    ['sum', sum('j', mul(x, w)), 'Σj x[i,j] * w[j]'],
    ['prod', red('prod', 'j', x), 'Πj x[i,j]'],
    ['max reduction', red('max', 'k', acc('x', 'i', 'k')), 'max_k x[i,k]'],
    ['min reduction', red('min', 'k', acc('x', 'i', 'k')), 'min_k x[i,k]'],
    ['log-sum-exp', red('logsumexp', 'k', acc('x', 'i', 'k')), 'logsumexp_k x[i,k]'],
    ['argmax', { kind: 'argreduce', op: 'argmax', v: 'k', body: acc('x', 'i', 'k') }, 'argmax_k x[i,k]'],
    ['argmin', { kind: 'argreduce', op: 'argmin', v: 'k', body: acc('x', 'i', 'k') }, 'argmin_k x[i,k]'],
    ['inclusive cumsum', { kind: 'cumsum', v: 'j', body: x, exclusive: false }, 'cumsum_j x[i,j]'],
    ['exclusive cumsum', { kind: 'cumsum', v: 'j', body: x, exclusive: true }, 'exclusive_cumsum_j x[i,j]'],
    ['softmax', { kind: 'softmax', v: 'j', body: x, log: false }, 'softmax_j x[i,j]'],
    ['log-softmax', { kind: 'softmax', v: 'j', body: x, log: true }, 'logsoftmax_j x[i,j]'],
    [
      'gather on the last axis',
      { kind: 'take', tensor: 'x', axes: ['i', 0], axis: 1, index: acc('idx', 'i') },
      'x[i, idx[i]]',
    ],
    [
      'gather on the first axis',
      { kind: 'take', tensor: 't', axes: [0, 'j'], axis: 0, index: acc('ids', 'i') },
      't[ids[i], j]',
    ],
    ['accumulator placeholder', { kind: 'acc', id: 7 }, 'acc#7'],
  ];
  for (const [name, e, text] of cases) it(name, () => expect(printIr(e)).toBe(text));
});

describe('printIr: parentheses by precedence', () => {
  const a = acc('a', 'i');
  const b = acc('b', 'i');
  const c = acc('c', 'i');
  const cases: [string, Expr, string][] = [
    ['left-associative chain needs none', sub(sub(a, b), c), 'a[i] - b[i] - c[i]'],
    ['right operand of -', sub(a, sub(b, c)), 'a[i] - (b[i] - c[i])'],
    ['right operand of - that is a sum', sub(a, add(b, c)), 'a[i] - (b[i] + c[i])'],
    ['product inside a sum', add(mul(a, b), c), 'a[i] * b[i] + c[i]'],
    ['sum inside a product', mul(add(a, b), c), '(a[i] + b[i]) * c[i]'],
    ['right operand of /', div(a, mul(b, c)), 'a[i] / (b[i] * c[i])'],
    ['quotient on the right of *', mul(a, div(b, c)), 'a[i] * (b[i] / c[i])'],
    ['pow is right-associative', pow(a, pow(b, c)), 'a[i] ** b[i] ** c[i]'],
    ['pow on the left of pow', pow(pow(a, b), c), '(a[i] ** b[i]) ** c[i]'],
    ['negated base', pow(neg(a), C(2)), '(-a[i]) ** 2'],
    ['negated power', neg(pow(a, C(2))), '-(a[i] ** 2)'],
    ['negative constant as base', pow(C(-2), a), '(-2) ** a[i]'],
    ['negative exponent', pow(a, C(-1)), 'a[i] ** (-1)'],
    ['negated negation', neg(neg(a)), '-(-a[i])'],
    ['negated negative constant', neg(C(-1)), '-(-1)'],
    ['negated sum', neg(add(a, b)), '-(a[i] + b[i])'],
    ['minus a negative constant', sub(a, C(-1)), 'a[i] - -1'],
    ['sum in a compare', cmp('>', add(a, b), C(0)), 'a[i] + b[i] > 0'],
    ['compare of compares', cmp('===', cmp('>', a, b), cmp('>', b, c)), '(a[i] > b[i]) === (b[i] > c[i])'],
    [
      'and inside or',
      or(and(cmp('>', a, C(0)), cmp('>', b, C(0))), cmp('>', c, C(0))),
      '(a[i] > 0 && b[i] > 0) || c[i] > 0',
    ],
    [
      'or inside and',
      and(cmp('>', a, C(0)), or(cmp('>', b, C(0)), cmp('>', c, C(0)))),
      'a[i] > 0 && (b[i] > 0 || c[i] > 0)',
    ],
    ['and chain', and(and(a, b), c), 'a[i] && b[i] && c[i]'],
    ['and on the right of and', and(a, and(b, c)), 'a[i] && (b[i] && c[i])'],
    ['not of a logical', not(and(a, b)), '!(a[i] && b[i])'],
    ['not of an access', not(a), '!a[i]'],
    ['a reduction followed by an operator', div(sum('j', x), param('m')), '(Σj x[i,j]) / m'],
    ['a reduction as the right operand', sub(a, red('max', 'k', acc('a', 'k'))), 'a[i] - (max_k a[k])'],
    ['a reduction takes the whole body', sum('j', add(x, w)), 'Σj x[i,j] + w[j]'],
    ['nested reductions', sum('i', sum('j', x)), 'Σi Σj x[i,j]'],
    ['a reduction as a function argument', un('log', sum('j', un('exp', x))), 'log(Σj exp(x[i,j]))'],
    ['a reduction as a max operand', bin('max', C(-1000), red('max', 'i', a)), 'max(-1000, max_i a[i])'],
    ['a reduction negated', neg(sum('j', x)), '-(Σj x[i,j])'],
    ['a reduction in a select branch', sel(cmp('>', a, C(0)), sum('j', x), C(0)), '(a[i] > 0 ? Σj x[i,j] : 0)'],
    ['a reduction in a select condition', sel(cmp('>', sum('j', x), C(0)), a, b), '((Σj x[i,j]) > 0 ? a[i] : b[i])'],
    ['a logical select condition', sel(or(a, b), a, b), '(a[i] || b[i] ? a[i] : b[i])'],
    ['a select as an operand', mul(sel(a, b, c), C(2)), '(a[i] ? b[i] : c[i]) * 2'],
    [
      'a gather index that is an expression',
      { kind: 'take', tensor: 'x', axes: ['i', 0], axis: 1, index: add(b, C(1)) },
      'x[i, b[i] + 1]',
    ],
  ];
  for (const [name, e, text] of cases) it(name, () => expect(printIr(e)).toBe(text));
});

describe('printNest', () => {
  const variable = (name: string) => ({ name }) as Scope.Variable;
  const statement = {} as TSESTree.VariableDeclaration;
  const loop = (name: string, boundText: string): [string, LoopVar] => [
    name,
    { name, bound: atomPoly(`o:${boundText}`), boundText },
  ];
  const nest = (order: [string, string][], outputs: Output[], notes: Partial<LiftedNest> = {}): LiftedNest => ({
    node: {} as LiftedNest['node'],
    loops: new Map(order.map(([v, b]) => loop(v, b))),
    order: order.map(([v]) => v),
    outputs,
    views: new Set(),
    tensors: new Map(),
    blockers: [],
    caveats: [],
    assumptions: new Map(),
    ...notes,
  });
  const typed: Sink = { kind: 'typed', variable: variable('out'), statement, ctor: 'Float32Array', size: constPoly(4) };
  const scalar: Sink = {
    kind: 'scalar',
    variable: variable('s'),
    statement,
    declarator: {} as TSESTree.VariableDeclarator,
  };

  it('loops, then one line per output in the sink layout', () => {
    const n = nest(
      [
        ['i', 'n'],
        ['j', 'm'],
      ],
      [
        { sink: typed, layout: ['i'], value: sum('j', mul(x, w)) },
        { sink: scalar, layout: [], value: sum('i', sum('j', x)) },
      ],
    );
    expect(printNest(n)).toBe('for i < n, j < m:\n  out[i] = Σj x[i,j] * w[j]\n  s = Σi Σj x[i,j]');
  });

  it('a transposed layout', () => {
    const n = nest(
      [
        ['i', 'n'],
        ['j', 'm'],
      ],
      [{ sink: typed, layout: ['j', 'i'], value: x }],
    );
    expect(printNest(n)).toBe('for i < n, j < m:\n  out[j,i] = x[i,j]');
  });

  it('blockers, caveats and assumptions, wrapped at 100 columns', () => {
    const long = `${'word '.repeat(30)}end`;
    const n = nest([['i', 'n']], [{ sink: typed, layout: ['i'], value: acc('x', 'i') }], {
      blockers: ['`>=` keeps the last of equal values'],
      caveats: [{ text: long, assumes: 'non-empty' }, { text: 'a comment is dropped' }],
      assumptions: new Map([
        [x, { text: '`y` is read with the strides of `x`', assumes: 'same-shape' }],
        [w, { text: '`y` is read with the strides of `x`', assumes: 'same-shape' }],
      ]),
    });
    expect(printNest(n)).toBe(
      [
        'for i < n:',
        '  out[i] = x[i]',
        'blocker: `>=` keeps the last of equal values',
        `caveat [non-empty]: ${'word '.repeat(15)}word`,
        `    ${'word '.repeat(14)}end`,
        'caveat: a comment is dropped',
        'assumes [same-shape]: `y` is read with the strides of `x`',
      ].join('\n'),
    );
  });

  it('mapped and reduced sinks are named by their call', () => {
    const { ast } = parse(
      [
        "import * as tf from '@tensorflow/tfjs';",
        'f(x.arraySync().map((r) => r));',
        'g(rows.map((r) => r));',
        'h(d.reduce((s, v) => s + v));',
      ].join('\n'),
    );
    const argument = (s: TSESTree.ProgramStatement) =>
      ((s as TSESTree.ExpressionStatement).expression as TSESTree.CallExpression).arguments[0];
    const calls = ast.body.slice(1).map((s) => argument(s) as TSESTree.CallExpression);
    const n = nest(
      [['r$', 'x.shape[0]']],
      [
        { sink: { kind: 'mapped', call: calls[0] }, layout: ['r$'], value: acc('x', 'r$') },
        {
          sink: { kind: 'mapped', call: calls[1], variable: variable('held'), statement },
          layout: ['r$'],
          value: C(1),
        },
        { sink: { kind: 'mapped', call: calls[1] }, layout: ['r$'], value: C(2) },
        { sink: { kind: 'reduced', call: calls[2] }, layout: [], value: sum('r$', acc('x', 'r$')) },
      ],
    );
    expect(printNest(n)).toBe(
      [
        'for r$ < x.shape[0]:',
        '  x.arraySync().map(…)[r$] = x[r$]',
        '  held[r$] = 1',
        '  rows.map(…)[r$] = 2',
        '  d.reduce(…) = Σr$ x[r$]',
      ].join('\n'),
    );
  });

  it('a nest without loops prints its outputs unindented', () => {
    expect(printNest(nest([], [{ sink: scalar, layout: [], value: C(0) }]))).toBe('s = 0');
  });
});
