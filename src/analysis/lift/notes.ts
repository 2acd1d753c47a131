/**
 * Blockers, caveats and assumptions: the legality the lifter decides. Notes hang on IR nodes, so
 * that only what reaches an output counts; `nestNotes` collects them for the whole nest.
 */
import { Caveats, caveat, type Caveat } from '../assumptions.js';
import { children, tensorsRead, type Expr } from '../ir.js';
import type { LiftContext, Note } from './context.js';
import type { Output } from './nest.js';

/** Attaches a note to `e` and returns it. */
export function note<E extends Expr>(ctx: LiftContext, e: E, n: Note): E {
  ctx.notes.set(e, [...(ctx.notes.get(e) ?? []), n]);
  return e;
}

/** Blockers and caveats attached to the IR nodes of these expressions. */
export function notesOf(ctx: LiftContext, exprs: Expr[]): { blockers: string[]; caveats: Caveat[] } {
  const blockers = new Set<string>();
  const caveats = new Caveats();
  const seen = new Set<Expr>();
  const walk = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    for (const n of ctx.notes.get(e) ?? []) {
      if (n.blocker) blockers.add(n.blocker);
      if (n.caveat) caveats.add(n.caveat);
    }
    children(e).forEach(walk);
  };
  exprs.forEach(walk);
  return { blockers: [...blockers], caveats: [...caveats] };
}

/** Moves the notes of a node an idiom rewrote to the node that replaces it (see recognizeIdioms). */
export function moveNotes(ctx: LiftContext, from: Expr, to: Expr): void {
  let notes = ctx.notes.get(from);
  if (!notes || from === to) return;
  if (to.kind === 'reduce' && to.op === 'logsumexp') {
    // The running max's notes, said of log-sum-exp: NaN propagates through the sum anyway; an empty axis still differs.
    notes = notes
      .filter((n) => n.caveat?.assumes !== 'no-nan')
      .map((n) =>
        n.caveat ? { caveat: { ...n.caveat, text: n.caveat.text.replace(/tf\.max\b/, 'tf.logSumExp') } } : n,
      );
  }
  ctx.notes.set(to, [...(ctx.notes.get(to) ?? []), ...notes]);
}

/** The notes of the whole nest: those of its outputs, plus what holds for every output. */
export function nestNotes(ctx: LiftContext, outputs: Output[]): { blockers: string[]; caveats: Caveat[] } {
  const notes = notesOf(
    ctx,
    outputs.map((o) => o.value),
  );
  if (ctx.foreign) notes.blockers.unshift(ctx.foreign);
  // A rank nothing in the code shows (no type, ranked creator or shape literal), taken from the indexing.
  for (const [t, rank] of ctx.ranks) {
    if (t.foreign || !outputs.some((o) => tensorsRead(o.value).includes(t.name))) continue;
    notes.caveats.push(
      caveat(
        `nothing shows the rank of \`${t.name}\`: the rewrite reads it as a rank-${rank} tensor, as the loop ` +
          `indexes it; for a tensor of another rank the loop reads other elements than the op`,
        'rank',
      ),
    );
  }
  if (ctx.nestedBound) {
    notes.caveats.push(
      caveat(
        `for a tensor with no elements \`${ctx.nestedBound}\` gives \`[]\` whatever the shape, so where a dimension ` +
          `is 0 the loop's result has another shape than the op's`,
        'non-empty',
      ),
    );
  }
  return notes;
}
