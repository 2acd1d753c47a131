// Regions: the statements a fix replaces, run on their own. A region is the run of statements (in one
// statement list) that covers the fix's edit, inside the innermost function that holds it. Its live-in
// values are that function's parameters, reached directly or through the declarations before the
// region that compute them (`const d = x.dataSync()`, `const [n, m] = x.shape`): those declarations
// form the region's prelude and run in both versions. Its results are what it returns, plus the
// variables it defines or changes that code after it reads. Scope analysis only: nothing runs here.
import type { TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { enclosingFunction, walk } from '../analysis/loop-context.js';
import { FUNCTION_TYPES, isLoop } from '../ast/predicates.js';

export type FunctionNode =
  TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;
type Range = readonly [number, number];

/** Where a fix's region lies: found once in the original AST, valid for the fixed text up to the edit. */
export interface RegionSite {
  /** The function whose body holds the region: its parameters are the region's inputs. */
  fn: FunctionNode;
  /** How messages name it: `rowSums`, `Layer.call`, `the function at line 12`. */
  fnName: string;
  /** The node whose leading comments hold the function's `@inputs` (its statement, method or property). */
  anchor: TSESTree.Node;
  /** [start, end) of the region in the original text; it covers the edit. */
  range: [number, number];
  /** The region is an arrow function's expression body (its value is the result). */
  expression: boolean;
}

/** What a region needs and yields, in one version (original or fixed). */
export interface RegionFlow {
  /** Parameters of the function the region reads, directly or through its prelude. */
  params: Set<string>;
  /** Declarations before the region that it needs, as source ranges (identical in both versions). */
  prelude: Map<number, Range>;
  /** Variables the region defines or changes that code outside it reads: returned as a record. */
  outs: Set<string>;
}

const MUTATING_METHODS = new Set([
  'push',
  'pop',
  'shift',
  'unshift',
  'splice',
  'set',
  'fill',
  'sort',
  'reverse',
  'copyWithin',
]);

const isFunction = (n: TSESTree.Node): n is FunctionNode => FUNCTION_TYPES.has(n.type);
const within = (n: { range: Range }, r: Range) => r[0] <= n.range[0] && n.range[1] <= r[1];

/** The statement list a node holds, if it holds one. */
function statementList(n: TSESTree.Node): TSESTree.Node[] | undefined {
  if (n.type === 'Program' || n.type === 'BlockStatement' || n.type === 'StaticBlock') return n.body;
  if (n.type === 'SwitchCase') return n.consequent;
  return undefined;
}

/** The deepest node that contains [a, b). */
function deepestContaining(root: TSESTree.Node, a: number, b: number): TSESTree.Node {
  let deepest = root;
  walk(
    root,
    (n) => {
      deepest = n;
    },
    (n) => !(n.range[0] <= a && b <= n.range[1]),
  );
  return deepest;
}

/** The region around an edit, or why there is none that can run on its own. */
export function findSite(ast: TSESTree.Program, edit: Range): RegionSite | string {
  const [a, b] = edit;
  let node: TSESTree.Node | undefined = deepestContaining(ast, a, b);
  let range: [number, number] | undefined;
  let expression = false;
  for (; node; node = node.parent) {
    const list = statementList(node);
    if (list) {
      const covered = list.filter((s) => s.range[1] > a && s.range[0] < b);
      if (covered.length === 0) return 'the fix does not replace whole statements';
      range = [Math.min(a, covered[0].range[0]), Math.max(b, covered[covered.length - 1].range[1])];
      break;
    }
    const parent: TSESTree.Node | undefined = node.parent;
    if (parent?.type === 'ArrowFunctionExpression' && parent.expression && parent.body === node) {
      range = [node.range[0], node.range[1]];
      expression = true;
      node = parent;
      break;
    }
  }
  if (!node || !range) return 'the fix does not replace whole statements';
  let fn: TSESTree.Node | undefined = node;
  while (fn && !isFunction(fn)) fn = fn.parent;
  if (!fn || !isFunction(fn))
    return 'the loop runs at module level, on values the module computes when it loads; move it into a function to verify it';
  if (fn.generator) return `the loop is in a generator function; the runtime runs ordinary functions`;
  return { fn, fnName: functionName(fn), anchor: anchorOf(fn), range, expression };
}

/**
 * The site of a loop inside a function TF.js differentiates (the closure given to `optimizer.minimize`,
 * `tf.grad`, …): the whole body of the outermost function that holds it, so that the region runs the
 * training step itself and reads no closure variable. undefined when the loop's function is outermost.
 */
export function trainingSite(site: RegionSite): RegionSite | string | undefined {
  let outer: FunctionNode = site.fn;
  for (let n: TSESTree.Node | undefined = site.fn.parent; n; n = n.parent) if (isFunction(n)) outer = n;
  if (outer === site.fn) return undefined;
  if (outer.generator) return `the loop is in a generator function; the runtime runs ordinary functions`;
  const body = outer.body;
  if (body.type !== 'BlockStatement') {
    return {
      fn: outer,
      fnName: functionName(outer),
      anchor: anchorOf(outer),
      range: [...body.range],
      expression: true,
    };
  }
  if (body.body.length === 0) return 'the function that runs the training step is empty';
  const range: [number, number] = [body.body[0].range[0], body.body[body.body.length - 1].range[1]];
  return { fn: outer, fnName: functionName(outer), anchor: anchorOf(outer), range, expression: false };
}

function functionName(fn: FunctionNode): string {
  if (fn.type === 'FunctionDeclaration' && fn.id) return fn.id.name;
  const p = fn.parent;
  if (p?.type === 'VariableDeclarator' && p.id.type === 'Identifier') return p.id.name;
  if (
    (p?.type === 'MethodDefinition' || p?.type === 'PropertyDefinition' || p?.type === 'Property') &&
    p.key.type === 'Identifier'
  ) {
    const cls = p.parent?.parent;
    const owner =
      (cls?.type === 'ClassDeclaration' || cls?.type === 'ClassExpression') && cls.id ? `${cls.id.name}.` : '';
    return `${owner}${p.key.name}`;
  }
  return `the function at line ${fn.loc.start.line}`;
}

/** The node whose leading comments document the function: its declaration statement, method or property. */
function anchorOf(fn: FunctionNode): TSESTree.Node {
  let n: TSESTree.Node = fn;
  for (;;) {
    const p: TSESTree.Node | undefined = n.parent;
    if (!p) return n;
    if (p.type === 'MethodDefinition' || p.type === 'PropertyDefinition' || p.type === 'Property') return p;
    if (statementList(p)) return n;
    if (p.type === 'ExportNamedDeclaration' || p.type === 'ExportDefaultDeclaration') return p;
    n = p;
  }
}

/** The function node in `ast` that starts where `fn` started (the fixed text is the same up to the edit). */
export function functionAt(ast: TSESTree.Program, start: number): FunctionNode | undefined {
  let found: FunctionNode | undefined;
  let node: TSESTree.Node | undefined = deepestContaining(ast, start, start + 1);
  for (; node; node = node.parent) if (isFunction(node) && node.range[0] === start) found = node;
  return found;
}

// ───────────────────────────── data flow ─────────────────────────────

type Variable = Scope.Variable;
type Reference = Scope.Reference;

/** Every reference made in `range` (type-only references excepted), with what it resolves to. */
function referencesIn(scopes: readonly Scope.Scope[], range: Range): Reference[] {
  const out: Reference[] = [];
  for (const scope of scopes) {
    for (const ref of scope.references) {
      if (!within(ref.identifier, range)) continue;
      if ((ref as { isValueReference?: boolean }).isValueReference === false) continue;
      out.push(ref);
    }
  }
  return out;
}

function isModuleLevel(v: Variable): boolean {
  if (v.scope.type === 'module' || v.scope.type === 'global') return true;
  if (v.scope.type === 'class') {
    const cls = v.scope.block;
    const p = cls.parent;
    return (
      p?.type === 'Program' ||
      ((p?.type === 'ExportNamedDeclaration' || p?.type === 'ExportDefaultDeclaration') && p.parent?.type === 'Program')
    );
  }
  return false;
}

/** `this`, `super`, `arguments` and jumps out of the region make it impossible to run alone: why, or undefined. */
function unsupportedIn(fn: FunctionNode, range: Range): string | undefined {
  let why: string | undefined;
  walk(
    fn.body,
    (n) => {
      if (why || !within(n, range)) return;
      if ((n.type === 'ThisExpression' || n.type === 'Super') && !thisBoundInside(n, range))
        why = `the loop uses \`${n.type === 'Super' ? 'super' : 'this'}\`; the runtime runs it on the function's parameters only (pass what it reads as parameters to verify it)`;
      if (n.type === 'Identifier' && n.name === 'arguments' && !thisBoundInside(n, range))
        why = 'the loop reads `arguments`; name the values as parameters to verify it';
      if ((n.type === 'BreakStatement' || n.type === 'ContinueStatement') && !jumpTargetInside(n, range))
        why = `a \`${n.type === 'BreakStatement' ? 'break' : 'continue'}\` leaves the fixed statements for a loop around them; the runtime cannot run them alone`;
      if (n.type === 'YieldExpression') why = 'the loop yields';
    },
    (n) => n.range[1] <= range[0] || n.range[0] >= range[1],
  );
  return why;
}

/** A non-arrow function inside the region binds `this` / `arguments` itself. */
function thisBoundInside(n: TSESTree.Node, range: Range): boolean {
  for (let p: TSESTree.Node | undefined = n.parent; p && within(p, range); p = p.parent)
    if (p.type === 'FunctionExpression' || p.type === 'FunctionDeclaration') return true;
  return false;
}

function jumpTargetInside(n: TSESTree.BreakStatement | TSESTree.ContinueStatement, range: Range): boolean {
  for (let p: TSESTree.Node | undefined = n.parent; p; p = p.parent) {
    if (isFunction(p)) return false;
    const target = n.label
      ? p.type === 'LabeledStatement' && p.label.name === n.label.name
      : isLoop(p) || (n.type === 'BreakStatement' && p.type === 'SwitchStatement');
    if (target) return within(p, range);
  }
  return false;
}

/** Statement lists between the region and the function's body (the places its prelude may come from). */
function enclosingLists(fn: FunctionNode, range: Range, ast: TSESTree.Program): Set<TSESTree.Node> {
  const out = new Set<TSESTree.Node>();
  for (let n: TSESTree.Node | undefined = deepestContaining(ast, range[0], range[1]); n && n !== fn; n = n.parent)
    if (statementList(n)) out.add(n);
  return out;
}

/**
 * Live-ins and results of the region `range` in function `fn` (of `ast`, analysed by `scopes`). A
 * string says why the region cannot run on its own.
 */
export function regionFlow(
  ast: TSESTree.Program,
  scopes: readonly Scope.Scope[],
  fn: FunctionNode,
  range: Range,
  expression: boolean,
): RegionFlow | string {
  const why = unsupportedIn(fn, range);
  if (why) return why;
  const lists = expression ? new Set<TSESTree.Node>() : enclosingLists(fn, range, ast);
  const flow: RegionFlow = { params: new Set(), prelude: new Map(), outs: new Set() };
  const preludeVars = new Set<Variable>();

  // Variables a piece of code reads from outside itself (module-level ones stay reachable: the region runs in the same
  // module).
  const freeIn = (r: Range): Variable[] | string => {
    const out: Variable[] = [];
    for (const ref of referencesIn(scopes, r)) {
      const v = ref.resolved;
      if (!v || isModuleLevel(v)) continue;
      if (v.defs.length === 0) return `the loop reads \`${v.name}\`; name the values as parameters to verify it`;
      if (v.defs.every((d) => within(d.name, r))) continue;
      if (!out.includes(v)) out.push(v);
    }
    return out;
  };

  const first = freeIn(range);
  if (typeof first === 'string') return first;
  const pending = [...first];
  const seen = new Set<Variable>();
  while (pending.length > 0) {
    const v = pending.shift()!;
    if (seen.has(v)) continue;
    seen.add(v);
    const def = v.defs[0];
    if (def.type === 'Parameter') {
      if (def.node !== fn)
        return `the loop reads \`${v.name}\`, a parameter of an enclosing function; the runtime supplies the parameters of the function that holds the loop`;
      if (!fn.params.some((p) => p === def.name || (p.type === 'AssignmentPattern' && p.left === def.name))) {
        return `the loop reads \`${v.name}\`, which a parameter pattern destructures; take it as a plain parameter to verify the loop`;
      }
      flow.params.add(v.name);
      continue;
    }
    const stmt = def.type === 'Variable' ? def.parent : def.type === 'FunctionName' ? def.node : undefined;
    if (!stmt || !stmt.parent || !lists.has(stmt.parent)) {
      const where =
        stmt?.parent && isLoop(stmt.parent)
          ? 'the variable of a loop around it'
          : enclosingFunction(def.name) !== fn
            ? 'declared in an enclosing function'
            : 'declared in a block the runtime cannot rebuild';
      return `the loop reads \`${v.name}\`, ${where}; the runtime runs the loop on the parameters of the function that holds it`;
    }
    const statements: TSESTree.Node[] = [stmt];
    if (def.type === 'Variable') {
      if (stmt.range[1] > range[0]) return `the loop reads \`${v.name}\`, declared after it`;
      // Statements between the declaration and the region that change it (an earlier loop's sum) run too.
      for (const r of v.references) {
        if (r.identifier.range[0] < stmt.range[1] || r.identifier.range[0] >= range[0] || !mutates(r)) continue;
        const writer = statementIn(lists, r.identifier);
        if (!writer || writer.range[1] > range[0])
          return `the loop reads \`${v.name}\`, which the code around it changes; the runtime cannot rebuild that state`;
        statements.push(writer);
      }
    }
    preludeVars.add(v);
    for (const st of statements) {
      if (flow.prelude.has(st.range[0])) continue;
      const bad = unsupportedIn(fn, st.range);
      if (bad) return bad;
      flow.prelude.set(st.range[0], st.range);
      const inner = freeIn(st.range);
      if (typeof inner === 'string') return inner;
      pending.push(...inner);
    }
  }

  if (!expression) {
    // Results: what the region defines or changes that is read outside it.
    const readOutside = (v: Variable) => v.references.some((r) => !within(r.identifier, range) && r.isRead());
    const changedInside = (v: Variable) => v.references.some((r) => within(r.identifier, range) && mutates(r));
    for (const scope of scopes) {
      for (const v of scope.variables) {
        if (v.defs.length === 0) continue;
        const declaredHere = v.defs.every((d) => within(d.name, range)) && enclosingFunction(v.defs[0].name) === fn;
        const live = flow.params.has(v.name) && v.defs[0].type === 'Parameter' && v.defs[0].node === fn;
        const moduleLet = isModuleLevel(v) && v.defs[0].type === 'Variable';
        if (
          declaredHere
            ? readOutside(v)
            : (live || preludeVars.has(v) || moduleLet) && changedInside(v) && (moduleLet || readOutside(v))
        )
          flow.outs.add(v.name);
      }
    }
  }
  return flow;
}

/** A write to the variable, or to an element or field of the value it holds (`out[i] = …`, `rows.push(…)`). */
function mutates(r: Reference): boolean {
  if (r.isWrite()) return true;
  const parent = r.identifier.parent;
  if (parent?.type !== 'MemberExpression' || parent.object !== r.identifier) return false;
  const up = parent.parent;
  if (
    (up?.type === 'AssignmentExpression' && up.left === parent) ||
    (up?.type === 'UpdateExpression' && up.argument === parent)
  )
    return true;
  return (
    up?.type === 'CallExpression' &&
    up.callee === parent &&
    parent.property.type === 'Identifier' &&
    MUTATING_METHODS.has(parent.property.name)
  );
}

/** The statement, directly in one of `lists`, that holds `node`. */
function statementIn(lists: ReadonlySet<TSESTree.Node>, node: TSESTree.Node): TSESTree.Node | undefined {
  for (let n: TSESTree.Node | undefined = node; n; n = n.parent) if (n.parent && lists.has(n.parent)) return n;
  return undefined;
}

/**
 * The function both modules export: the prelude, then the region in an inner function whose `return`
 * statements are the region's own; falling through yields the record of its results.
 */
export function regionFunction(
  exportName: string,
  text: string,
  site: RegionSite,
  regionRange: Range,
  params: readonly string[],
  prelude: readonly Range[],
  outs: readonly string[],
): string {
  const isAsync = site.fn.async;
  const body = text.slice(regionRange[0], regionRange[1]);
  const inner = site.expression
    ? `return (${body});`
    : `${body}\n;return ${outs.length > 0 ? `{ ${outs.join(', ')} }` : 'undefined'};`;
  const lines = [
    `export ${isAsync ? 'async ' : ''}function ${exportName}(${params.join(', ')}) {`,
    ...prelude.map((r) => text.slice(r[0], r[1])),
    isAsync ? `return await (async () => {` : `return (() => {`,
    inner,
    `})();`,
    `}`,
  ];
  return `\n${lines.join('\n')}\n`;
}
