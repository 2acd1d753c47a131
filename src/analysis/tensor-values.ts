/**
 * What a value is, as far as TF.js goes: a tensor, an array of tensors, an object of tensors
 * (`tf.moments`), a model, a TensorBuffer, data read back from a tensor, something else, or unknown.
 * Never by a name alone: a call is a TF.js op only when its callee resolves by scope to the file's
 * TF.js binding, and a method returns a tensor only when its receiver is known to be one — by its
 * type when the parser gives types, a TF.js type annotation (TypeScript or a JSDoc `@param`), or data
 * flow within the module (a TF.js op's result, an element of `tf.split(…)`, a `for…of` over a
 * `tf.Tensor[]`, a helper of this module that returns a tensor). Types add certainty; when the checker
 * says `any`, the data flow decides.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { FUNCTION_TYPES, unwrap } from '../ast/predicates.js';
import { perElementCall } from './loop-context.js';
import { calledFunction, returnedExpressions, type FunctionNode } from './module-functions.js';
import { isTfModuleSpecifier, isTfPackage, tfCallPath, type TfBinding, type TfModuleOptions } from './tf-binding.js';
import {
  type ValueKind,
  TENSOR_TYPES,
  MODEL_TYPES,
  NON_TENSOR_KEYWORDS,
  LIST_OPS,
  RECORD_OPS,
  MODEL_OPS,
  NON_TENSOR_OPS,
  TENSOR_NAMESPACES,
  TENSOR_METHODS,
  ARRAY_METHODS,
  TENSOR_LIST_METHODS,
  MODEL_METHODS,
  MODEL_METHODS_BY_NAME,
  SYNC_READS,
  ASYNC_READS,
  PLAIN_GLOBALS,
  PLAIN_PROPERTIES,
  MAX_DEPTH,
  merge,
  elementKind,
} from './tensor-kinds.js';
import { typeKindOfChecker, jsdocTypeKind } from './tensor-types.js';
import { findVariable } from '../ast/scope.js';
import { declaresTensorReturn, importedFunctionOf, type Parser } from './imported.js';

export { HOLDS_TENSORS, NON_TENSOR_OPS, TENSOR_METHODS, type ValueKind } from './tensor-kinds.js';
export { jsdocTypeKind } from './tensor-types.js';

export class TensorValues {
  private readonly cache = new Map<Scope.Variable, ValueKind>();
  /** Variables whose kind is being computed: met again, they add nothing (a fixpoint from below). */
  private readonly pending = new Set<Scope.Variable>();
  private sawPending = false;

  constructor(
    readonly sourceCode: Readonly<TSESLint.SourceCode>,
    readonly binding: TfBinding,
    readonly moduleOptions: TfModuleOptions = {},
    /** The file's parser, to read the project's own modules (typed: see `importedReturnKind`). */
    private readonly parser?: Parser,
  ) {}

  /** The kind of the value of an expression. */
  kind(node: TSESTree.Node): ValueKind {
    return this.kindOf(node, 0) ?? 'unknown';
  }

  isTensor(node: TSESTree.Node): boolean {
    return this.kind(node) === 'tensor';
  }

  /** Known not to be a tensor (or to hold one): plain values, read-back data, models, buffers. */
  isNotTensor(node: TSESTree.Node): boolean {
    const k = this.kind(node);
    return k === 'other' || k === 'data' || k === 'model' || k === 'buffer';
  }

  /** An identifier naming a parameter with no type (TypeScript or JSDoc): how plain JS takes tensors. */
  isUntypedParameter(node: TSESTree.Node): boolean {
    const n = unwrap(node);
    if (n.type !== AST_NODE_TYPES.Identifier) return false;
    const variable = this.variable(n);
    const def = variable?.defs[0];
    return def?.type === 'Parameter' && this.kind(n) === 'unknown';
  }

  /** A name the module does not declare (`Math`, `Array`): a builtin, whatever ESLint's globals list. */
  private isGlobal(id: TSESTree.Identifier): boolean {
    const variable = this.variable(id);
    return !variable || variable.defs.length === 0;
  }

  /** The variable an identifier refers to. */
  variable(id: TSESTree.Identifier): Scope.Variable | undefined {
    return findVariable(this.sourceCode.getScope(id), id) ?? undefined;
  }

  /**
   * What the code shows first; the checker only where that leaves the kind open (unknown, or a value
   * that is a tensor or an array of them). The first question to the checker makes TypeScript resolve
   * the program's types, the most expensive step of a typed re-lint in the editor: most values in a
   * TF.js module are told apart by their syntax alone.
   */
  private kindOf(node: TSESTree.Node, depth: number): ValueKind | undefined {
    if (depth > MAX_DEPTH) return 'unknown';
    const shown = this.syntacticKind(node, depth);
    if (shown && shown !== 'unknown' && shown !== 'tensorOrTensors') return shown;
    return this.checkerKind(node) ?? shown;
  }

  private syntacticKind(node: TSESTree.Node, depth: number): ValueKind | undefined {
    switch (node.type) {
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSTypeAssertion: {
        const asserted = this.typeKind(node.typeAnnotation, 0);
        return asserted === 'unknown' ? this.kindOf(node.expression, depth + 1) : asserted;
      }
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.ChainExpression:
        return this.kindOf(node.expression, depth + 1);
      case AST_NODE_TYPES.Identifier: {
        if (node.name === 'undefined') return 'other';
        const variable = this.variable(node);
        return variable ? this.variableKind(variable, depth + 1) : 'unknown';
      }
      case AST_NODE_TYPES.MemberExpression:
        return this.memberKind(node, depth);
      case AST_NODE_TYPES.CallExpression:
        return this.callKind(node, false, depth);
      case AST_NODE_TYPES.AwaitExpression: {
        const arg = unwrap(node.argument);
        return arg.type === AST_NODE_TYPES.CallExpression
          ? this.callKind(arg, true, depth)
          : this.kindOf(node.argument, depth + 1);
      }
      case AST_NODE_TYPES.ConditionalExpression:
        return merge(this.kindOf(node.consequent, depth + 1), this.kindOf(node.alternate, depth + 1));
      case AST_NODE_TYPES.LogicalExpression:
        return node.operator === '&&'
          ? 'unknown'
          : merge(this.kindOf(node.left, depth + 1), this.kindOf(node.right, depth + 1));
      case AST_NODE_TYPES.SequenceExpression:
        return this.kindOf(node.expressions[node.expressions.length - 1], depth + 1);
      case AST_NODE_TYPES.AssignmentExpression:
        return node.operator === '=' ? this.kindOf(node.right, depth + 1) : 'other';
      case AST_NODE_TYPES.ArrayExpression: {
        if (node.elements.length === 0) return 'other';
        const all = node.elements.every(
          (e) => e && e.type !== AST_NODE_TYPES.SpreadElement && this.kindOf(e, depth + 1) === 'tensor',
        );
        return all ? 'tensors' : 'other';
      }
      case AST_NODE_TYPES.Literal:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.BinaryExpression:
      case AST_NODE_TYPES.UnaryExpression:
      case AST_NODE_TYPES.UpdateExpression:
      case AST_NODE_TYPES.ObjectExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ClassExpression:
      case AST_NODE_TYPES.NewExpression:
        return 'other';
      default:
        return 'unknown';
    }
  }

  private memberKind(node: TSESTree.MemberExpression, depth: number): ValueKind | undefined {
    const object = unwrap(node.object);
    if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) {
      const name = node.property.name;
      if (object.type === AST_NODE_TYPES.ThisExpression) return this.fieldKind(node, name);
      if (object.type === AST_NODE_TYPES.Identifier && PLAIN_GLOBALS.has(object.name) && this.isGlobal(object))
        return 'other';
      const objectKind = this.kindOf(node.object, depth + 1);
      if (objectKind === undefined) return undefined;
      if (PLAIN_PROPERTIES.has(name) && objectKind !== 'record') return 'other';
      if (objectKind === 'record') return 'tensor';
      if (objectKind === 'data') return name === 'length' ? 'other' : 'unknown';
      return 'unknown';
    }
    const objectKind = this.kindOf(node.object, depth + 1);
    return objectKind === undefined ? undefined : elementKind(objectKind);
  }

  /** `this.x`: a field of the enclosing class declared with a type (`private model: tf.LayersModel`). */
  private fieldKind(node: TSESTree.MemberExpression, name: string): ValueKind {
    for (let p: TSESTree.Node | undefined = node.parent; p; p = p.parent) {
      if (p.type !== AST_NODE_TYPES.ClassBody) continue;
      for (const member of p.body) {
        if (
          member.type === AST_NODE_TYPES.PropertyDefinition &&
          !member.computed &&
          member.key.type === AST_NODE_TYPES.Identifier &&
          member.key.name === name &&
          member.typeAnnotation
        )
          return this.typeKind(member.typeAnnotation.typeAnnotation, 0);
      }
      return 'unknown';
    }
    return 'unknown';
  }

  /** What a call returns (awaited: what its promise resolves to). */
  private callKind(call: TSESTree.CallExpression, awaited: boolean, depth: number): ValueKind | undefined {
    const path = tfCallPath(this.sourceCode, this.binding, call);
    if (path) return this.tfOpKind(path, call, awaited, depth);
    const callee = unwrap(call.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed) {
      if (callee.property.type !== AST_NODE_TYPES.Identifier) return 'unknown';
      const method = callee.property.name;
      const object = unwrap(callee.object);
      if (object.type === AST_NODE_TYPES.Identifier && PLAIN_GLOBALS.has(object.name) && this.isGlobal(object))
        return method === 'from' && object.name === 'Array' && call.arguments[0]
          ? this.kindOf(call.arguments[0], depth + 1) === 'data'
            ? 'data'
            : 'other'
          : 'other';
      if (SYNC_READS.has(method) && call.arguments.length === 0) return method === 'bufferSync' ? 'buffer' : 'data';
      if (ASYNC_READS.has(method) && call.arguments.length === 0 && awaited)
        return method === 'buffer' ? 'buffer' : 'data';
      const receiver = this.kindOf(callee.object, depth + 1);
      if (receiver === undefined) return undefined;
      // optimizer.computeGradients(f) gives `{ value, grads }`: what the code shows says no more than that.
      if (method === 'computeGradients' && receiver === 'other') return 'unknown';
      if (receiver === 'tensor') {
        if (TENSOR_METHODS.has(method)) return 'tensor';
        if (TENSOR_LIST_METHODS.has(method)) return 'tensors';
        return 'other';
      }
      if (receiver === 'buffer') return method === 'toTensor' ? 'tensor' : 'other';
      // predictions.as1D() on a `model.predict` result: only a tensor has that method (an array has `slice`).
      if (receiver === 'tensorOrTensors' && TENSOR_METHODS.has(method) && !ARRAY_METHODS.has(method)) return 'tensor';
      // optimizer.minimize(f, true) returns the cost (`Scalar | null`); without `true`, nothing.
      if (method === 'minimize' && receiver !== 'data') {
        const returnCost = call.arguments[1];
        return returnCost?.type === AST_NODE_TYPES.Literal && returnCost.value === true ? 'tensor' : 'other';
      }
      if (method === 'executeAsync' && awaited && (receiver === 'model' || receiver === 'unknown'))
        return receiver === 'model' ? 'tensorOrTensors' : 'unknown';
      if (
        MODEL_METHODS.has(method) &&
        (receiver === 'model' || (receiver === 'unknown' && MODEL_METHODS_BY_NAME.has(method)))
      )
        return 'tensorOrTensors';
      return receiver === 'other' || receiver === 'data' || receiver === 'model' ? 'other' : 'unknown';
    }
    if (callee.type === AST_NODE_TYPES.Identifier && this.isGlobal(callee))
      return ['Number', 'String', 'Boolean', 'parseInt', 'parseFloat', 'isNaN'].includes(callee.name)
        ? 'other'
        : 'unknown';
    const fn = calledFunction(this.sourceCode, call);
    if (fn) return this.returnsKind(fn, awaited, depth);
    if (callee.type === AST_NODE_TYPES.Identifier) return this.importedReturnKind(callee, awaited) ?? 'unknown';
    return 'unknown';
  }

  /**
   * Typed: a tensor, for a function imported from the project's own modules that declares there that it
   * returns one — the checker's answer, without its first question about TF.js's types, which cost a
   * re-lint of tfjs-models speech-commands/src/dataset.ts 10–18 ms (`normalize(output)`). Untyped, the
   * code says nothing more than before: such a call stays unknown.
   */
  private importedReturnKind(callee: TSESTree.Identifier, awaited: boolean): ValueKind | undefined {
    if (!this.parser || !this.sourceCode.parserServices?.program || !this.moduleOptions.filename) return undefined;
    const imported = importedFunctionOf(this.variable(callee), this.moduleOptions.filename, this.parser);
    if (!imported || !declaresTensorReturn(imported)) return undefined;
    return imported.fn.async && !awaited ? 'other' : 'tensor';
  }

  /** What a TF.js function returns, by its path (`['sum']`, `['losses', 'meanSquaredError']`). */
  private tfOpKind(
    path: string[],
    call: TSESTree.CallExpression,
    awaited: boolean,
    depth: number,
  ): ValueKind | undefined {
    if (path.length === 1) {
      const op = path[0];
      if (op === 'tidy') {
        const fn = call.arguments[call.arguments.length - 1];
        if (!fn || !FUNCTION_TYPES.has(fn.type)) return 'unknown';
        return this.returnsKind(fn as FunctionNode, false, depth);
      }
      if (op === 'keep' && call.arguments[0]) return this.kindOf(call.arguments[0], depth + 1);
      if (LIST_OPS.has(op)) return 'tensors';
      if (RECORD_OPS.has(op)) return 'record';
      if (MODEL_OPS.has(op)) return op.startsWith('load') && !awaited ? 'other' : 'model';
      if (op === 'buffer') return 'buffer';
      if (NON_TENSOR_OPS.has(op)) return 'other';
      if (op.endsWith('Async')) return awaited ? 'tensor' : 'other';
      return 'tensor';
    }
    const [namespace, op] = path;
    if (path.length === 2 && namespace === 'browser')
      return op === 'fromPixels' || (op === 'fromPixelsAsync' && awaited) ? 'tensor' : 'other';
    if (path.length === 2 && TENSOR_NAMESPACES.has(namespace)) {
      if (op === 'qr') return 'tensors';
      if (op.endsWith('Async')) return awaited ? 'tensor' : 'other';
      return 'tensor';
    }
    // tf.data.*, tf.io.*, tf.util.*: datasets and helpers; tf.train.* makes optimizers, no tensor (their
    // `minimize` and `computeGradients` are told apart by name); tf.layers.* makes layers, whose `apply`
    // may return tensors.
    return namespace === 'layers' ? 'unknown' : 'other';
  }

  /** What a function of this module returns: one kind if all its returns agree. */
  private returnsKind(fn: FunctionNode, awaited: boolean, depth: number): ValueKind | undefined {
    // An async function called without await gives a promise.
    if (fn.async && !awaited) return 'other';
    if (fn.returnType) {
      const annotated = this.typeKind(fn.returnType.typeAnnotation, 0, fn.async);
      if (annotated !== 'unknown') return annotated;
    }
    const returns = returnedExpressions(fn);
    if (returns.length === 0) return 'other';
    let kind: ValueKind | undefined;
    for (const r of returns) kind = merge(kind, this.kindOf(r, depth + 1));
    return kind;
  }

  private variableKind(variable: Scope.Variable, depth: number): ValueKind | undefined {
    const cached = this.cache.get(variable);
    if (cached) return cached;
    if (this.pending.has(variable)) {
      this.sawPending = true;
      return undefined;
    }
    const outer = this.sawPending;
    this.sawPending = false;
    this.pending.add(variable);
    let kind: ValueKind | undefined;
    try {
      kind = this.computeVariableKind(variable, depth);
    } finally {
      this.pending.delete(variable);
    }
    // A kind worked out while another variable was still open may rest on a guess: keep it uncached.
    if (!this.sawPending && kind) this.cache.set(variable, kind);
    this.sawPending ||= outer;
    return kind;
  }

  private computeVariableKind(variable: Scope.Variable, depth: number): ValueKind | undefined {
    const def = variable.defs[0];
    if (!def) return 'unknown';
    switch (def.type) {
      case 'ImportBinding': {
        // `import * as logging from './logging'`: a module namespace object, never a tensor.
        if (def.node.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return 'other';
        const decl = def.parent;
        return decl?.type === AST_NODE_TYPES.ImportDeclaration &&
          isTfModuleSpecifier(String(decl.source.value), this.moduleOptions)
          ? 'other'
          : 'unknown';
      }
      case 'FunctionName':
      case 'ClassName':
      case 'TSEnumName':
        return 'other';
      case 'Parameter':
        return this.parameterKind(def.name as TSESTree.Identifier, def.node, depth);
      case 'Variable':
        return this.declaredKind(variable, def.node, def.name, depth);
      default:
        return 'unknown';
    }
  }

  private parameterKind(id: TSESTree.Identifier, fn: TSESTree.Node, depth: number): ValueKind | undefined {
    if (id.typeAnnotation) return this.typeKind(id.typeAnnotation.typeAnnotation, 0);
    if (!FUNCTION_TYPES.has(fn.type)) return 'unknown';
    const f = fn as FunctionNode;
    const jsdoc = this.jsdocParamKind(f, id.name);
    if (jsdoc !== 'unknown') return jsdoc;
    // xs.forEach((x) => …) over an array of tensors: each element is a tensor.
    const call = perElementCall(f);
    if (call && call.callee.type === AST_NODE_TYPES.MemberExpression) {
      const method = (call.callee.property as TSESTree.Identifier).name;
      const elementParam = method === 'reduce' || method === 'reduceRight' ? 1 : 0;
      if (method !== 'forEachAsync' && f.params[elementParam] === id) {
        const receiver = this.kindOf(call.callee.object, depth + 1);
        return receiver === undefined ? undefined : elementKind(receiver);
      }
    }
    return 'unknown';
  }

  private declaredKind(
    variable: Scope.Variable,
    declarator: TSESTree.Node,
    id: TSESTree.Identifier,
    depth: number,
  ): ValueKind | undefined {
    if (declarator.type !== AST_NODE_TYPES.VariableDeclarator) return 'unknown';
    if (id.typeAnnotation) return this.typeKind(id.typeAnnotation.typeAnnotation, 0);
    const declaration = declarator.parent;
    const loop = declaration?.parent;
    // for (const x of xs)
    if (
      (loop?.type === AST_NODE_TYPES.ForOfStatement || loop?.type === AST_NODE_TYPES.ForInStatement) &&
      loop.left === declaration
    ) {
      if (loop.type === AST_NODE_TYPES.ForInStatement) return 'other';
      const right = this.kindOf(loop.right, depth + 1);
      return right === undefined ? undefined : elementKind(right);
    }
    if (declarator.id !== id) {
      // const [a, b] = tf.split(x, 2);  const { mean, variance } = tf.moments(x);
      if (!declarator.init) return 'unknown';
      const init = this.kindOf(declarator.init, depth + 1);
      if (init === undefined) return undefined;
      const parent = id.parent;
      if (declarator.id.type === AST_NODE_TYPES.ArrayPattern && parent === declarator.id) return elementKind(init);
      if (declarator.id.type === AST_NODE_TYPES.ObjectPattern && parent?.type === AST_NODE_TYPES.Property)
        return init === 'record' ? 'tensor' : 'unknown';
      return 'unknown';
    }
    // Every value the variable is given: its initialiser and each assignment.
    let kind: ValueKind | undefined;
    const values: TSESTree.Node[] = [];
    if (declarator.init) values.push(declarator.init);
    for (const ref of variable.references) {
      if (ref.init || !ref.isWrite()) continue;
      const p = ref.identifier.parent;
      if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === ref.identifier) {
        if (p.operator !== '=') return 'other';
        values.push(p.right);
      } else if (p?.type === AST_NODE_TYPES.UpdateExpression) return 'other';
      else return 'unknown';
    }
    for (const v of values) {
      const u = unwrap(v);
      // `let best = null;` says nothing about what it holds later.
      if (
        (u.type === AST_NODE_TYPES.Literal && u.value === null) ||
        (u.type === AST_NODE_TYPES.Identifier && u.name === 'undefined')
      )
        continue;
      kind = merge(kind, this.kindOf(v, depth + 1));
      if (kind === 'unknown') return kind;
    }
    return kind ?? 'unknown';
  }

  /** The kind a type annotation names. `async` reads a `Promise<T>` as T. */
  typeKind(type: TSESTree.TypeNode, depth: number, async = false): ValueKind {
    if (depth > 4) return 'unknown';
    if (NON_TENSOR_KEYWORDS.has(type.type)) return 'other';
    switch (type.type) {
      case AST_NODE_TYPES.TSArrayType: {
        const element = this.typeKind(type.elementType, depth + 1);
        return element === 'tensor' ? 'tensors' : element === 'unknown' ? 'unknown' : 'other';
      }
      case AST_NODE_TYPES.TSTupleType: {
        const kinds = type.elementTypes.map((e) => this.typeKind(e, depth + 1));
        return kinds.length > 0 && kinds.every((k) => k === 'tensor') ? 'tensors' : 'unknown';
      }
      case AST_NODE_TYPES.TSTypeOperator:
        return type.typeAnnotation ? this.typeKind(type.typeAnnotation, depth + 1) : 'unknown';
      case AST_NODE_TYPES.TSUnionType: {
        let kind: ValueKind | undefined;
        for (const t of type.types) {
          if (t.type === AST_NODE_TYPES.TSNullKeyword || t.type === AST_NODE_TYPES.TSUndefinedKeyword) continue;
          kind = merge(kind, this.typeKind(t, depth + 1));
        }
        return kind ?? 'other';
      }
      case AST_NODE_TYPES.TSTypeReference:
        return this.typeReferenceKind(type, depth, async);
      default:
        return 'unknown';
    }
  }

  private typeReferenceKind(type: TSESTree.TSTypeReference, depth: number, async: boolean): ValueKind {
    const args = type.typeArguments?.params ?? [];
    if (type.typeName.type === AST_NODE_TYPES.TSQualifiedName) {
      const qualifier = type.typeName.left;
      if (qualifier.type !== AST_NODE_TYPES.Identifier || !this.isTfTypeNamespace(qualifier)) return 'unknown';
      return this.tfTypeKind(type.typeName.right.name);
    }
    if (type.typeName.type !== AST_NODE_TYPES.Identifier) return 'unknown';
    const name = type.typeName.name;
    if ((name === 'Array' || name === 'ReadonlyArray') && args[0]) {
      const element = this.typeKind(args[0], depth + 1);
      return element === 'tensor' ? 'tensors' : element === 'unknown' ? 'unknown' : 'other';
    }
    if (name === 'Promise') return async && args[0] ? this.typeKind(args[0], depth + 1) : 'other';
    if (['Float32Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray', 'Float64Array'].includes(name)) return 'data';
    if (
      ['Map', 'Set', 'Record', 'HTMLCanvasElement', 'HTMLVideoElement', 'HTMLImageElement', 'ImageData'].includes(name)
    )
      return 'other';
    const variable = findVariable(this.sourceCode.getScope(type.typeName), type.typeName);
    const def = variable?.defs[0];
    if (!def) return 'unknown';
    if (def.type === 'ImportBinding') {
      const decl = def.parent;
      if (decl?.type !== AST_NODE_TYPES.ImportDeclaration || !this.isTfSource(String(decl.source.value)))
        return 'unknown';
      const spec = def.node;
      const imported =
        spec.type === AST_NODE_TYPES.ImportSpecifier
          ? spec.imported.type === AST_NODE_TYPES.Identifier
            ? spec.imported.name
            : String(spec.imported.value)
          : name;
      return this.tfTypeKind(imported);
    }
    // type Img = tf.Tensor3D;
    if (def.node.type === AST_NODE_TYPES.TSTypeAliasDeclaration)
      return this.typeKind(def.node.typeAnnotation, depth + 1);
    // A class or interface of this module: not a tensor.
    if (
      def.node.type === AST_NODE_TYPES.ClassDeclaration ||
      def.node.type === AST_NODE_TYPES.TSInterfaceDeclaration ||
      def.node.type === AST_NODE_TYPES.TSEnumDeclaration
    )
      return 'other';
    return 'unknown';
  }

  /** A name TF.js exports, as a type: a tensor, a model, a buffer, a map of tensors, or something else. */
  private tfTypeKind(name: string): ValueKind {
    if (TENSOR_TYPES.has(name)) return 'tensor';
    if (MODEL_TYPES.has(name)) return 'model';
    if (name === 'TensorBuffer') return 'buffer';
    if (name === 'NamedTensorMap') return 'record';
    if (name === 'TensorContainer' || name === 'TensorLike') return 'unknown';
    return 'other';
  }

  private isTfSource(specifier: string): boolean {
    return isTfPackage(specifier) || isTfModuleSpecifier(specifier, this.moduleOptions);
  }

  /** `tf` in `tf.Tensor2D`: a namespace import of a TF.js package (tfjs-converter and tfjs-layers included). */
  private isTfTypeNamespace(id: TSESTree.Identifier): boolean {
    const variable = findVariable(this.sourceCode.getScope(id), id);
    const def = variable?.defs[0];
    if (!def) return false;
    if (def.type === 'ImportBinding')
      return def.parent?.type === AST_NODE_TYPES.ImportDeclaration && this.isTfSource(String(def.parent.source.value));
    // const tf = require('@tensorflow/tfjs'): its types are reached the same way in a JS file's JSDoc only.
    return id.name === this.binding.namespace;
  }

  /** A JSDoc `@param {tf.Tensor3D[]} images` above the function. */
  private jsdocParamKind(fn: FunctionNode, name: string): ValueKind {
    let holder: TSESTree.Node = fn;
    const p = fn.parent;
    if (p?.type === AST_NODE_TYPES.VariableDeclarator) holder = p.parent;
    else if (p?.type === AST_NODE_TYPES.MethodDefinition || p?.type === AST_NODE_TYPES.PropertyDefinition) holder = p;
    else if (p?.type === AST_NODE_TYPES.Property) holder = p;
    if (
      holder.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      holder.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration
    )
      holder = holder.parent;
    const comment = this.sourceCode
      .getCommentsBefore(holder)
      .filter((c) => c.type === 'Block' && c.value.startsWith('*'))
      .pop();
    if (!comment) return 'unknown';
    const escaped = name.replace(/\$/g, '\\$');
    const m = new RegExp(`@param\\s+\\{([^}]*)\\}\\s+\\[?${escaped}(?![\\w$])`, 'u').exec(comment.value);
    return m ? jsdocTypeKind(m[1]) : 'unknown';
  }

  /**
   * The checker's kind of an expression's type when the parser gives types (undefined without
   * them, for any / unknown, and for types it cannot place).
   */
  private checkerKind(node: TSESTree.Node): ValueKind | undefined {
    const services = this.sourceCode.parserServices;
    const program = services?.program;
    const map = services?.esTreeNodeToTSNodeMap;
    if (!program || !map) return undefined;
    try {
      const checker = program.getTypeChecker();
      const type = checker.getTypeAtLocation(map.get(node as never));
      return typeKindOfChecker(checker, type, 0);
    } catch {
      return undefined;
    }
  }
}
