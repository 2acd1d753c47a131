/**
 * Which variables hold which tensor's data (views), and which expressions are a tensor's sizes.
 * Data flow only: the checker is not needed, a type annotation such as `tf.Tensor2D` adds the rank.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import {
  bareMethodCall,
  excerpt,
  FUNCTION_TYPES,
  isMethodCall,
  isWrittenTo,
  numericLiteral,
  topLevelStatement,
  typeReferenceName,
  unwrap,
} from '../ast/predicates.js';
import { addPoly, atomPoly, constPoly, dimAtom, mulPoly, opaqueAtom, sizeAtom, type Poly } from './poly.js';
import { LIST_OPS, MODEL_OPS, NON_TENSOR_OPS, RECORD_OPS, TENSOR_METHODS, TENSOR_TYPES } from './tensor-kinds.js';
import { tfCallName, type TfBinding } from './tf-binding.js';
import { findVariable as lookUp } from '../ast/scope.js';
import { noteNameRead } from '../ast/names.js';
import { callsOf, type FunctionNode } from './module-functions.js';
import { importedFunctionOf, readsBack, type ImportedFunction, type Parser } from './imported.js';
import {
  captureQueries,
  lineInAnswer,
  lineOf,
  mentionsInFile,
  noteComputed,
  registerCheck,
  replayCaptured,
  type Captured,
  type CheckContext,
} from '../unit-cache.js';

export type ViewKind = 'flat' | 'nested' | 'buffer';

export interface TensorInfo {
  name: string;
  variable: Scope.Variable;
  /** Known or assumed rank (destructured `x.shape`, a `Tensor2D` annotation, a `tf.tensor2d` creator). */
  rank: number | undefined;
  /**
   * A constant JS array literal used as a lookup table (`const PALETTE = [[0, 0, 0], …]`): its shape,
   * and whether every entry is an integer.
   */
  literal?: { shape: number[]; ints: boolean };
  /**
   * Data handed to a helper as a parameter: not a tensor the fix could name. `origin` says where it
   * comes from (`x.dataSync()` in the caller `run`, line 12) when every call in the module agrees.
   * `unnamed`: read back from a tensor no variable holds; `onePath`: read back on one path only, the
   * variable holding plain values on the others.
   */
  foreign?: { origin: string | undefined; unnamed?: boolean; onePath?: boolean; imported?: boolean };
  /**
   * Read back from a tensor no variable holds (`const d = ys.argMax(-1).dataSync();`, alone in its
   * declaration): `name` is a fresh one, which a lifted loop's fix gives the receiver in a new `const`
   * just before that declaration. Until then no code can use the name: other rewrites must not.
   */
  introduce?: { statement: TSESTree.VariableDeclaration; receiver: TSESTree.Node };
}

/** Why a loop over data a variable does not hold as a tensor is not rewritten (`shown`: the data's name). */
export function foreignNote(tensor: TensorInfo, shown = tensor.name): string {
  const { origin, unnamed, onePath, imported } = tensor.foreign ?? { origin: undefined };
  if (imported) return `\`${shown}\` is data ${origin}: have that function return the tensor to rewrite the loop`;
  if (unnamed)
    return onePath
      ? `\`${shown}\` holds data ${origin}`
      : `\`${shown}\` is data ${origin}; hold that tensor in a variable to have the loop rewritten`;
  return origin
    ? `\`${shown}\` is data a caller passes in (${origin}); pass the tensor to the helper instead`
    : `\`${shown}\` is a parameter whose data comes from outside this module; pass the tensor instead`;
}

export interface View {
  kind: ViewKind;
  tensor: TensorInfo;
  /** The variable holding the data; none for a read used in place (`x.arraySync().map(…)`). */
  variable?: Scope.Variable;
  /** The `const d = x.dataSync()` statement. */
  statement?: TSESTree.VariableDeclaration;
  async: boolean;
  method: string;
  /** `Array.from(x.dataSync())`: a copy, never the tensor's own storage. */
  copy?: boolean;
}

/** tf.* functions whose result is not a single tensor (or may not be: `tidy` returns what its callback does). */
const NOT_ONE_TENSOR: ReadonlySet<string> = new Set([
  ...NON_TENSOR_OPS,
  ...LIST_OPS,
  ...RECORD_OPS,
  ...MODEL_OPS,
  'buffer',
  'tidy',
]);

const SYNC_READS: Record<string, ViewKind> = { dataSync: 'flat', arraySync: 'nested', bufferSync: 'buffer' };
const ASYNC_READS: Record<string, ViewKind> = { data: 'flat', array: 'nested', buffer: 'buffer' };
const RANKED_TYPES: Record<string, number> = {
  Scalar: 0,
  Tensor1D: 1,
  Tensor2D: 2,
  Tensor3D: 3,
  Tensor4D: 4,
  Tensor5D: 5,
  Tensor6D: 6,
};
const RANKED_CREATORS: Record<string, number> = {
  scalar: 0,
  tensor1d: 1,
  tensor2d: 2,
  tensor3d: 3,
  tensor4d: 4,
  tensor5d: 5,
  tensor6d: 6,
};
const SHAPED_CREATORS = new Set([
  'zeros',
  'ones',
  'fill',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'buffer',
]);

export function findVariable(
  sourceCode: Readonly<TSESLint.SourceCode>,
  node: TSESTree.Identifier,
): Scope.Variable | undefined {
  return lookUp(sourceCode.getScope(node), node) ?? undefined;
}

/** Never reassigned after its declaration (parameters included). */
export function isConstLike(variable: Scope.Variable): boolean {
  return variable.references.every((r) => !r.isWrite() || r.init === true);
}

/** How `TensorFacts.poly` sees names and tensors inside a loop nest. */
export interface PolyHooks {
  /** The loop-variable atom of an identifier, when it is an active loop variable. */
  loopVar?: (name: string, id: TSESTree.Identifier) => string | undefined;
  /** The tensor and depth of a row held in an identifier (`row.length`). */
  rowDepth?: (id: TSESTree.Identifier) => { tensor: TensorInfo; depth: number } | undefined;
  /** A nest-local constant's polynomial. */
  local?: (id: TSESTree.Identifier) => Poly | undefined;
  /** A rank assumed for a tensor whose rank is unknown. */
  rank?: (tensor: TensorInfo) => number | undefined;
}

/** The memo of a view being computed. */
const NO_VIEW_YET: [null, undefined] = [null, undefined];

export class TensorFacts {
  // Memos, with what their computation asked of the rest of the file (unit-cache.ts).
  private readonly tensors = new Map<Scope.Variable, [TensorInfo, Captured | undefined]>();
  private readonly views = new Map<Scope.Variable, [View | null, Captured | undefined]>();
  private readonly calls = new Map<TSESTree.Node, TSESTree.CallExpression[] | undefined>();
  /**
   * Names given to unnamed read-backs' tensors, per top-level statement: two fixes of one pass must not
   * declare one name in one scope, and a name is declared in the scope of the read-back it names, which
   * lies in that statement (at the top, one statement declares one variable). Kept per statement so that
   * no statement's fix depends on another's (see unit-cache.ts).
   */
  private readonly introduced = new Map<TSESTree.Node, Set<string>>();

  constructor(
    readonly sourceCode: Readonly<TSESLint.SourceCode>,
    readonly binding: TfBinding,
    /** The linted file and its parser, to read functions it imports from the project's own modules. */
    readonly modules?: { filename: string; parser: Parser | undefined },
  ) {}

  /** The tensor an identifier names, when it is never reassigned. */
  tensor(node: TSESTree.Node): TensorInfo | undefined {
    const n = unwrap(node);
    if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = findVariable(this.sourceCode, n);
    if (!variable || variable.defs.length !== 1 || !isConstLike(variable)) return undefined;
    let memo = this.tensors.get(variable);
    if (!memo)
      this.tensors.set(
        variable,
        (memo = captureQueries(() => ({ name: n.name, variable, rank: this.rankOf(variable) }))),
      );
    else replayCaptured(memo[1]);
    return memo[0];
  }

  private rankOf(variable: Scope.Variable): number | undefined {
    const ranks = new Set<number>();
    const def = variable.defs[0];
    const id = def.name;
    // x: tf.Tensor2D
    const annotation = id.type === AST_NODE_TYPES.Identifier ? id.typeAnnotation?.typeAnnotation : undefined;
    if (annotation?.type === AST_NODE_TYPES.TSTypeReference) {
      const last = typeReferenceName(annotation);
      if (last in RANKED_TYPES) ranks.add(RANKED_TYPES[last]);
    }
    // const x = tf.tensor2d(…) / tf.zeros([a, b])
    if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
      const init = unwrap(def.node.init);
      const op = tfCallName(this.binding, init);
      if (op && op in RANKED_CREATORS) ranks.add(RANKED_CREATORS[op]);
      else if (op && SHAPED_CREATORS.has(op) && init.type === AST_NODE_TYPES.CallExpression) {
        const shape = init.arguments[0];
        if (shape?.type === AST_NODE_TYPES.ArrayExpression) ranks.add(shape.elements.length);
      }
    }
    // const [n, m] = x.shape: at least that rank, never the rank itself (`const [h, w] = img.shape` also
    // takes the leading dimensions of an [h, w, 3] image): it only rules out a smaller known rank.
    const destructured = new Set<number>();
    for (const ref of variable.references) {
      const member = ref.identifier.parent;
      if (
        member?.type === AST_NODE_TYPES.MemberExpression &&
        member.object === ref.identifier &&
        !member.computed &&
        member.property.type === AST_NODE_TYPES.Identifier &&
        member.property.name === 'shape' &&
        member.parent?.type === AST_NODE_TYPES.VariableDeclarator &&
        member.parent.init === member &&
        member.parent.id.type === AST_NODE_TYPES.ArrayPattern &&
        !member.parent.id.elements.some((e) => e?.type === AST_NODE_TYPES.RestElement)
      ) {
        destructured.add(member.parent.id.elements.length);
      }
    }
    if (ranks.size === 0) return undefined;
    if (ranks.size !== 1) return undefined;
    const rank = [...ranks][0];
    return [...destructured].every((d) => d <= rank) ? rank : undefined;
  }

  /** `const d = x.dataSync()` / `await x.data()` / `x.arraySync()` / `x.bufferSync()` … */
  view(variable: Scope.Variable): View | undefined {
    let memo = this.views.get(variable);
    if (!memo) {
      // Asked again while it is computed (a recursive function that passes its parameter on, `f(d, n - 1)`):
      // no view. Every call must pass one, so a cycle of calls has none, whichever parameter is asked first.
      this.views.set(variable, NO_VIEW_YET);
      memo = captureQueries(() => this.computeView(variable) ?? this.literalView(variable) ?? null);
      this.views.set(variable, memo);
    } else replayCaptured(memo[1]);
    return memo[0] ?? undefined;
  }

  /** The size of `tensor`'s axis as a polynomial: a constant for a literal table. */
  dimPoly(tensor: TensorInfo, axis: number): Poly {
    return tensor.literal && axis < tensor.literal.shape.length
      ? constPoly(tensor.literal.shape[axis])
      : atomPoly(dimAtom(tensor.name, axis));
  }

  /** Source text for the size of `tensor`'s axis. */
  dimText(tensor: TensorInfo, axis: number): string {
    return tensor.literal ? String(tensor.literal.shape[axis]) : `${tensor.name}.shape[${axis}]`;
  }

  /**
   * `const MEAN = [0.485, 0.456, 0.406]`, `const PALETTE = [[0, 0, 0], [128, 0, 0], …]`: a
   * rectangular array of number literals that is only ever read by index (or `.length`).
   */
  private literalView(variable: Scope.Variable): View | undefined {
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    if (
      def.node.type !== AST_NODE_TYPES.VariableDeclarator ||
      def.node.id.type !== AST_NODE_TYPES.Identifier ||
      !def.node.init
    )
      return undefined;
    if (def.parent?.type !== AST_NODE_TYPES.VariableDeclaration || def.parent.kind !== 'const') return undefined;
    let ints = true;
    const shapeOf = (node: TSESTree.Node, depth: number): number[] | undefined => {
      const n = unwrap(node);
      if (n.type !== AST_NODE_TYPES.ArrayExpression) {
        const v = numericLiteral(n);
        if (v === undefined || depth === 0) return undefined;
        if (!Number.isInteger(v)) ints = false;
        return [];
      }
      if (depth > 3 || n.elements.length === 0) return undefined;
      let inner: number[] | undefined;
      for (const e of n.elements) {
        if (!e || e.type === AST_NODE_TYPES.SpreadElement) return undefined;
        const s = shapeOf(e, depth + 1);
        if (!s || (inner && s.join() !== inner.join())) return undefined;
        inner = s;
      }
      return [n.elements.length, ...inner!];
    };
    const shape = shapeOf(def.node.init, 0);
    if (!shape) return undefined;
    // Only read: every use indexes it (or asks its length), and no index chain is written.
    for (const ref of variable.references) {
      if (ref.init) continue;
      let n: TSESTree.Node = ref.identifier;
      while (
        n.parent?.type === AST_NODE_TYPES.MemberExpression &&
        n.parent.object === n &&
        (n.parent.computed ||
          (n.parent.property.type === AST_NODE_TYPES.Identifier && n.parent.property.name === 'length'))
      )
        n = n.parent;
      if (n === ref.identifier) return undefined;
      const p = n.parent;
      if (
        isWrittenTo(n) ||
        (p?.type === AST_NODE_TYPES.MemberExpression && p.object === n) ||
        (p?.type === AST_NODE_TYPES.CallExpression && p.callee === n)
      ) {
        return undefined;
      }
    }
    const tensor: TensorInfo = { name: variable.name, variable, rank: shape.length, literal: { shape, ints } };
    return { kind: 'nested', tensor, variable, statement: def.parent, async: false, method: 'literal' };
  }

  private computeView(variable: Scope.Variable): View | undefined {
    if (variable.defs.length === 1 && !isConstLike(variable)) return this.mixedView(variable);
    if (variable.defs.length !== 1) return undefined;
    const def = variable.defs[0];
    if (def.type === 'Parameter') return this.parameterView(variable);
    if (
      def.node.type !== AST_NODE_TYPES.VariableDeclarator ||
      def.node.id.type !== AST_NODE_TYPES.Identifier ||
      !def.node.init
    )
      return undefined;
    if (def.parent?.type !== AST_NODE_TYPES.VariableDeclaration) return undefined;
    const view =
      this.readCall(def.node.init) ??
      this.unnamedRead(def.node.init, variable) ??
      this.importedRead(def.node.init, variable);
    return view && { ...view, variable, statement: def.parent };
  }

  /** The function of another module of the project that a call runs (`hzToMidi(f)` imported by name). */
  importedCallee(call: TSESTree.CallExpression): ImportedFunction | undefined {
    if (!this.modules || call.callee.type !== AST_NODE_TYPES.Identifier) return undefined;
    return importedFunctionOf(findVariable(this.sourceCode, call.callee), this.modules.filename, this.modules.parser);
  }

  /**
   * `const p = await hzToMidi(f);` where `hzToMidi`, imported from the project's own module, returns
   * `await t.array()`: tensor data, read back in the other module. The loop can be described; a fix has no
   * tensor to name (as with a helper's parameter).
   */
  private importedRead(node: TSESTree.Node, variable: Scope.Variable): View | undefined {
    const e = unwrap(node);
    const awaited = e.type === AST_NODE_TYPES.AwaitExpression;
    const call = awaited ? unwrap(e.argument) : e;
    if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const callee = this.importedCallee(call);
    const read = callee && readsBack(callee);
    // An async function's data is there once awaited; a sync one's must not be awaited (a thenable aside).
    if (!read || read.async !== awaited) return undefined;
    const origin = `read back by \`${callee.name}\` (${callee.file}:${read.line}, \`${read.read}\`)`;
    const tensor: TensorInfo = {
      name: variable.name,
      variable,
      rank: read.rank,
      foreign: { origin, imported: true },
    };
    return {
      kind: read.kind,
      tensor,
      variable,
      async: awaited,
      method: read.method,
      // array()/arraySync() return fresh arrays; data()/dataSync() may return the tensor's own storage.
      ...(read.kind === 'nested' ? { copy: true } : {}),
    };
  }

  /**
   * `let predictions: number[][] = []; if (tflite) { …push rows… } else { predictions = await t.array(); }`:
   * one assignment reads a tensor back, the rest of the code fills the array with plain numbers. The
   * loops over it read tensor data on one path only: described, never fixed (no one tensor to name).
   */
  private mixedView(variable: Scope.Variable): View | undefined {
    const def = variable.defs[0];
    if (def.node.type !== AST_NODE_TYPES.VariableDeclarator) return undefined;
    // The other path holds a JS array the code fills: `let rows = []`, `new Array(n)`, or nothing yet.
    const init = def.node.init && unwrap(def.node.init);
    const plainInit =
      !init ||
      init.type === AST_NODE_TYPES.ArrayExpression ||
      (init.type === AST_NODE_TYPES.NewExpression &&
        init.callee.type === AST_NODE_TYPES.Identifier &&
        init.callee.name === 'Array');
    if (!plainInit) return undefined;
    const writes = variable.references.filter((r) => r.isWrite() && !r.init);
    if (writes.length !== 1) return undefined;
    const assignment = writes[0].identifier.parent;
    if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.operator !== '=') return undefined;
    if (!onBranch(assignment, def.node)) return undefined;
    const read = this.readCall(assignment.right);
    if (!read || read.tensor.foreign) return undefined;
    const line = lineOf(assignment);
    const origin =
      `read back from \`${read.tensor.name}\` on line ${line} on one path only; it also holds what the rest of ` +
      `the function puts in it`;
    const foreign = { origin, unnamed: true, onePath: true };
    const tensor: TensorInfo = { name: variable.name, variable, rank: undefined, foreign };
    return { ...read, tensor, variable };
  }

  /**
   * `const indices = ys.argMax(-1).dataSync()`: data read back from a tensor that no variable holds (a
   * method's or an op's result). `dataSync`/`arraySync`/`bufferSync` are TF.js's own names, so the data
   * is tensor data; the loop can be described, but a fix has no tensor to name (as with a helper's
   * parameter). The tensor is called by the data's variable.
   */
  private unnamedRead(node: TSESTree.Node, variable: Scope.Variable): View | undefined {
    const call = unwrap(node);
    if (call.type !== AST_NODE_TYPES.CallExpression || call.arguments.length > 0) return undefined;
    const callee = call.callee;
    if (
      callee.type !== AST_NODE_TYPES.MemberExpression ||
      callee.computed ||
      callee.property.type !== AST_NODE_TYPES.Identifier ||
      !(callee.property.name in SYNC_READS)
    )
      return undefined;
    const receiver = unwrap(callee.object);
    if (receiver.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const method = callee.property.name;
    const origin = `read back from \`${excerpt(this.sourceCode, receiver, 40)}\`, a tensor no variable holds`;
    // The fix may name the tensor: `const dTensor = ys.argMax(-1); const d = dTensor.dataSync();`.
    const declaration = variable.defs[0].parent;
    const introduce =
      declaration?.type === AST_NODE_TYPES.VariableDeclaration &&
      declaration.declarations.length === 1 &&
      (declaration.parent?.type === AST_NODE_TYPES.BlockStatement ||
        declaration.parent?.type === AST_NODE_TYPES.Program)
        ? { statement: declaration, receiver: callee.object }
        : undefined;
    let name = variable.name;
    if (introduce) {
      const top = topLevelStatement(introduce.statement);
      let names = this.introduced.get(top);
      if (!names) this.introduced.set(top, (names = new Set()));
      name = `${variable.name}Tensor`;
      for (let k = 2; mentionsInFile(this.sourceCode, name) || names.has(name); k++)
        name = `${variable.name}Tensor${k}`;
      names.add(name);
    }
    const tensor: TensorInfo = introduce
      ? { name, variable, rank: undefined, introduce }
      : { name, variable, rank: undefined, foreign: { origin, unnamed: true } };
    return { kind: SYNC_READS[method], tensor, variable, async: false, method };
  }

  /**
   * A parameter's view, from the calls of its function. For a function declared at the top, whose callers
   * may stand in other statements, the answer is noted for findings kept across re-lints (unit-cache.ts),
   * which ask it again (`parameterViewOf`) rather than depend on every caller's text.
   */
  private parameterView(variable: Scope.Variable): View | undefined {
    const def = variable.defs[0];
    const fn = def.node;
    const index = FUNCTION_TYPES.has(fn.type)
      ? (fn as FunctionNode).params.indexOf(def.name as TSESTree.Parameter)
      : -1;
    const fnVar = topLevelFunction(this.sourceCode, fn);
    // A noted answer holds the line of the call it shows: the findings need not keep every line in place.
    const noted = index >= 0 && (!!fnVar || fn.parent?.type === AST_NODE_TYPES.MethodDefinition);
    const view = this.parameterViewOf(variable, !noted);
    if (fnVar && index >= 0)
      noteComputed(
        PARAMETER_VIEW,
        [fnVar.name, String(index), this.modules ? this.modules.filename : ''],
        viewSummary(view),
      );
    // A method's callers may stand in other members: asked again of the method found where it was.
    else if (index >= 0 && fn.parent?.type === AST_NODE_TYPES.MethodDefinition)
      noteComputed(
        METHOD_PARAMETER_VIEW,
        [String(index), this.modules ? this.modules.filename : ''],
        viewSummary(view),
        fn,
      );
    return view;
  }

  /** `callsOf` a method, once per lint: each of its parameters asks (a search of the file by the method's name). */
  private methodCalls(fn: FunctionNode): TSESTree.CallExpression[] | undefined {
    if (!this.calls.has(fn)) this.calls.set(fn, callsOf(this.sourceCode, fn));
    return this.calls.get(fn);
  }

  /**
   * A helper's parameter that holds tensor data: every call of the helper in the module passes a
   * view of one kind (`rowSums(x.dataSync(), n, m)`), or, with no call in the module, the
   * parameter is declared as a typed array (`d: Float32Array`). The loop can be described but not
   * fixed: the helper never sees the tensor. (`parameterView` without noting the answer; `lineShown`: the
   * line of the call it shows is noted as shown, for findings kept across re-lints.)
   */
  parameterViewOf(variable: Scope.Variable, lineShown = false): View | undefined {
    const def = variable.defs[0];
    const fn = def.node;
    if (
      fn.type !== AST_NODE_TYPES.FunctionDeclaration &&
      fn.type !== AST_NODE_TYPES.FunctionExpression &&
      fn.type !== AST_NODE_TYPES.ArrowFunctionExpression
    )
      return undefined;
    const index = fn.params.indexOf(def.name as TSESTree.Parameter);
    if (index < 0 || def.name.type !== AST_NODE_TYPES.Identifier) return undefined;
    // The helper's name: `function f(…)` or `const f = (…) => …`.
    let nameId: TSESTree.Identifier | undefined;
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) nameId = fn.id;
    else if (fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.id.type === AST_NODE_TYPES.Identifier)
      nameId = fn.parent.id;
    if (nameId) noteNameRead(nameId.name);
    const fnVar = nameId && findVariable(this.sourceCode, nameId);
    const calls: TSESTree.CallExpression[] = fnVar
      ? fnVar.references.flatMap((r) =>
          r.identifier.parent?.type === AST_NODE_TYPES.CallExpression && r.identifier.parent.callee === r.identifier
            ? [r.identifier.parent]
            : [],
        )
      : // A method (`this.transform(rows, …)`): only where the module shows every call (a private method,
        // or one of a class the module does not export).
        fn.parent?.type === AST_NODE_TYPES.MethodDefinition
        ? (this.methodCalls(fn) ?? [])
        : [];
    const views: View[] = [];
    for (const call of calls) {
      const arg = call.arguments[index];
      const view =
        arg && arg.type !== AST_NODE_TYPES.SpreadElement ? (this.viewOf(arg) ?? this.readCall(arg)) : undefined;
      if (!view || view.tensor.foreign || view.tensor.literal) return undefined;
      views.push(view);
    }
    const name = def.name.name;
    if (views.length > 0) {
      const kind = views[0].kind;
      if (views.some((v) => v.kind !== kind)) return undefined;
      const first = views[0];
      const line = lineShown ? lineOf(calls[0]) : lineInAnswer(calls[0]);
      const origin = `\`${first.tensor.name}.${first.method}()\` in the call on line ${line}${views.length > 1 ? ` (and ${views.length - 1} more call${views.length > 2 ? 's' : ''})` : ''}`;
      const tensor: TensorInfo = { name, variable, rank: undefined, foreign: { origin } };
      const copy = views.some((v) => v.copy);
      return { kind, tensor, variable, async: first.async, method: first.method, ...(copy ? { copy } : {}) };
    }
    if (calls.length > 0 || fnVar?.references.some((r) => !calls.includes(r.identifier.parent as never)))
      return undefined;
    // No caller in the module: only a parameter declared as a typed array counts as tensor data.
    const annotation = def.name.typeAnnotation?.typeAnnotation;
    if (annotation?.type !== AST_NODE_TYPES.TSTypeReference || annotation.typeName.type !== AST_NODE_TYPES.Identifier)
      return undefined;
    if (!['Float32Array', 'Int32Array', 'Uint8Array'].includes(annotation.typeName.name)) return undefined;
    return {
      kind: 'flat',
      tensor: { name, variable, rank: undefined, foreign: { origin: undefined } },
      variable,
      async: false,
      method: 'dataSync',
    };
  }

  /** `x.dataSync()`, `await x.data()`, `Array.from(x.dataSync())`, … as a view without a variable. */
  readCall(node: TSESTree.Node): View | undefined {
    let init = unwrap(node);
    let copy = false;
    // Array.from(x.dataSync()) copies, but reads the same values.
    if (
      init.type === AST_NODE_TYPES.CallExpression &&
      init.callee.type === AST_NODE_TYPES.MemberExpression &&
      init.callee.object.type === AST_NODE_TYPES.Identifier &&
      init.callee.object.name === 'Array' &&
      init.callee.property.type === AST_NODE_TYPES.Identifier &&
      init.callee.property.name === 'from' &&
      init.arguments.length === 1
    ) {
      init = unwrap(init.arguments[0]);
      copy = true;
    }
    const read = bareMethodCall(init);
    if (!read) return undefined;
    const { method, awaited, receiver } = read;
    // data()/array()/buffer() are common names: only an awaited call counts as a tensor read.
    const kind = SYNC_READS[method] ?? (awaited ? ASYNC_READS[method] : undefined);
    if (!kind) return undefined;
    const tensor = this.tensor(receiver);
    if (!tensor) return undefined;
    // dataSync/arraySync/bufferSync are TF.js's own names; data/array/buffer need proof of a tensor.
    const evidence = this.tensorEvidence(tensor.variable, receiver);
    if (evidence === 'no' || (evidence === 'weak' && !(method in SYNC_READS))) return undefined;
    // A parameter without a type (plain JS) counts for awaited reads too: that is how JS code takes tensors.
    return { kind, tensor, async: awaited, method, ...(copy ? { copy } : {}) };
  }

  /**
   * How sure we are that a variable holds a tensor: 'yes' (a TF.js type annotation or checker type,
   * a TF.js op or a tensor method made it), 'no' (the checker or its annotation says otherwise, or it
   * is imported from another module), 'param' (an untyped parameter), 'weak' (nothing says: the
   * result of an unknown call).
   */
  tensorEvidence(variable: Scope.Variable, node: TSESTree.Node, depth = 0): 'yes' | 'no' | 'param' | 'weak' {
    // A TF.js type written on the variable, or a TF.js op that made it, settles it without the checker:
    // its first question costs a typed re-lint most of its time.
    if (this.shownTensor(variable)) return 'yes';
    const checked = this.checkerSaysTensor(node);
    if (checked !== undefined) return checked ? 'yes' : 'no';
    const def = variable.defs[0];
    if (!def || def.type === 'ImportBinding') return 'no';
    const id = def.name;
    const annotation = id.type === AST_NODE_TYPES.Identifier ? id.typeAnnotation?.typeAnnotation : undefined;
    if (annotation) {
      if (annotation.type !== AST_NODE_TYPES.TSTypeReference) return 'no';
      return TENSOR_TYPES.has(typeReferenceName(annotation)) ? 'yes' : 'no';
    }
    if (def.type === 'Parameter') return 'param';
    if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && depth < 4) {
      let init = unwrap(def.node.init);
      if (init.type === AST_NODE_TYPES.AwaitExpression) init = unwrap(init.argument);
      // `n > 1 ? tf.concat(parts) : parts[0]`: a TF.js op on one branch makes both a tensor.
      if (init.type === AST_NODE_TYPES.ConditionalExpression) {
        const branches = [unwrap(init.consequent), unwrap(init.alternate)];
        if (branches.some((b) => b.type === AST_NODE_TYPES.CallExpression && tfCallName(this.binding, b))) return 'yes';
      }
      if (init.type === AST_NODE_TYPES.CallExpression) {
        if (tfCallName(this.binding, init)) return 'yes';
        const callee = init.callee;
        if (callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier) {
          // model.predict(x), model.execute(x): what TF.js models return
          if (['predict', 'execute', 'executeAsync', 'predictOnBatch'].includes(callee.property.name)) return 'yes';
          // x.reshape(…), x.add(…): a method of a tensor
          const obj = unwrap(callee.object);
          const objVar = obj.type === AST_NODE_TYPES.Identifier ? findVariable(this.sourceCode, obj) : undefined;
          if (objVar && this.tensorEvidence(objVar, obj, depth + 1) === 'yes') return 'yes';
        }
      }
    }
    return 'weak';
  }

  /**
   * `x: tf.Tensor2D`, `const y = tf.relu(x)`, or `const z = x.argMax(1)` (a tensor method of a variable
   * shown so): what no type information could contradict.
   */
  private shownTensor(variable: Scope.Variable, depth = 0): boolean {
    const def = variable.defs[0];
    if (!def || variable.defs.length !== 1 || def.type === 'ImportBinding') return false;
    const id = def.name;
    const annotation = id.type === AST_NODE_TYPES.Identifier ? id.typeAnnotation?.typeAnnotation : undefined;
    if (annotation)
      return annotation.type === AST_NODE_TYPES.TSTypeReference && TENSOR_TYPES.has(typeReferenceName(annotation));
    if (
      def.node.type !== AST_NODE_TYPES.VariableDeclarator ||
      def.node.id !== def.name ||
      !def.node.init ||
      !isConstLike(variable)
    )
      return false;
    const init = unwrap(def.node.init);
    if (init.type !== AST_NODE_TYPES.CallExpression) return false;
    const op = tfCallName(this.binding, init);
    if (op) return !NOT_ONE_TENSOR.has(op);
    if (depth >= 4 || !isMethodCall(init, TENSOR_METHODS) || init.optional || init.callee.optional) return false;
    const receiver = unwrap(init.callee.object);
    const of = receiver.type === AST_NODE_TYPES.Identifier ? findVariable(this.sourceCode, receiver) : undefined;
    return !!of && of !== variable && this.shownTensor(of, depth + 1);
  }

  /**
   * With type information: whether the node's type is a TF.js tensor (by its type's name or a base's);
   * undefined without it or for any/unknown.
   */
  private checkerSaysTensor(node: TSESTree.Node): boolean | undefined {
    const services = this.sourceCode.parserServices;
    const program = services?.program;
    const map = services?.esTreeNodeToTSNodeMap;
    if (!program || !map) return undefined;
    try {
      const checker = program.getTypeChecker();
      const type = checker.getTypeAtLocation(map.get(node as never));
      const flags = type.getFlags();
      // any (1) / unknown (2): the checker does not know either.
      if (flags & 3) return undefined;
      const names = new Set<string>();
      const visit = (t: typeof type, d: number): void => {
        const sym = t.getSymbol() ?? t.aliasSymbol;
        if (sym) names.add(sym.getName());
        if (d < 4) for (const b of t.getBaseTypes?.() ?? []) visit(b, d + 1);
      };
      if (type.isUnion()) type.types.forEach((t) => visit(t, 0));
      else visit(type, 0);
      return [...names].some((n) => TENSOR_TYPES.has(n));
    } catch {
      return undefined;
    }
  }

  /** The identifier's view, if it names one; with `inline`, also a read call used in place. */
  viewOf(node: TSESTree.Node, inline = false): View | undefined {
    const n = unwrap(node);
    if (inline && n.type !== AST_NODE_TYPES.Identifier) {
      const view = this.readCall(n);
      // An awaited read in place is fine; a sync read in place is too. Rows are not data reads.
      return view;
    }
    if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
    const variable = findVariable(this.sourceCode, n);
    return variable ? this.view(variable) : undefined;
  }

  /**
   * The element count of `tensor` as a polynomial. `rank` stands in for an unknown rank (a lift's
   * guess, which stays the lift's own: see LiftContext.ranks).
   */
  sizePoly(tensor: TensorInfo, rank = tensor.rank): Poly {
    if (rank === undefined) return atomPoly(sizeAtom(tensor.name));
    let p = constPoly(1);
    for (let k = 0; k < rank; k++) p = mulPoly(p, this.dimPoly(tensor, k));
    return p;
  }

  /**
   * A loop-invariant size expression as a polynomial: `n`, `x.shape[1]`, `a.length`, `d.length`,
   * `x.size`, `n * m`. `loopVar` maps an identifier to its loop-variable atom, `local` resolves
   * nest-local constants, `rank` gives a rank assumed for a tensor whose rank is unknown (for its
   * size). Opaque invariants become opaque atoms; anything else is undefined.
   */
  poly(node: TSESTree.Node, hooks: PolyHooks = {}, depth = 0): Poly | undefined {
    if (depth > 8) return undefined;
    const n = unwrap(node);
    const lit = numericLiteral(n);
    if (lit !== undefined) return Number.isInteger(lit) ? constPoly(lit) : undefined;
    if (
      n.type === AST_NODE_TYPES.BinaryExpression &&
      (n.operator === '+' || n.operator === '-' || n.operator === '*')
    ) {
      const a = this.poly(n.left, hooks, depth + 1);
      const b = a && this.poly(n.right, hooks, depth + 1);
      if (!a || !b) return undefined;
      return n.operator === '*' ? mulPoly(a, b) : addPoly(a, b, n.operator === '+' ? 1 : -1);
    }
    if (n.type === AST_NODE_TYPES.Identifier) {
      const loopAtom = hooks.loopVar?.(n.name, n);
      if (loopAtom) return atomPoly(loopAtom);
      const local = hooks.local?.(n);
      if (local) return local;
      const variable = findVariable(this.sourceCode, n);
      if (!variable || variable.defs.length !== 1 || !isConstLike(variable)) return undefined;
      const def = variable.defs[0];
      if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
        const init = unwrap(def.node.init);
        // const [n, m] = x.shape
        if (def.node.id.type === AST_NODE_TYPES.ArrayPattern) {
          const axis = def.node.id.elements.findIndex(
            (e) => e?.type === AST_NODE_TYPES.Identifier && e.name === n.name,
          );
          const shapeOf = this.shapeOwner(init);
          return shapeOf && axis >= 0 ? atomPoly(dimAtom(shapeOf.name, axis)) : undefined;
        }
        if (def.node.id.type === AST_NODE_TYPES.Identifier) {
          // A constant's initialiser is outside the nest: only the assumed ranks still apply.
          const resolved = this.poly(init, hooks.rank ? { rank: hooks.rank } : {}, depth + 1);
          if (resolved) return resolved;
        }
      }
      return atomPoly(opaqueAtom(n.name));
    }
    if (n.type === AST_NODE_TYPES.MemberExpression) {
      // x.shape[k]
      if (n.computed) {
        const shapeOf = this.shapeOwner(n.object);
        const k = numericLiteral(n.property);
        return shapeOf && k !== undefined && Number.isInteger(k) && k >= 0
          ? atomPoly(dimAtom(shapeOf.name, k))
          : undefined;
      }
      if (n.property.type !== AST_NODE_TYPES.Identifier) return undefined;
      if (n.property.name === 'size') {
        const t = this.tensor(n.object);
        return t && this.sizePoly(t, t.rank ?? hooks.rank?.(t));
      }
      if (n.property.name === 'length') {
        const obj = unwrap(n.object);
        // a[i].length on a nested view: the next axis
        let depthIn = 0;
        let base: TSESTree.Node = obj;
        while (base.type === AST_NODE_TYPES.MemberExpression && base.computed) {
          depthIn++;
          base = unwrap(base.object);
        }
        if (base.type !== AST_NODE_TYPES.Identifier) return undefined;
        const row = hooks.rowDepth?.(base);
        if (row) return this.dimPoly(row.tensor, row.depth + depthIn);
        const view = this.viewOf(base);
        if (!view) return undefined;
        if (view.kind === 'flat' && depthIn === 0)
          return this.sizePoly(view.tensor, view.tensor.rank ?? hooks.rank?.(view.tensor));
        if (view.kind === 'nested') return this.dimPoly(view.tensor, depthIn);
      }
    }
    return undefined;
  }

  /** `x.shape` → x */
  private shapeOwner(node: TSESTree.Node): TensorInfo | undefined {
    const n = unwrap(node);
    if (
      n.type !== AST_NODE_TYPES.MemberExpression ||
      n.computed ||
      n.property.type !== AST_NODE_TYPES.Identifier ||
      n.property.name !== 'shape'
    )
      return undefined;
    return this.tensor(n.object);
  }
}

/** Whether `node` runs on one branch only (an if, a switch case, ?:, && / ||) below `declaration`'s block. */
function onBranch(node: TSESTree.Node, declaration: TSESTree.Node): boolean {
  const home = declaration.parent?.parent;
  for (let n: TSESTree.Node | undefined = node; n && n !== home; n = n.parent) {
    const p: TSESTree.Node | undefined = n.parent;
    if (!p) return false;
    if (p.type === AST_NODE_TYPES.IfStatement && n !== p.test) return true;
    if (p.type === AST_NODE_TYPES.ConditionalExpression && n !== p.test) return true;
    if (p.type === AST_NODE_TYPES.LogicalExpression && n === p.right) return true;
    if (p.type === AST_NODE_TYPES.SwitchCase) return true;
  }
  return false;
}

const PARAMETER_VIEW = 'parameter-view';
const METHOD_PARAMETER_VIEW = 'method-parameter-view';

/** What a finding can show of a parameter's view, as text (unit-cache.ts compares it). */
function viewSummary(view: View | undefined): string {
  if (!view) return '';
  const t = view.tensor;
  return JSON.stringify([
    view.kind,
    t.name,
    t.rank ?? null,
    t.foreign?.origin ?? null,
    view.async,
    view.method,
    !!view.copy,
  ]);
}

/** The variable of a function declared at the module's top (`function f`, `const f = (…) => …`), if `fn` is one. */
function topLevelFunction(sourceCode: Readonly<TSESLint.SourceCode>, fn: TSESTree.Node): Scope.Variable | undefined {
  const id =
    fn.type === AST_NODE_TYPES.FunctionDeclaration
      ? fn.id
      : fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.init === fn
        ? fn.parent.id
        : undefined;
  if (id?.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariable(sourceCode, id);
  return variable && (variable.scope.type === 'module' || variable.scope.type === 'global') ? variable : undefined;
}

/** A parameter's view, asked again on a later lint: `fn`'s parameter at `index`. */
function parameterViewAgain(
  context: CheckContext,
  fn: FunctionNode | undefined,
  index: string,
  filename: string,
): string {
  const { sourceCode, binding, parser } = context;
  const param = fn?.params[Number(index)];
  if (!fn || param?.type !== AST_NODE_TYPES.Identifier) return '\0';
  const variable = sourceCode.scopeManager?.getDeclaredVariables(fn).find((v) => v.defs.some((d) => d.name === param));
  if (!variable) return '\0';
  // An analysis of its own (unit-cache.ts's computeKept): one shared with another answer would hide the names
  // this one looks up behind its memos.
  const facts = new TensorFacts(
    sourceCode,
    binding,
    filename ? { filename, parser: parser as Parser | undefined } : undefined,
  );
  return viewSummary(facts.parameterViewOf(variable));
}

// A method's parameter: the method is the node the answer was noted for.
registerCheck(METHOD_PARAMETER_VIEW, (context, [index, filename]) =>
  parameterViewAgain(
    context,
    context.node?.type === AST_NODE_TYPES.FunctionExpression ? context.node : undefined,
    index,
    filename,
  ),
);

// A top-level function's parameter: the same function's, found by its name.
registerCheck(PARAMETER_VIEW, (context, [name, index, filename]) => {
  noteNameRead(name);
  const global = context.sourceCode.scopeManager?.globalScope;
  const module = global?.childScopes.find((sc) => sc.type === 'module');
  const fnVar = module?.set.get(name) ?? global?.set.get(name);
  if (!fnVar || fnVar.defs.length !== 1) return '\0';
  const def = fnVar.defs[0];
  const fn =
    def.node.type === AST_NODE_TYPES.FunctionDeclaration
      ? def.node
      : def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init && FUNCTION_TYPES.has(def.node.init.type)
        ? (def.node.init as FunctionNode)
        : undefined;
  return parameterViewAgain(context, fn, index, filename);
});
