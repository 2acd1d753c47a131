import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { isDisposal } from '../analysis/disposal.js';
import { enclosingFunction, enclosingLoop, hoistAnchor, isStepLoop, loopBodyParts, runsOnEveryIteration, walk, type LoopSite } from '../analysis/loop-context.js';
import { findTfBinding, tfCallName } from '../analysis/tf-binding.js';
import { findVariable, isConstLike, TensorFacts } from '../analysis/tensors.js';
import { isInside, unwrap } from '../ast/predicates.js';
import { createRule, guarded } from '../create-rule.js';

type Options = [{ allowedReadsPerStep?: number }];
type MessageIds = 'invariantRead' | 'readInLoop' | 'extraStepRead' | 'hoistRead';

const SYNC_READS = new Set(['dataSync', 'arraySync', 'bufferSync']);
const ASYNC_READS = new Set(['data', 'array', 'buffer']);
const NAME_SUFFIX: Record<string, string> = { dataSync: 'Data', data: 'Data', arraySync: 'Values', array: 'Values', bufferSync: 'Buffer', buffer: 'Buffer' };
/** Members of a read's result that neither write into it nor hand it out for writing. */
const READ_ONLY_MEMBERS = new Set(['length', 'get', 'slice', 'map', 'filter', 'reduce', 'indexOf', 'lastIndexOf', 'includes', 'every', 'some', 'find', 'findIndex', 'join', 'at', 'forEach', 'toString', 'shape', 'size', 'dtype', 'strides']);
/** Calls in a loop that cannot change a tensor's values (so a tf.Variable read stays the same). */
const PURE_OBJECTS = new Set(['Math', 'console', 'Number', 'Array', 'Object', 'JSON', 'String']);
const MAX_SHOWN = 60;

/** An analysis bug must never take down the user's lint run (VECTORIZE_DEBUG=1 rethrows, as the tests do). */
/** Whether `name` occurs in `text` as a whole identifier (`$` and `_` are identifier characters, and `$` must not act as a regex anchor). */
function mentions(text: string, name: string): boolean {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'u').test(text);
}

interface Read {
  /** The read as an expression: the call, or the `await` around an async read. */
  expr: TSESTree.Expression;
  call: TSESTree.CallExpression & { callee: TSESTree.MemberExpression & { property: TSESTree.Identifier } };
  method: string;
  site: LoopSite;
}

export default createRule<Options, MessageIds>({
  name: 'no-readback-in-loop',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow tensor read-backs (`dataSync()`, `await data()`, `arraySync()`, …) inside loop bodies and per-element callbacks',
      recommended: true,
    },
    fixable: 'code',
    hasSuggestions: true,
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          allowedReadsPerStep: {
            type: 'integer',
            minimum: 0,
            description:
              'How many read-backs one step of a training or animation loop may make without a report: a loop that trains (`model.fit`, `fitDataset`, `trainOnBatch`, `optimizer.minimize`, `applyGradients`), waits for a frame (`tf.nextFrame()`, `requestAnimationFrame`) or awaits a data iterator (`for await`, `await it.next()`). 0 reports every read.',
          },
        },
      },
    ],
    defaultOptions: [{ allowedReadsPerStep: 1 }],
    messages: {
      invariantRead:
        '`{{read}}` reads the same tensor `{{tensor}}` on every iteration of this {{loop}}: each call copies it from the backend, a GPU→CPU sync on WebGL/WebGPU. Read it once before the loop; if the loop then only walks the values, `vectorize/no-element-loop` names the tensor op that replaces it.',
      readInLoop:
        '`{{read}}` runs on every iteration of this {{loop}}: one GPU→CPU sync per iteration. Compute the values of all iterations as one tensor with TF.js ops (stack, gather or slice along an axis) and read that once after the loop.',
      extraStepRead:
        '`{{read}}` is read-back {{count}} in one step of this {{loop}}, which allows {{allowed}} (option `allowedReadsPerStep`): each read is a separate GPU→CPU sync. Combine the values into one tensor (`tf.stack`, `tf.concat`) and read it once per step.',
      hoistRead: 'Read `{{tensor}}` once before the loop (note: {{caveat}}).',
    },
  },
  defaultOptions: [{ allowedReadsPerStep: 1 }],
  create(context, [{ allowedReadsPerStep = 1 }]) {
    const sourceCode = context.sourceCode;
    const binding = findTfBinding(sourceCode.ast);
    // Without a TF.js import there are no tensors to read back (and `data()` / `array()` are common names).
    if (!binding) return {};
    const facts = new TensorFacts(sourceCode, binding);
    const reads: Read[] = [];

    /** Whether the receiver of a read is a tensor: TF.js's own sync names are enough unless something says otherwise; async names need proof. */
    function isTensorReceiver(node: TSESTree.Node, sync: boolean, depth = 0): boolean {
      const n = unwrap(node);
      if (n.type === AST_NODE_TYPES.Identifier) {
        const variable = findVariable(sourceCode, n);
        if (!variable || variable.defs.length === 0) return sync;
        const evidence = facts.tensorEvidence(variable, n);
        return evidence === 'yes' || evidence === 'param' || (sync && evidence === 'weak');
      }
      if (n.type === AST_NODE_TYPES.CallExpression) {
        if (tfCallName(binding!, n)) return true;
        const callee = n.callee;
        if (callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier) {
          if (['predict', 'execute', 'predictOnBatch'].includes(callee.property.name)) return true;
          if (depth < 4 && isTensorReceiver(callee.object, false, depth + 1)) return true;
        }
      }
      return sync;
    }

    // for (…) { const v = t.dataSync()[0]; … }   rows.forEach((r) => r.arraySync())
    function collect(call: TSESTree.CallExpression): void {
      const callee = call.callee;
      if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier || call.arguments.length > 0) return;
      const method = callee.property.name;
      const sync = SYNC_READS.has(method);
      if (!sync && !ASYNC_READS.has(method)) return;
      // `t.data().then(…)` and other unawaited async reads are left alone: the loop does not wait on them.
      const expr = !sync ? (call.parent?.type === AST_NODE_TYPES.AwaitExpression ? call.parent : undefined) : call;
      if (!expr || !isTensorReceiver(callee.object, sync)) return;
      const site = enclosingLoop(expr);
      if (site) reads.push({ expr, call: call as Read['call'], method, site });
    }

    const short = (node: TSESTree.Node): string => {
      const text = sourceCode.getText(node).replace(/\s+/g, ' ');
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
    };

    /** The receiver's variable when it holds the same tensor on every iteration: declared outside the loop and never reassigned. */
    function invariantVariable(read: Read): Scope.Variable | undefined {
      const recv = unwrap(read.call.callee.object);
      if (recv.type !== AST_NODE_TYPES.Identifier) return undefined;
      const variable = findVariable(sourceCode, recv);
      if (!variable || variable.defs.length !== 1 || !isConstLike(variable)) return undefined;
      return isInside(variable.defs[0].name, read.site.node) ? undefined : variable;
    }

    /** Whether the value of `expr` (a read's result or a name for it) is only read: shared across iterations, it must not be written. */
    function readOnlyUse(expr: TSESTree.Node, indexesToNumber: number, depth = 0): boolean {
      let n = expr;
      while (n.parent && [AST_NODE_TYPES.TSAsExpression, AST_NODE_TYPES.TSNonNullExpression, AST_NODE_TYPES.TSSatisfiesExpression].includes(n.parent.type as never)) n = n.parent;
      const p = n.parent;
      if (!p || depth > 6) return false;
      switch (p.type) {
        case AST_NODE_TYPES.MemberExpression: {
          if (p.object !== n) return true;
          if (p.computed) {
            const gp = p.parent;
            if ((gp?.type === AST_NODE_TYPES.AssignmentExpression && gp.left === p) || gp?.type === AST_NODE_TYPES.UpdateExpression) return false;
            if (gp?.type === AST_NODE_TYPES.UnaryExpression && gp.operator === 'delete') return false;
            // An element is a number once every axis is indexed; a row of nested data must stay unwritten too.
            return indexesToNumber <= 1 || readOnlyUse(p, indexesToNumber - 1, depth + 1);
          }
          if (p.property.type !== AST_NODE_TYPES.Identifier || !READ_ONLY_MEMBERS.has(p.property.name)) return false;
          // `at(i)` hands out a row like `[i]` does; the other members return numbers or new arrays.
          return p.property.name !== 'at' || indexesToNumber <= 1 || (p.parent?.type === AST_NODE_TYPES.CallExpression && readOnlyUse(p.parent, indexesToNumber - 1, depth + 1));
        }
        case AST_NODE_TYPES.BinaryExpression:
        case AST_NODE_TYPES.TemplateLiteral:
        case AST_NODE_TYPES.SpreadElement:
          return true;
        case AST_NODE_TYPES.UnaryExpression:
          return p.operator !== 'delete';
        case AST_NODE_TYPES.CallExpression:
          // Array.from(t.dataSync()) copies.
          return p.arguments.length === 1 && p.callee.type === AST_NODE_TYPES.MemberExpression && unwrap(p.callee.object).type === AST_NODE_TYPES.Identifier && (unwrap(p.callee.object) as TSESTree.Identifier).name === 'Array' && sourceCode.getText(p.callee) === 'Array.from';
        default:
          return false;
      }
    }

    /** How many `[i]` turn the read's result into a number: one for flat data, the rank for nested arrays (unknown: never). */
    function indexesToNumber(read: Read): number {
      if (read.method === 'dataSync' || read.method === 'data') return 1;
      if (read.method === 'bufferSync' || read.method === 'buffer') return 1;
      return facts.tensor(read.call.callee.object)?.rank ?? Number.POSITIVE_INFINITY;
    }

    /** `const d = t.dataSync();` directly in the loop body, with `d` only read: the whole declaration can move. */
    function movableDeclaration(read: Read): TSESTree.VariableDeclaration | undefined {
      const decl = read.expr.parent;
      if (decl?.type !== AST_NODE_TYPES.VariableDeclarator || decl.init !== read.expr || decl.id.type !== AST_NODE_TYPES.Identifier) return undefined;
      const stmt = decl.parent;
      if (stmt.declarations.length !== 1 || stmt.kind === 'var' || stmt.kind === 'using' || stmt.kind === 'await using') return undefined;
      const body = loopBodyParts(read.site)[0];
      if (body.type !== AST_NODE_TYPES.BlockStatement || stmt.parent !== body) return undefined;
      const variable = findVariable(sourceCode, decl.id);
      if (!variable || !isConstLike(variable)) return undefined;
      return variable.references.every((r) => r.init === true || readOnlyUse(r.identifier, indexesToNumber(read))) ? stmt : undefined;
    }

    /** A name used nowhere in the file, so the hoisted declaration can neither clash nor shadow. */
    function freshName(base: string, taken: Set<string>): string {
      const used = (name: string) => taken.has(name) || mentions(sourceCode.text, name);
      let name = base;
      for (let k = 2; used(name); k++) name = `${base}${k}`;
      taken.add(name);
      return name;
    }

    /** The tensor cannot change between iterations: made by a TF.js op here, or the loop calls nothing that could assign a tf.Variable. */
    function valuesFixed(variable: Scope.Variable, site: LoopSite): boolean {
      const def = variable.defs[0];
      if (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init) {
        const init = unwrap(def.node.init);
        const op = tfCallName(binding!, init);
        if (op && op !== 'variable') return true;
        if (init.type === AST_NODE_TYPES.CallExpression && init.callee.type === AST_NODE_TYPES.MemberExpression && init.callee.property.type === AST_NODE_TYPES.Identifier && ['predict', 'execute'].includes(init.callee.property.name)) return true;
      }
      let impure = false;
      for (const part of loopBodyParts(site)) {
        walk(part, (n) => {
          if (impure || n.type !== AST_NODE_TYPES.CallExpression) return;
          const c = n.callee;
          if (tfCallName(binding!, n) && tfCallName(binding!, n) !== 'variable') return;
          if (c.type === AST_NODE_TYPES.MemberExpression && !c.computed && c.property.type === AST_NODE_TYPES.Identifier) {
            const obj = unwrap(c.object);
            if (obj.type === AST_NODE_TYPES.Identifier && PURE_OBJECTS.has(obj.name)) return;
            if (SYNC_READS.has(c.property.name) || ASYNC_READS.has(c.property.name) || READ_ONLY_MEMBERS.has(c.property.name) || c.property.name === 'push') return;
          }
          impure = true;
        });
      }
      return !impure;
    }

    type Plan = { edits: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix[]; auto: boolean; caveat: string };

    /** Hoisting a loop-invariant read above the loop; undefined when it cannot be shown to keep behaviour. */
    function planHoist(group: Read[], variable: Scope.Variable, taken: Set<string>): Map<Read, Plan> {
      const plans = new Map<Read, Plan>();
      const site = group[0].site;
      const anchor = hoistAnchor(site);
      if (!anchor) return plans;
      // Disposed before or inside the loop: the original may throw where the hoisted read would not, or the reverse.
      if (variable.references.some((r) => r.identifier.range[0] < site.node.range[1] && isDisposal(binding!, r.identifier))) return plans;
      const async = group[0].expr.type === AST_NODE_TYPES.AwaitExpression;
      const anchorFn = enclosingFunction(anchor);
      let caveat: string | undefined;
      // An awaited read moved out of the loop changes where the loop yields to other work: offered, never applied.
      if (async) {
        if (anchorFn?.type === AST_NODE_TYPES.Program || !anchorFn?.async) return plans;
        caveat = 'the loop no longer waits for the backend on each iteration, so other async work interleaves differently';
      } else if (!valuesFixed(variable, site)) {
        // A tf.Variable assigned by a call in the loop would be read once instead of per iteration.
        caveat = `if \`${variable.name}\` is a tf.Variable that a call in the loop assigns, the hoisted values go stale`;
      }
      const eligible = group.filter((r) => runsOnEveryIteration(r.expr, site) && (!async || enclosingFunction(r.expr) === anchorFn));
      const lineStart = (pos: number) => sourceCode.text.lastIndexOf('\n', pos - 1) + 1;
      const indent = sourceCode.text.slice(lineStart(anchor.range[0]), anchor.range[0]);
      const insertPrefix = /^\s*$/.test(indent) ? indent : '';
      const lineBreak = insertPrefix === indent ? '\n' : ' ';
      const make = (edits: Plan['edits']): Plan => ({ edits, auto: caveat === undefined, caveat: caveat ?? '' });

      // `const d = t.dataSync();` in the body moves above the loop as it is.
      const inline: Read[] = [];
      for (const read of eligible) {
        const stmt = movableDeclaration(read);
        if (!stmt) {
          if (readOnlyUse(read.expr, indexesToNumber(read))) inline.push(read);
          continue;
        }
        const name = (stmt.declarations[0].id as TSESTree.Identifier).name;
        const outside = sourceCode.text.slice(0, site.node.range[0]) + sourceCode.text.slice(site.node.range[1]);
        if (mentions(outside, name)) continue;
        let text = sourceCode.getText(stmt);
        if (!text.endsWith(';')) text += ';';
        const start = lineStart(stmt.range[0]);
        const nextBreak = sourceCode.text.indexOf('\n', stmt.range[1]);
        const end = nextBreak === -1 ? sourceCode.text.length : nextBreak + 1;
        const ownLine = /^\s*$/.test(sourceCode.text.slice(start, stmt.range[0])) && /^\s*$/.test(sourceCode.text.slice(stmt.range[1], end));
        const removal: [number, number] = ownLine ? [start, end] : stmt.range;
        plans.set(read, make((fixer) => [fixer.insertTextBeforeRange([anchor.range[0], anchor.range[0]], `${text}${lineBreak}${insertPrefix}`), fixer.removeRange(removal)]));
      }
      if (inline.length > 0) {
        const first = inline[0];
        const name = freshName(`${variable.name}${NAME_SUFFIX[first.method]}`, taken);
        const readText = async ? `await ${sourceCode.getText(first.call)}` : sourceCode.getText(first.call);
        const edits: Plan['edits'] = (fixer) => [
          fixer.insertTextBeforeRange([anchor.range[0], anchor.range[0]], `const ${name} = ${readText};${lineBreak}${insertPrefix}`),
          ...inline.map((r) => fixer.replaceText(r.expr, name)),
        ];
        for (const read of inline) plans.set(read, make(edits));
      }
      return plans;
    }

    function report(): void {
      const bySite = new Map<TSESTree.Node, Read[]>();
      for (const read of reads) {
        const list = bySite.get(read.site.node) ?? [];
        list.push(read);
        bySite.set(read.site.node, list);
      }
      const taken = new Set<string>();
      for (const siteReads of bySite.values()) {
        const site = siteReads[0].site;
        siteReads.sort((a, b) => a.expr.range[0] - b.expr.range[0]);
        // One read per step of a training / animation loop is the normal pattern: count, do not report.
        let rest = siteReads;
        if (allowedReadsPerStep > 0 && isStepLoop(site)) {
          rest = siteReads.slice(allowedReadsPerStep);
          rest.forEach((read, k) => {
            context.report({
              node: read.expr,
              messageId: 'extraStepRead',
              data: { read: short(read.expr), count: `${allowedReadsPerStep + k + 1}`, loop: site.label, allowed: `${allowedReadsPerStep}` },
            });
          });
          continue;
        }
        // Group loop-invariant reads by tensor and method: one hoisted declaration serves them all.
        const groups = new Map<string, { variable: Scope.Variable; reads: Read[] }>();
        for (const read of rest) {
          const variable = invariantVariable(read);
          if (!variable) {
            context.report({ node: read.expr, messageId: 'readInLoop', data: { read: short(read.expr), loop: site.label } });
            continue;
          }
          const key = `${variable.name}:${read.method}:${read.expr.type}`;
          const group = groups.get(key) ?? { variable, reads: [] };
          group.reads.push(read);
          groups.set(key, group);
        }
        for (const { variable, reads: group } of groups.values()) {
          const plans = planHoist(group, variable, taken);
          for (const read of group) {
            const plan = plans.get(read);
            const data = { read: short(read.expr), tensor: variable.name, loop: site.label };
            if (!plan) {
              context.report({ node: read.expr, messageId: 'invariantRead', data });
            } else if (plan.auto) {
              context.report({ node: read.expr, messageId: 'invariantRead', data, fix: plan.edits });
            } else {
              // Equivalent values, but something visible changes (timing, or a Variable's staleness): offer, never apply.
              context.report({
                node: read.expr,
                messageId: 'invariantRead',
                data,
                suggest: [{ messageId: 'hoistRead', data: { tensor: variable.name, caveat: plan.caveat }, fix: plan.edits }],
              });
            }
          }
        }
      }
    }

    return {
      CallExpression: guarded(collect),
      'Program:exit': guarded(report),
    };
  },
});
