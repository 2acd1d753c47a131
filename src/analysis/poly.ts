/**
 * Polynomials with integer coefficients over named atoms. Index expressions (`i * m + j`) and
 * sizes (`n * m`, `x.shape[1]`) are both polynomials, so "does this stride equal that dimension"
 * is a structural equality check.
 *
 * Atoms are strings made and read only through the atom API below: a loop variable (`loopAtom`), a
 * dimension of a tensor (`dimAtom`), the size of a tensor of unknown rank (`sizeAtom`), an opaque
 * loop-invariant JS value by its name (`opaqueAtom`).
 */
export type Poly = ReadonlyMap<string, number>;

// ---------------------------------------------------------------- atoms

/** What an atom stands for. */
export type AtomInfo =
  | { kind: 'loop'; v: string }
  | { kind: 'dim'; tensor: string; axis: number }
  | { kind: 'size'; tensor: string }
  | { kind: 'opaque'; name: string };

// The spelling: a one-letter tag and a colon. Tensor and variable names are JS identifiers, so
// they hold no `:` or `*` (the monomial separator).
const LOOP = 'v:';
const DIM = 'd:';
const SIZE = 's:';
const OPAQUE = 'o:';

/** The loop variable `v` (its IR name). */
export const loopAtom = (v: string): string => `${LOOP}${v}`;
/** Dimension `axis` of tensor `tensor`. */
export const dimAtom = (tensor: string, axis: number): string => `${DIM}${tensor}:${axis}`;
/** The element count of tensor `tensor` when its rank is unknown. */
export const sizeAtom = (tensor: string): string => `${SIZE}${tensor}`;
/** A loop-invariant JS value the polynomial cannot look into, by name. */
export const opaqueAtom = (name: string): string => `${OPAQUE}${name}`;

export const isLoopAtom = (atom: string): boolean => atom.startsWith(LOOP);

/** The loop variable of a loop atom. */
export function loopVarOf(atom: string): string {
  if (!isLoopAtom(atom)) throw new Error(`not a loop atom: ${atom}`);
  return atom.slice(LOOP.length);
}

/** The tensor whose dimension `atom` is, or undefined when it is no dimension atom. */
export function dimTensorOf(atom: string): string | undefined {
  return atom.startsWith(DIM) ? atom.slice(DIM.length, atom.lastIndexOf(':')) : undefined;
}

export function parseAtom(atom: string): AtomInfo {
  if (atom.startsWith(LOOP)) return { kind: 'loop', v: atom.slice(LOOP.length) };
  if (atom.startsWith(DIM)) {
    const colon = atom.lastIndexOf(':');
    return { kind: 'dim', tensor: atom.slice(DIM.length, colon), axis: Number(atom.slice(colon + 1)) };
  }
  if (atom.startsWith(SIZE)) return { kind: 'size', tensor: atom.slice(SIZE.length) };
  if (atom.startsWith(OPAQUE)) return { kind: 'opaque', name: atom.slice(OPAQUE.length) };
  throw new Error(`not an atom: ${atom}`);
}

/** `p` is exactly one loop variable (`1·i`): its name; else undefined. */
export function singleLoopVar(p: Poly): string | undefined {
  if (p.size !== 1) return undefined;
  const [[key, coef]] = [...p];
  const atoms = monoAtoms(key);
  return coef === 1 && atoms.length === 1 && isLoopAtom(atoms[0]) ? loopVarOf(atoms[0]) : undefined;
}

/** Whether some atom of `p` is a loop variable. */
export const hasLoopAtom = (p: Poly): boolean => [...polyAtoms(p)].some(isLoopAtom);

// ---------------------------------------------------------- polynomials

const monoKey = (atoms: readonly string[]): string => [...atoms].sort().join('*');
const monoAtoms = (key: string): string[] => (key === '' ? [] : key.split('*'));

function normalise(terms: Map<string, number>): Poly {
  for (const [k, c] of terms) if (c === 0) terms.delete(k);
  return terms;
}

export const constPoly = (c: number): Poly => normalise(new Map([['', c]]));
export const atomPoly = (atom: string): Poly => new Map([[atom, 1]]);

export function addPoly(a: Poly, b: Poly, sign = 1): Poly {
  const out = new Map(a);
  for (const [k, c] of b) out.set(k, (out.get(k) ?? 0) + sign * c);
  return normalise(out);
}

export function mulPoly(a: Poly, b: Poly): Poly {
  const out = new Map<string, number>();
  for (const [ka, ca] of a)
    for (const [kb, cb] of b) {
      const k = monoKey([...monoAtoms(ka), ...monoAtoms(kb)]);
      out.set(k, (out.get(k) ?? 0) + ca * cb);
    }
  return normalise(out);
}

export function polyEquals(a: Poly, b: Poly): boolean {
  if (a.size !== b.size) return false;
  for (const [k, c] of a) if (b.get(k) !== c) return false;
  return true;
}

export function polyConstant(a: Poly): number | undefined {
  if (a.size === 0) return 0;
  if (a.size === 1 && a.has('')) return a.get('');
  return undefined;
}

/**
 * Splits `p` into the coefficient of each loop-variable atom and the rest; undefined when a term
 * holds two loop variables.
 */
export function splitByLoopVars(
  p: Poly,
  isLoopVar: (atom: string) => boolean = isLoopAtom,
): { coefs: Map<string, Poly>; rest: Poly } | undefined {
  const coefs = new Map<string, Map<string, number>>();
  const rest = new Map<string, number>();
  for (const [k, c] of p) {
    const atoms = monoAtoms(k);
    const vars = atoms.filter(isLoopVar);
    if (vars.length > 1) return undefined;
    if (vars.length === 0) {
      rest.set(k, c);
      continue;
    }
    const others = monoKey(atoms.filter((a) => !isLoopVar(a)));
    const coef = coefs.get(vars[0]) ?? new Map<string, number>();
    coef.set(others, (coef.get(others) ?? 0) + c);
    coefs.set(vars[0], coef);
  }
  return { coefs: new Map([...coefs].map(([v, c]) => [v, normalise(c)])), rest: normalise(rest) };
}

export function polyAtoms(p: Poly): Set<string> {
  const out = new Set<string>();
  for (const k of p.keys()) for (const a of monoAtoms(k)) out.add(a);
  return out;
}

/** Renames atoms (`loopAtom('j')` → `loopAtom('j2')`) in every monomial. */
export function renameAtoms(p: Poly, rename: ReadonlyMap<string, string>): Poly {
  const out = new Map<string, number>();
  for (const [k, c] of p) {
    const key = monoKey(monoAtoms(k).map((a) => rename.get(a) ?? a));
    out.set(key, (out.get(key) ?? 0) + c);
  }
  return normalise(out);
}

/**
 * Whether `p` is ≥ 0 for every value its atoms can take: non-negative coefficients over products of
 * tensor dimensions and sizes (loop variables and opaque JS values may be negative).
 */
export function nonNegative(p: Poly): boolean {
  for (const [mono, coef] of p) {
    if (coef < 0) return false;
    for (const a of monoAtoms(mono)) if (!a.startsWith(DIM) && !a.startsWith(SIZE)) return false;
  }
  return true;
}

/**
 * The size of the prefix a loop reads, for tf.slice: its bound, or `Math.max(bound, 0)` where nothing
 * shows the bound is not negative — a loop to -1 reads nothing, while tf.slice reads to the end for -1.
 */
export function sliceSize(lv: { bound: Poly; boundText: string }): string {
  return nonNegative(lv.bound) ? lv.boundText : `Math.max(${lv.boundText}, 0)`;
}
