import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';

const TF_MODULE = /^@tensorflow\/tfjs(-core|-node|-node-gpu)?$/;

/** How this file reaches TF.js: a namespace (`import * as tf`, default import, `require`) and/or named imports. */
export interface TfBinding {
  /** Local name of the namespace object, when the file has one. */
  namespace: string | undefined;
  /** The module the namespace comes from when it is a `require` (a value, not a type namespace). */
  requiredFrom?: string;
  /** Local name → exported name of named imports (`import { sum as s }` → s → sum). */
  named: Map<string, string>;
  /** Local name → exported name of type-only named imports (`import { type Tensor1D }`, `import type { … }`). */
  types: Map<string, string>;
  /** The import declaration a fix can add named imports to. */
  importDecl: TSESTree.ImportDeclaration | undefined;
}

function isTfSource(node: TSESTree.Node | null | undefined): boolean {
  return node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string' && TF_MODULE.test(node.value);
}

function isRequireOfTf(node: TSESTree.Node | null | undefined): boolean {
  return (
    node?.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.Identifier &&
    node.callee.name === 'require' &&
    isTfSource(node.arguments[0])
  );
}

// import * as tf from '@tensorflow/tfjs';  import tf from …;  const tf = require('@tensorflow/tfjs');
export function findTfBinding(program: TSESTree.Program): TfBinding | undefined {
  const binding: TfBinding = { namespace: undefined, named: new Map(), types: new Map(), importDecl: undefined };
  let found = false;
  for (const stmt of program.body) {
    if (stmt.type === AST_NODE_TYPES.ImportDeclaration && isTfSource(stmt.source) && stmt.importKind === 'type') {
      for (const spec of stmt.specifiers) {
        if (spec.type === AST_NODE_TYPES.ImportSpecifier)
          binding.types.set(
            spec.local.name,
            spec.imported.type === AST_NODE_TYPES.Identifier ? spec.imported.name : String(spec.imported.value),
          );
      }
    } else if (stmt.type === AST_NODE_TYPES.ImportDeclaration && isTfSource(stmt.source)) {
      found = true;
      for (const spec of stmt.specifiers) {
        if (
          spec.type === AST_NODE_TYPES.ImportNamespaceSpecifier ||
          spec.type === AST_NODE_TYPES.ImportDefaultSpecifier
        ) {
          binding.namespace ??= spec.local.name;
        } else {
          const imported =
            spec.imported.type === AST_NODE_TYPES.Identifier ? spec.imported.name : String(spec.imported.value);
          if (spec.importKind === 'type') binding.types.set(spec.local.name, imported);
          else binding.named.set(spec.local.name, imported);
          binding.importDecl ??= stmt;
        }
      }
    } else if (stmt.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const decl of stmt.declarations) {
        if (!isRequireOfTf(decl.init)) continue;
        found = true;
        if (decl.id.type === AST_NODE_TYPES.Identifier && !binding.namespace) {
          binding.namespace = decl.id.name;
          binding.requiredFrom = String(
            ((decl.init as TSESTree.CallExpression).arguments[0] as TSESTree.StringLiteral).value,
          );
        } else if (decl.id.type === AST_NODE_TYPES.ObjectPattern) {
          for (const p of decl.id.properties) {
            if (
              p.type === AST_NODE_TYPES.Property &&
              p.key.type === AST_NODE_TYPES.Identifier &&
              p.value.type === AST_NODE_TYPES.Identifier
            ) {
              binding.named.set(p.value.name, p.key.name);
            }
          }
        }
      }
    }
  }
  return found ? binding : undefined;
}

/** If `node` calls a TF.js op through the binding (`tf.sum(…)` or a named `sum(…)`), the op's name. */
export function tfCallName(binding: TfBinding, node: TSESTree.Node): string | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = node.callee;
  if (
    callee.type === AST_NODE_TYPES.MemberExpression &&
    !callee.computed &&
    callee.object.type === AST_NODE_TYPES.Identifier &&
    callee.object.name === binding.namespace &&
    callee.property.type === AST_NODE_TYPES.Identifier
  ) {
    return callee.property.name;
  }
  if (callee.type === AST_NODE_TYPES.Identifier) return binding.named.get(callee.name);
  return undefined;
}
