/**
 * Prints the tensor IR in index notation, so that what the lifter found reads like the loop's
 * mathematics: `out[i] = Σj x[i,j] * w[j]`. The text is deterministic (golden tests compare it) and
 * unambiguous: operands are parenthesised by precedence, and a binder (`Σj`, `max_k`, `argmax_k`,
 * `cumsum_j`, `softmax_j`) extends as far right as it can, so it is parenthesised wherever
 * something follows it.
 *
 *   access   x[i,j]          sliced access   x[:,:k][i,j]     flat read   x.flat[i]
 *   gather   x[i, idx[i]]    select          (c > 0 ? a : b)  unary       exp(x[i]), -x[i]
 *   reduce   Σj, Πj, max_j, min_j, logsumexp_j               argreduce   argmax_j, argmin_j
 *   scan     cumsum_j, exclusive_cumsum_j                     softmax     softmax_j, logsoftmax_j
 */
import type { Caveat } from './assumptions.js';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESTree } from '@typescript-eslint/utils';
import type { Expr, ReduceOp } from './ir.js';
import type { LiftedNest, Output, Sink } from './lift/index.js';

/** Binding strength, loosest first; a child printed where a tighter one is needed gets parentheses. */
const Prec = { Binder: 0, Or: 1, And: 2, Compare: 3, Add: 4, Mul: 5, Prefix: 6, Pow: 7, Atom: 8 } as const;
type Prec = (typeof Prec)[keyof typeof Prec];

interface Printed {
  text: string;
  prec: Prec;
}

const REDUCE_BINDER: Record<ReduceOp, (v: string) => string> = {
  sum: (v) => `Σ${v}`,
  prod: (v) => `Π${v}`,
  max: (v) => `max_${v}`,
  min: (v) => `min_${v}`,
  logsumexp: (v) => `logsumexp_${v}`,
};

/** One IR expression in index notation. */
export function printIr(e: Expr): string {
  return print(e).text;
}

function at(e: Expr, min: Prec): string {
  const p = print(e);
  return p.prec < min ? `(${p.text})` : p.text;
}

const atom = (text: string): Printed => ({ text, prec: Prec.Atom });

function print(e: Expr): Printed {
  switch (e.kind) {
    case 'access': {
      // x[:,:k][i,j]: the loop reads the first k entries of axis 1 (a bound not provably its size).
      const sliced = e.sliced?.some((b) => b !== undefined) ? e.sliced : undefined;
      const slice = sliced
        ? `[${sliced.map((b, k) => (b === undefined ? ':' : `${e.begin?.[k] ?? ''}:${b}`)).join(',')}]`
        : '';
      return atom(`${e.tensor}${slice}[${e.axes.join(',')}]`);
    }
    case 'flat':
      return atom(`${e.tensor}.flat${e.prefix !== undefined ? `[:${e.prefix}]` : ''}[${e.v}]`);
    case 'const':
      return number(e.value);
    case 'param':
      return atom(/^[\w$.[\]]+$/.test(e.text) ? e.text : `(${e.text})`);
    case 'index':
      return atom(e.v);
    case 'unary': {
      if (e.op !== 'neg') return atom(`${e.op}(${at(e.arg, Prec.Binder)})`);
      // Only an atom follows a prefix operator: `-(x ** 2)`, `-(-x)`, never `-x ** 2` or `--x`.
      return { text: `-${at(e.arg, Prec.Atom)}`, prec: Prec.Prefix };
    }
    case 'not':
      return { text: `!${at(e.arg, Prec.Atom)}`, prec: Prec.Prefix };
    case 'binary': {
      if (e.op === 'max' || e.op === 'min') return atom(`${e.op}(${at(e.a, Prec.Binder)}, ${at(e.b, Prec.Binder)})`);
      if (e.op === 'pow') return { text: `${at(e.a, Prec.Atom)} ** ${at(e.b, Prec.Pow)}`, prec: Prec.Pow };
      const prec = e.op === '+' || e.op === '-' ? Prec.Add : Prec.Mul;
      return { text: `${at(e.a, prec)} ${e.op} ${at(e.b, (prec + 1) as Prec)}`, prec };
    }
    case 'compare':
      return { text: `${at(e.a, Prec.Add)} ${e.op} ${at(e.b, Prec.Add)}`, prec: Prec.Compare };
    case 'logical': {
      const prec = e.op === '&&' ? Prec.And : Prec.Or;
      // `a && b || c` is spelled `(a && b) || c`: a chain of one operator needs no precedence table.
      const side = (c: Expr, left: boolean): string =>
        c.kind === 'logical' && c.op === e.op && left ? at(c, prec) : at(c, Prec.Compare);
      return { text: `${side(e.a, true)} ${e.op} ${side(e.b, false)}`, prec };
    }
    case 'select':
      return atom(`(${at(e.cond, Prec.Or)} ? ${at(e.a, Prec.Binder)} : ${at(e.b, Prec.Binder)})`);
    case 'reduce':
      return binder(REDUCE_BINDER[e.op](e.v), e.body);
    case 'argreduce':
      return binder(`${e.last ? 'last_' : ''}${e.op}_${e.v}${e.skipsNaN ? '[skip NaN]' : ''}`, e.body);
    case 'cumsum':
      return binder(`${e.exclusive ? 'exclusive_' : ''}cumsum_${e.v}`, e.body);
    case 'softmax':
      return binder(`${e.log ? 'log' : ''}softmax_${e.v}`, e.body);
    case 'take': {
      const subs = e.axes.map((a, k) => (k === e.axis ? at(e.index, Prec.Binder) : String(a)));
      return atom(`${e.tensor}[${subs.join(', ')}]`);
    }
    case 'stack':
      return atom(`stack_${e.v}[${e.parts.map((p) => at(p, Prec.Binder)).join(', ')}]`);
    case 'acc':
      return atom(`acc#${e.id}`);
  }
}

function binder(head: string, body: Expr): Printed {
  return { text: `${head} ${at(body, Prec.Binder)}`, prec: Prec.Binder };
}

function number(v: number): Printed {
  if (Number.isNaN(v)) return atom('NaN');
  if (v === Infinity) return atom('Infinity');
  if (v === -Infinity) return { text: '-Infinity', prec: Prec.Prefix };
  if (Object.is(v, -0)) return { text: '-0', prec: Prec.Prefix };
  return v < 0 ? { text: String(v), prec: Prec.Prefix } : atom(String(v));
}

// ------------------------------------------------------------------ nests

/** Width at which `printNest` wraps the text of a note. */
const NOTE_WIDTH = 100;

/**
 * A lifted nest: the loops with their bounds, one line per output (`out[i] = …`, the sink in its
 * memory order), then the nest's blockers, caveats and shape assumptions, each wrapped at 100
 * columns with continuation lines indented by four spaces.
 *
 *   for i < n, j < m:
 *     out[i] = Σj x[i,j] * w[j]
 *   caveat: …
 */
export function printNest(nest: LiftedNest): string {
  const lines: string[] = [];
  const indent = nest.order.length > 0 ? '  ' : '';
  if (nest.order.length > 0) {
    lines.push(`for ${nest.order.map((v) => `${v} < ${nest.loops.get(v)?.boundText ?? '?'}`).join(', ')}:`);
  }
  for (const out of nest.outputs) lines.push(`${indent}${printOutput(out)}`);
  for (const b of nest.blockers) lines.push(...wrap(`blocker: ${b}`));
  const tag = (c: Caveat) => (c.assumes ? ` [${c.assumes}]` : '');
  for (const c of nest.caveats) lines.push(...wrap(`caveat${tag(c)}: ${c.text}`));
  const assumed = new Map([...nest.assumptions.values()].map((a) => [a.text, a]));
  for (const a of assumed.values()) lines.push(...wrap(`assumes${tag(a)}: ${a.text}`));
  return lines.join('\n');
}

/** `out[i,j] = E`, or `s = E` for a scalar. */
export function printOutput(out: Output): string {
  const index = out.layout.length > 0 ? `[${out.layout.join(',')}]` : '';
  return `${sinkName(out.sink)}${index} = ${printIr(out.value)}`;
}

/** The sink's variable, or the call whose value is the output (`rows.map(…)`, `d.reduce(…)`). */
export function sinkName(sink: Sink): string {
  if (sink.kind === 'mapped' && sink.variable) return sink.variable.name;
  if (sink.kind === 'mapped' || sink.kind === 'reduced') return `${describe(sink.call.callee)}(…)`;
  return sink.variable.name;
}

/** `x.arraySync().map` for a callee; `…` for anything with arguments or computed members. */
function describe(node: TSESTree.Node): string {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  const member = node.type === AST_NODE_TYPES.MemberExpression && !node.computed ? node : undefined;
  if (member?.property.type === AST_NODE_TYPES.Identifier) return `${describe(member.object)}.${member.property.name}`;
  if (node.type === AST_NODE_TYPES.CallExpression && node.arguments.length === 0) return `${describe(node.callee)}()`;
  return '…';
}

function wrap(text: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (next.length > NOTE_WIDTH && line.trim() !== '') {
      lines.push(line);
      line = `    ${word}`;
    } else line = next;
  }
  lines.push(line);
  return lines;
}
