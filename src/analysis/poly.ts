/**
 * Polynomials with integer coefficients over named atoms. Index expressions (`i * m + j`) and
 * sizes (`n * m`, `x.shape[1]`) are both polynomials, so "does this stride equal that dimension"
 * is a structural equality check.
 *
 * Atom names: `v:i` (loop variable), `d:x:1` (dimension 1 of tensor `x`), `o:k` (an opaque
 * loop-invariant JS value, by source text).
 */
export type Poly = ReadonlyMap<string, number>;

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

/** Splits `p` into the coefficient of each loop-variable atom and the rest; undefined when a term holds two loop variables. */
export function splitByLoopVars(p: Poly, isLoopVar: (atom: string) => boolean): { coefs: Map<string, Poly>; rest: Poly } | undefined {
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

/** Renames atoms (`v:j` → `v:j2`) in every monomial. */
export function renameAtoms(p: Poly, rename: ReadonlyMap<string, string>): Poly {
  const out = new Map<string, number>();
  for (const [k, c] of p) {
    const key = monoKey(monoAtoms(k).map((a) => rename.get(a) ?? a));
    out.set(key, (out.get(key) ?? 0) + c);
  }
  return normalise(out);
}
