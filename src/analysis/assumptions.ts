/**
 * The named assumptions a rewrite may rely on, and the caveats that carry them.
 *
 * A caveat is a way in which the loop and its rewrite may differ. Most describe inputs that well-formed
 * programs do not give (an index past the end of the tensor, an axis with no elements): those name the
 * assumption under which the rewrite is exact, and the rule's `assume` option says which assumptions the
 * user accepts. A rewrite whose every caveat names an accepted assumption is an autofix; any other caveat
 * (a dropped comment, a depth that may be below 2) keeps it a suggestion. Like ruff's safe and unsafe fixes,
 * or rustc's MachineApplicable and MaybeIncorrect.
 */

export interface AssumptionInfo {
  /** A few words, for messages: "the loop reads inside the tensors". */
  short: string;
  /** What the user accepts, for the docs and the option's schema. */
  description: string;
}

export const ASSUMPTIONS = {
  'in-bounds': {
    short: 'indices in range',
    description:
      'Every index the loop reads or writes is inside the tensor: a bound passed in (`for (i < k)`) is at most ' +
      'the axis size, and an index read from data (a label, a class id) is an integer in range. Outside, the loop ' +
      'reads `undefined` or writes into another row, where the op throws or clamps.',
  },
  'non-empty': {
    short: 'no empty axis',
    description:
      'Every axis the loop walks has at least one element. Over an empty axis a loop gives its initial value ' +
      '(`-Infinity` for a max, `[]` for nested rows) where the op gives NaN, another shape, or throws.',
  },
  'float32-sums': {
    short: 'float32 arithmetic',
    description:
      'A result that stays in JavaScript (a number, or a `number[]` read back with `arraySync()`) may be computed ' +
      'in float32 on the backend instead of float64 in JavaScript: equal within float32 rounding. A comparison ' +
      'is made in float32 too: a value at the boundary (an element equal to a threshold such as 0.1 rounded ' +
      'to float32) can go the other way.',
  },
  'same-shape': {
    short: 'same shapes',
    description:
      'Flat data read with the strides of another tensor (`b[i * m + j]` with `m = a.shape[1]`) has that ' +
      "tensor's shape. Where it does not, the op broadcasts or throws while the loop reads other elements.",
  },
  'no-nan': {
    short: 'no NaN in the data',
    description:
      'The data holds no NaN. A loop that compares (`if (v > best)`) skips NaN where `tf.max` or `tf.argMax` ' +
      'propagate or pick it.',
  },
  rank: {
    short: 'the rank the loop indexes',
    description:
      'A tensor whose rank nothing in the code shows (no type, no ranked creator, no shape literal) has the rank ' +
      'the loop indexes it with. `const [h, w] = img.shape` does not show it: it also takes the leading ' +
      'dimensions of a rank-3 image.',
  },
} as const satisfies Record<string, AssumptionInfo>;

export type Assumption = keyof typeof ASSUMPTIONS;

export const ASSUMPTION_NAMES = Object.keys(ASSUMPTIONS) as Assumption[];

/**
 * Accepted unless the user says otherwise: what real TF.js code meets (see the rule doc for the evidence).
 * `no-nan` and `rank` are not: NaN is a value users test for, and `const [h, w] = img.shape` on a rank-3
 * image is common.
 */
export const DEFAULT_ASSUME: readonly Assumption[] = ['in-bounds', 'non-empty', 'float32-sums', 'same-shape'];

/** A way the loop and its rewrite may differ; `assumes` names the assumption that rules it out, if any. */
export interface Caveat {
  text: string;
  assumes?: Assumption;
}

export function caveat(text: string, assumes?: Assumption): Caveat {
  return assumes ? { text, assumes } : { text };
}

/** Caveats in order, one per text. */
export class Caveats implements Iterable<Caveat> {
  private readonly byText = new Map<string, Caveat>();

  add(c: Caveat | string, assumes?: Assumption): this {
    const item = typeof c === 'string' ? caveat(c, assumes) : c;
    if (!this.byText.has(item.text)) this.byText.set(item.text, item);
    return this;
  }

  addAll(cs: Iterable<Caveat>): this {
    for (const c of cs) this.add(c);
    return this;
  }

  get size(): number {
    return this.byText.size;
  }

  [Symbol.iterator](): Iterator<Caveat> {
    return this.byText.values();
  }
}

/** The assumptions these caveats rely on, in ASSUMPTIONS' order. */
export function assumptionsOf(caveats: Iterable<Caveat>): Assumption[] {
  const used = new Set<Assumption>();
  for (const c of caveats) if (c.assumes) used.add(c.assumes);
  return ASSUMPTION_NAMES.filter((a) => used.has(a));
}

/** Whether every caveat names an assumption the user accepts. */
export function allAccepted(caveats: Iterable<Caveat>, accepted: ReadonlySet<Assumption>): boolean {
  for (const c of caveats) if (!c.assumes || !accepted.has(c.assumes)) return false;
  return true;
}
