// Polynomials over named atoms (src/analysis/poly.ts): arithmetic, equality, constants, the split by
// loop variables that flat-index decomposition relies on, renaming, and the typed atom API.
import { describe, expect, it } from 'vitest';
import {
  addPoly,
  atomPoly,
  constPoly,
  dimAtom,
  dimTensorOf,
  hasLoopAtom,
  isLoopAtom,
  loopAtom,
  loopVarOf,
  mulPoly,
  nonNegative,
  opaqueAtom,
  parseAtom,
  polyAtoms,
  polyConstant,
  polyEquals,
  renameAtoms,
  singleLoopVar,
  sizeAtom,
  splitByLoopVars,
  type Poly,
} from '../../src/analysis/poly.js';

const i = atomPoly(loopAtom('i'));
const j = atomPoly(loopAtom('j'));
const m = atomPoly(dimAtom('x', 1));
const n = atomPoly(opaqueAtom('n'));
const c = constPoly;

/** `i * m + j`: the flat index of x[i, j] in row-major order. */
const flat = addPoly(mulPoly(i, m), j);

describe('the atom API', () => {
  it('makes and reads loop atoms', () => {
    expect(isLoopAtom(loopAtom('j2'))).toBe(true);
    expect(loopVarOf(loopAtom('j2'))).toBe('j2');
    expect(loopVarOf(loopAtom('row$'))).toBe('row$');
    for (const other of [dimAtom('x', 0), sizeAtom('x'), opaqueAtom('n')]) {
      expect(isLoopAtom(other)).toBe(false);
      expect(() => loopVarOf(other)).toThrow();
    }
  });

  it('parses every kind', () => {
    expect(parseAtom(loopAtom('i'))).toEqual({ kind: 'loop', v: 'i' });
    expect(parseAtom(dimAtom('x', 3))).toEqual({ kind: 'dim', tensor: 'x', axis: 3 });
    expect(parseAtom(sizeAtom('d'))).toEqual({ kind: 'size', tensor: 'd' });
    expect(parseAtom(opaqueAtom('k'))).toEqual({ kind: 'opaque', name: 'k' });
    expect(() => parseAtom('i')).toThrow();
  });

  it('names the tensor of a dimension atom', () => {
    expect(dimTensorOf(dimAtom('img', 2))).toBe('img');
    expect(dimTensorOf(dimAtom('x', 10))).toBe('x');
    expect(dimTensorOf(sizeAtom('x'))).toBeUndefined();
    expect(dimTensorOf(loopAtom('i'))).toBeUndefined();
  });

  it('keeps kinds apart when names collide', () => {
    const atoms = [loopAtom('x'), dimAtom('x', 0), sizeAtom('x'), opaqueAtom('x')];
    expect(new Set(atoms).size).toBe(4);
  });

  it('finds a polynomial that is exactly one loop variable', () => {
    expect(singleLoopVar(i)).toBe('i');
    expect(singleLoopVar(addPoly(i, c(1)))).toBeUndefined();
    expect(singleLoopVar(mulPoly(i, c(2)))).toBeUndefined();
    expect(singleLoopVar(mulPoly(i, j))).toBeUndefined();
    expect(singleLoopVar(m)).toBeUndefined();
    expect(singleLoopVar(c(0))).toBeUndefined();
  });

  it('says whether a polynomial varies with a loop variable', () => {
    expect(hasLoopAtom(flat)).toBe(true);
    expect(hasLoopAtom(mulPoly(m, n))).toBe(false);
    expect(hasLoopAtom(c(3))).toBe(false);
  });
});

describe('arithmetic and equality', () => {
  it('adds and subtracts, dropping zero terms', () => {
    expect(polyEquals(addPoly(i, j), addPoly(j, i))).toBe(true);
    expect(polyEquals(addPoly(flat, j, -1), mulPoly(i, m))).toBe(true);
    expect(addPoly(i, i, -1).size).toBe(0);
    expect(polyEquals(addPoly(c(2), c(3)), c(5))).toBe(true);
  });

  it('multiplies, distributing and merging monomials whatever the atom order', () => {
    const sq = mulPoly(addPoly(i, j), addPoly(i, j));
    const expanded = addPoly(addPoly(mulPoly(i, i), mulPoly(mulPoly(i, j), c(2))), mulPoly(j, j));
    expect(polyEquals(sq, expanded)).toBe(true);
    expect(polyEquals(mulPoly(m, n), mulPoly(n, m))).toBe(true);
    expect(mulPoly(i, c(0)).size).toBe(0);
  });

  it('tells polynomials apart by coefficient and monomial', () => {
    expect(polyEquals(mulPoly(i, c(2)), i)).toBe(false);
    expect(polyEquals(mulPoly(i, m), mulPoly(i, n))).toBe(false);
    expect(polyEquals(i, addPoly(i, c(0)))).toBe(true);
  });

  it('reads constants', () => {
    expect(polyConstant(c(7))).toBe(7);
    expect(polyConstant(c(0))).toBe(0);
    expect(polyConstant(addPoly(i, i, -1))).toBe(0);
    expect(polyConstant(i)).toBeUndefined();
    expect(polyConstant(addPoly(c(1), m))).toBeUndefined();
  });

  it('lists atoms', () => {
    expect([...polyAtoms(flat)].sort()).toEqual([dimAtom('x', 1), loopAtom('i'), loopAtom('j')].sort());
  });
});

describe('splitByLoopVars', () => {
  const coef = (split: { coefs: Map<string, Poly> }, v: string) => split.coefs.get(loopAtom(v));

  it('splits a flat index into strides and an offset', () => {
    const split = splitByLoopVars(addPoly(flat, c(3)))!;
    expect(split.coefs.size).toBe(2);
    expect(polyEquals(coef(split, 'i')!, m)).toBe(true);
    expect(polyEquals(coef(split, 'j')!, c(1))).toBe(true);
    expect(polyEquals(split.rest, c(3))).toBe(true);
  });

  it('keeps the non-loop part of each term with its loop variable', () => {
    // (i * m + j) * 4 + k: the channel stride 4 multiplies every stride
    const k = atomPoly(loopAtom('k'));
    const split = splitByLoopVars(addPoly(mulPoly(flat, c(4)), k))!;
    expect(polyEquals(coef(split, 'i')!, mulPoly(m, c(4)))).toBe(true);
    expect(polyEquals(coef(split, 'j')!, c(4))).toBe(true);
    expect(polyEquals(coef(split, 'k')!, c(1))).toBe(true);
    expect(split.rest.size).toBe(0);
  });

  it('gives up on a product of two loop variables', () => {
    expect(splitByLoopVars(mulPoly(i, j))).toBeUndefined();
  });

  it('takes another predicate for what counts as a loop variable', () => {
    const split = splitByLoopVars(flat, (a) => a === loopAtom('i'))!;
    expect([...split.coefs.keys()]).toEqual([loopAtom('i')]);
    expect(polyEquals(split.rest, j)).toBe(true);
  });
});

describe('renameAtoms', () => {
  it('renames loop variables in every monomial (sequential loops reusing a name)', () => {
    const rename = new Map([[loopAtom('j'), loopAtom('j2')]]);
    const renamed = renameAtoms(addPoly(flat, mulPoly(j, m)), rename);
    const j2 = atomPoly(loopAtom('j2'));
    expect(polyEquals(renamed, addPoly(addPoly(mulPoly(i, m), j2), mulPoly(j2, m)))).toBe(true);
  });

  it('merges terms that become equal', () => {
    const rename = new Map([[dimAtom('y', 1), dimAtom('x', 1)]]);
    const y1 = atomPoly(dimAtom('y', 1));
    expect(polyEquals(renameAtoms(addPoly(mulPoly(i, m), mulPoly(i, y1)), rename), mulPoly(i, mulPoly(m, c(2))))).toBe(
      true,
    );
  });
});

describe('nonNegative', () => {
  const n = atomPoly(dimAtom('x', 0));
  const m = atomPoly(dimAtom('x', 1));
  it('holds for sums and products of dimensions with non-negative coefficients', () => {
    expect(nonNegative(n)).toBe(true);
    expect(nonNegative(addPoly(mulPoly(n, m), constPoly(3)))).toBe(true);
    expect(nonNegative(constPoly(0))).toBe(true);
  });
  it('fails for a difference, a negative constant, a JS value or a loop variable', () => {
    expect(nonNegative(addPoly(n, constPoly(1), -1))).toBe(false);
    expect(nonNegative(constPoly(-1))).toBe(false);
    expect(nonNegative(atomPoly(opaqueAtom('k')))).toBe(false);
    expect(nonNegative(atomPoly(loopAtom('i')))).toBe(false);
  });
});
