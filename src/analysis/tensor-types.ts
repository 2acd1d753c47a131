// What the type checker or a JSDoc comment says a value is (tensor-values.ts asks when the parser gives types).
import type { TSESLint } from '@typescript-eslint/utils';
import { merge, MODEL_TYPES, TENSOR_TYPES, type ValueKind } from './tensor-kinds.js';

type Checker = ReturnType<NonNullable<NonNullable<TSESLint.SourceCode['parserServices']>['program']>['getTypeChecker']>;
type CheckerType = ReturnType<Checker['getTypeAtLocation']>;

/** The names of a type and its bases (`LayersModel` for a `Sequential`). */
export function typeNames(type: CheckerType, depth = 0, out = new Set<string>()): Set<string> {
  const sym = type.getSymbol() ?? type.aliasSymbol;
  if (sym) out.add(sym.getName());
  if (depth < 4) for (const b of type.getBaseTypes?.() ?? []) typeNames(b, depth + 1, out);
  return out;
}

export function typeKindOfChecker(checker: Checker, type: CheckerType, depth: number): ValueKind | undefined {
  const flags = type.getFlags();
  // any (1) / unknown (2): the checker does not know either.
  if (flags & 3 || depth > 3) return undefined;
  // null (65536) / undefined (32768) / void (16384)
  if (type.isUnion()) {
    let kind: ValueKind | undefined;
    let some = false;
    for (const t of type.types) {
      if (t.getFlags() & (65536 | 32768 | 16384)) continue;
      const k = typeKindOfChecker(checker, t, depth + 1);
      if (k === undefined) return undefined;
      kind = some ? merge(kind, k) : k;
      some = true;
    }
    return kind;
  }
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const elements = checker.getTypeArguments(type as never);
    const kinds = elements.map((e) => typeKindOfChecker(checker, e, depth + 1));
    if (kinds.some((k) => k === undefined)) return undefined;
    return kinds.length > 0 && kinds.every((k) => k === 'tensor') ? 'tensors' : 'other';
  }
  // A type parameter (`T extends Tensor`): its constraint.
  if (type.isTypeParameter()) {
    const constraint = checker.getBaseConstraintOfType(type);
    return constraint ? typeKindOfChecker(checker, constraint, depth + 1) : undefined;
  }
  const names = typeNames(type);
  if ([...names].some((n) => TENSOR_TYPES.has(n))) return 'tensor';
  if ([...names].some((n) => MODEL_TYPES.has(n) && n !== 'Model')) return 'model';
  if (names.has('TensorBuffer')) return 'buffer';
  if (names.has('Promise')) return undefined;
  return 'other';
}

/** The kind a JSDoc type names: `tf.Tensor`, `Tensor4d`, `tf.Tensor[]`, `Array<tf.Tensor>`, `?tf.Tensor=`. */
export function jsdocTypeKind(text: string): ValueKind {
  let t = text.trim().replace(/^[?!]|=$/g, '');
  if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
  if (t.includes('|')) {
    let kind: ValueKind | undefined;
    for (const part of t.split('|')) {
      if (/^\s*(null|undefined)\s*$/.test(part)) continue;
      kind = merge(kind, jsdocTypeKind(part));
    }
    return kind ?? 'unknown';
  }
  const array = /^(.*)\[\]$/.exec(t) ?? /^Array\.?<(.*)>$/.exec(t);
  if (array) {
    const element = jsdocTypeKind(array[1]);
    return element === 'tensor' ? 'tensors' : element === 'unknown' ? 'unknown' : 'other';
  }
  const name = t.replace(/<.*>$/, '').split('.').pop() ?? '';
  if (/^(tensor([1-6]d)?|scalar|variable)$/i.test(name) && (/^tensor/i.test(name) || t.includes('.'))) return 'tensor';
  if (MODEL_TYPES.has(name) && name !== 'Model') return 'model';
  if (/^(number|string|boolean|object|Function|Float32Array|Int32Array|Uint8Array)$/.test(name)) return 'other';
  return 'unknown';
}
