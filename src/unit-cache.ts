/**
 * Findings kept across re-lints of one file, so that an editor re-linting on every keystroke analyses
 * again only the code an edit can change.
 *
 * The units are the top-level statements, each class declared at the top cut into its header (up to the
 * body's `{`) and its members. A unit links the units that spell a name it declares at the module's top
 * level (a `let`, a `const` holding an object or code, a class with code in its header, an import used as
 * a value), and the groups are closed under that relation; a unit *reads* (and is not linked to) a
 * function, a `const` of plain values or a class header it names, and a member of its class it names as
 * a member (`this.m(…)`, `this.x`; typed, of any class): the reader's key holds the text of what it reads,
 * and what the function or method reads of its callers (their data, their `tf.tidy`) is noted and asked
 * again. Everything a rule's analysis of a unit reads about the rest of the file goes through such a name
 * (its callers, the `tf.grad(f)` that differentiates it, the data it reads, the module `let`s it writes), so
 * a group whose text is unchanged — and whose file-level context is unchanged: the imports, directives,
 * comments between statements, the rule's options and settings, the parser — gets the same findings. What
 * an analysis reads of the whole file by text (whether a fresh name is free, whether a name is declared at
 * the top, another module's file, a line number shown in a message) is recorded as it is asked, and asked
 * again before the recorded findings are reused. An answer asked again is itself kept from lint to lint
 * while the units that spell the names it looked up (a method's callers, found by its name) are what they
 * were (`Kept`).
 *
 * A file's first lint keeps nothing (a command-line run lints each file once); findings are kept from
 * the second on. They are replayed at the same listener call of the same unit as they were made (its
 * selector and its node's place in the unit), with their locations and fix ranges moved with the unit
 * they lie in. From the second lint on, the rules' listeners are called by one walk of the tree shared by
 * the cached rules, in ESLint's order, that enters a replayed statement only where it holds such a node
 * (`walkedAtExit`). A typed lint keeps them only while the
 * program's other files are the same (the checker reads them). `VECTORIZE_WHY` (it prints while analysing)
 * and `VECTORIZE_CACHE=0` analyse everything; `VECTORIZE_CACHE=1` keeps findings even for a file where an
 * edit reaches much of the text (which is otherwise analysed in full for a while: the bookkeeping would
 * cost more than it saves).
 */
import fs from 'node:fs';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { Scope } from '@typescript-eslint/utils/ts-eslint';
import { forEachChild, isNode, isStaticMember, isWrittenTo, mentionCount, mentions } from './ast/predicates.js';
import { findTfBinding, tfModuleOptions, type TfBinding } from './analysis/tf-binding.js';
import { memberName } from './analysis/module-functions.js';
import { namesRead, nodeAt, nodeWithRange } from './ast/names.js';
import { ASYNC_READS, GRAD_OPS, OPTIMIZER_METHODS, SYNC_READS } from './analysis/tensor-kinds.js';

// ---- what analyses read of the whole file --------------------------------------------------------------

type Query =
  | { kind: 'mentions' | 'word' | 'declared'; name: string; answer: boolean }
  | { kind: 'count'; name: string; answer: number }
  /** Asks again what was read outside the file (another module): true while the answer stands. */
  | { kind: 'outside'; recheck: () => boolean }
  /**
   * An answer an analysis computes from other units (see `registerCheck`), as text; `at`: the node of
   * the group it was asked about (found again, moved with its unit, on a later lint).
   */
  | { kind: 'computed'; check: string; args: readonly string[]; answer: string; at?: AnchoredNode; kept?: Kept };

/**
 * What a computed answer read when it was last worked out, to keep it from lint to lint without working it out
 * again: it stands while the units that spell the names it looked up are what they were (their groups' keys:
 * their text and what their analyses read), and what it asked of the whole file is still so.
 */
interface Kept {
  /** The names whose every occurrence it looked at (`noteNameRead`). */
  names: readonly string[];
  /** What it asked of the whole file (a name's mentions, a declaration, another module). */
  queries: readonly Query[];
  /** It shows a line: the lines of those units count too. */
  lines: boolean;
  /** Its check reads those units by name (`registerCheck`): their text, not their groups' keys. */
  byName: boolean;
  /** Those units as they were (see `footprintOf`). */
  footprint: readonly string[];
}

/** What a computed query is asked again with: the new lint's file, its TF.js binding and its parser. */
export interface CheckContext {
  sourceCode: Readonly<TSESLint.SourceCode>;
  binding: TfBinding;
  parser: unknown;
  /** The node the answer was noted for (`noteComputed`'s `node`), in the new lint's tree. */
  node?: TSESTree.Node;
}

interface Check {
  compute: (context: CheckContext, args: readonly string[]) => string;
  byName: boolean;
}

const checks = new Map<string, Check>();

/**
 * Registers how to compute a query's answer again on a later lint (from nothing of the lint that
 * recorded it): `noteComputed(check, args, answer)` then keeps findings only while it gives `answer`.
 * `byName`: what the check reads outside the node it is asked about and the file's imports, it reads in the
 * units that spell the names it looks up (`noteNameRead`), and their classes' headers — not through those
 * units' own reads (the declarations of what they spell, the checker's types).
 */
export function registerCheck(
  check: string,
  compute: (context: CheckContext, args: readonly string[]) => string,
  { byName = false }: { byName?: boolean } = {},
): void {
  checks.set(check, { compute, byName });
}

/**
 * Notes that an analysis used `answer`, which `check` (registered) computes from `args` on any lint, and from
 * `node` (a node of the units being recorded, which the check is given again as it stands then).
 */
export function noteComputed(check: string, args: readonly string[], answer: string, node?: TSESTree.Node): void {
  // Working out an answer (`computeKept`), an answer it uses is read through the names it looks up.
  if (!recording || recording.collect) return;
  if (!node) {
    recording.queries.push({ kind: 'computed', check, args, answer });
    return;
  }
  // Captured for a memo: anchored in the group of each recording it is replayed into.
  if (recording.pending) recording.pending.push({ check, args, answer, node });
  else recording.queries.push(anchored(recording, check, args, answer, node));
}

function anchored(into: Recording, check: string, args: readonly string[], answer: string, node: TSESTree.Node): Query {
  const at = into.anchorOf?.(node);
  // A node outside the group's units cannot be found again: the findings are not kept.
  return at ? { kind: 'computed', check, args, answer, at } : { kind: 'outside', recheck: () => false };
}

/** A computed query about a node, noted while a memo's value was computed: anchored as it is replayed. */
interface PendingQuery {
  check: string;
  args: readonly string[];
  answer: string;
  node: TSESTree.Node;
}

/** What an analysis asked while it ran, to be told again whenever its memoized result is used. */
export interface Captured {
  queries: Query[];
  lines: boolean;
  pending?: PendingQuery[];
}

/**
 * Runs `compute`, collecting the queries it makes. A memo (TensorFacts' views) stores them with the value and
 * calls `replayCaptured` on each later use, so that a group whose analysis uses a value another group
 * computed still records what the value depends on.
 */
export function captureQueries<T>(compute: () => T): [T, Captured | undefined] {
  const outer = recording;
  if (!outer) return [compute(), undefined];
  const inner: Recording = { queries: [], lines: false, pending: [] };
  recording = inner;
  try {
    return [compute(), inner];
  } finally {
    recording = outer;
    replayCaptured(inner);
  }
}

/** Adds what a memoized value's computation asked to the recording under way. */
export function replayCaptured(captured: Captured | undefined): void {
  if (!recording || !captured) return;
  if (captured.lines) recording.lines = true;
  for (const q of captured.queries) if (!recording.collect || q.kind !== 'computed') recording.queries.push(q);
  if (recording.collect) return;
  for (const q of captured.pending ?? []) {
    if (recording.pending) recording.pending.push(q);
    else recording.queries.push(anchored(recording, q.check, q.args, q.answer, q.node));
  }
}

interface Recording {
  queries: Query[];
  /** A message shows a line number: the lines of the group's units (and those it reads) must not have moved. */
  lines: boolean;
  /** A node of the group as an offset into its units (for a computed query's node). */
  anchorOf?: (node: TSESTree.Node) => AnchoredNode | undefined;
  /** While a memo's value is computed (`captureQueries`): the computed queries about a node. */
  pending?: PendingQuery[];
  /** While an answer is worked out to be kept (`computeKept`): computed queries are not noted. */
  collect?: boolean;
}

/** The group whose listeners run now, when its findings are being recorded. */
let recording: Recording | undefined;

/** Whether `name` occurs anywhere in the file as a whole identifier (comments and strings included). */
export function mentionsInFile(sourceCode: Readonly<TSESLint.SourceCode>, name: string): boolean {
  const answer = mentions(sourceCode.text, name);
  recording?.queries.push({ kind: 'mentions', name, answer });
  return answer;
}

/** How often `name` occurs in the file as a whole identifier (comments and strings included). */
export function mentionsCountInFile(sourceCode: Readonly<TSESLint.SourceCode>, name: string): number {
  const answer = mentionCount(sourceCode.text, name);
  recording?.queries.push({ kind: 'count', name, answer });
  return answer;
}

/**
 * The findings being recorded cannot be kept (an analysis read something of the file no query can ask
 * again); they are made afresh on every lint.
 */
export function noteNotKept(): void {
  recording?.queries.push({ kind: 'outside', recheck: () => false });
}

/** Whether `word` occurs in the file between word boundaries (`\b`). */
export function wordInFile(sourceCode: Readonly<TSESLint.SourceCode>, word: string): boolean {
  const answer = wordIn(sourceCode.text, word);
  recording?.queries.push({ kind: 'word', name: word, answer });
  return answer;
}

const wordIn = (text: string, word: string): boolean => new RegExp(`\\b${word}\\b`).test(text);

/** Whether a scope just below the global one (the module's, or a top-level function's in a script) declares `name`. */
export function declaredBelowGlobal(sourceCode: Readonly<TSESLint.SourceCode>, name: string): boolean {
  const answer = declaredIn(sourceCode, name);
  recording?.queries.push({ kind: 'declared', name, answer });
  return answer;
}

const declaredIn = (sourceCode: Readonly<TSESLint.SourceCode>, name: string): boolean =>
  sourceCode.scopeManager?.globalScope?.childScopes.some((s) => s.set.has(name)) ?? false;

/** The line `node` starts on, for a message: findings that show it are reused only where it did not move. */
export function lineOf(node: TSESTree.Node): number {
  if (recording) recording.lines = true;
  return node.loc.start.line;
}

/**
 * The line `node` starts on, in an answer noted for findings kept across re-lints (`noteComputed`), which holds
 * it: while the answer is worked out to be kept (`computeKept`), the lines of what it read count.
 */
export function lineInAnswer(node: TSESTree.Node): number {
  if (recording?.collect) recording.lines = true;
  return node.loc.start.line;
}

/**
 * Notes that an analysis read something outside the file (another module): `recheck` says whether what it
 * read then is still so. It must hold no node of this lint.
 */
export function noteOutsideRead(recheck: () => boolean): void {
  recording?.queries.push({ kind: 'outside', recheck });
}

/** A file's modification time, undefined when it is missing. */
export function mtimeOf(path: string): number | undefined {
  try {
    return fs.statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The answers computed queries were given again on a lint (whose parser is every rule's). */
const lintAnswers = new WeakMap<object, Map<string, LintAnswer>>();

/** A TF.js binding as text, for `lintAnswers`: the rules of a lint find the same binding (but not the same object). */
const bindingTexts = new WeakMap<TfBinding, string>();
function bindingText(binding: TfBinding): string {
  let t = bindingTexts.get(binding);
  if (t === undefined)
    bindingTexts.set(
      binding,
      (t = JSON.stringify([binding.namespace, binding.requiredFrom, [...binding.named], [...binding.types]])),
    );
  return t;
}

/** A computed answer on a lint, with what it read (undefined where it cannot be kept). */
interface LintAnswer {
  answer: string;
  kept?: Kept;
}

/**
 * Works out an answer, noting the names it looks up and what it asks of the whole file (`Kept`); with no
 * `footprint` (a file where a name may be spelled with an escape), the answer alone.
 */
function computeKept(
  { compute, byName }: Check,
  context: CheckContext,
  args: readonly string[],
  footprint: Footprint | undefined,
): LintAnswer {
  const outer = recording;
  const collector: Recording = { queries: [], lines: false, collect: true };
  recording = collector;
  let answer: string;
  let names: Set<string>;
  try {
    [answer, names] = namesRead(() => compute(context, args));
  } finally {
    recording = outer;
  }
  if (!footprint) return { answer };
  const list = [...names];
  return {
    answer,
    kept: {
      names: list,
      queries: collector.queries,
      lines: collector.lines,
      byName,
      footprint: footprint(list, collector.lines, byName),
    },
  };
}

function stillTrue(
  sourceCode: Readonly<TSESLint.SourceCode>,
  q: Query,
  check: CheckContext | undefined,
  locate: (at: AnchoredNode) => TSESTree.Node | undefined,
  footprint: Footprint | undefined,
): boolean {
  switch (q.kind) {
    case 'computed': {
      const registered = checks.get(q.check);
      if (!registered || !check) return false;
      const node = q.at && locate(q.at);
      if (q.at && !node) return false;
      // Asked once per lint: the four rules (and the groups of one) ask the same of a method's callers.
      let answers = lintAnswers.get(sourceCode);
      if (!answers) lintAnswers.set(sourceCode, (answers = new Map<string, LintAnswer>()));
      const key = `${bindingText(check.binding)}\0${q.check}\0${q.args.join('\0')}\0${node ? `${node.type}${node.range.join()}` : ''}`;
      let got = answers.get(key);
      if (got === undefined) {
        // Kept from the last lint while what it read stands (the node asked about is in the group being
        // replayed, whose key is what it was).
        const kept = q.kept;
        if (
          kept &&
          footprint &&
          sameItems(footprint(kept.names, kept.lines, kept.byName), kept.footprint) &&
          kept.queries.every((k) => stillTrue(sourceCode, k, check, locate, footprint))
        ) {
          unitCacheStats.keptAnswers++;
          got = { answer: q.answer, kept };
        } else got = computeKept(registered, node ? { ...check, node } : check, q.args, footprint);
        answers.set(key, got);
      }
      if (got.answer !== q.answer) return false;
      q.kept = got.kept;
      return true;
    }
    case 'mentions':
      return mentions(sourceCode.text, q.name) === q.answer;
    case 'count':
      return mentionCount(sourceCode.text, q.name) === q.answer;
    case 'word':
      return wordIn(sourceCode.text, q.name) === q.answer;
    case 'declared':
      return declaredIn(sourceCode, q.name) === q.answer;
    case 'outside':
      return q.recheck();
  }
}

// ---- the file's units, in groups ---------------------------------------------------------------------

/**
 * A unit of the layout: a top-level statement, or a part of a class the module declares at the top (which
 * is cut into its header, up to the body's `{`, and each of its members: an edit in one method then leaves
 * the others' findings standing).
 */
interface Unit {
  /** The statement (a header's too), or the class member. */
  node: TSESTree.Node;
  range: [number, number];
  /** The line it starts on. */
  line: number;
  kind: 'statement' | 'header' | 'member';
}

interface Layout {
  units: Unit[];
  /** Each unit with the rest of its first and last lines (and the last line's newline). */
  spans: [number, number][];
  /**
   * The group of each unit; -1 for a statement every group depends on (imports, directives) and for an
   * interface or type alias (in the key of the groups that name it).
   */
  group: number[];
  members: number[][];
  /** Each unit's place among its group's members. */
  memberIndex: number[];
  globals: number[];
  /** The file-level context: the statements every group depends on and the directive comments between units. */
  fileKey: string;
  /** Each group's text, as a map key; undefined where two groups read the same (their findings may differ). */
  keys: (string | undefined)[];
  /** Each group's units and those of the groups it reads (whose lines a message may show), in file order. */
  keyed: (group: number) => ArrayLike<number>;
  /** The groups whose key holds each unit. */
  affects: number[][];
  /** The groups whose key holds each unit's signature, and the length of that (see `UnitNames.signature`). */
  signatureAffects: number[][];
  signatureLength: number[];
  /** What the units that spell some names are on this lint (`footprintOf`); none in a file with a `\u` escape. */
  footprint?: Footprint;
  /** `worthCaching`'s answer, once worked out. */
  worth?: boolean;
}

/** The units that spell any of `names` as they are on a lint (see `Kept` and `footprintOf`). */
type Footprint = (names: readonly string[], lines: boolean, byName: boolean) => string[];

const layouts = new WeakMap<object, Layout | undefined>();

/** The names a unit spells (identifiers, keywords) and the members of the classes it holds. */
interface UnitNames {
  names: string[];
  /** A statement's: the methods of the classes it holds that are found by name (module-functions.ts's `callsOf`). */
  members: string[];
  /**
   * The names it spells as a member of something (`x.m`, `x?.m`, `this.#m`, `x['m']`, a key of an object
   * or a pattern: `{ m }`, `{ m: y }`): a class's member is read only so.
   */
  dotted: string[];
  /** A class member's: the names of its class's members it declares (its own; a constructor's parameter properties). */
  declares: string[];
  /**
   * A constructor's: the fields it assigns (`this.x = …`), from which the checker infers the type of a
   * field of a TypeScript class declared without one.
   */
  assigns: string[];
  /**
   * It holds no code for a rule to analyse and no object: no call, `new`, function, template, `await`,
   * array or object literal, and no class but (a header's) its own.
   */
  inert: boolean;
  /** It spells a differentiating API's name (`grad`, `minimize`, a layer's `call`). */
  differentiates: boolean;
  /** A statement's: the interface or type alias it declares. */
  typeName?: string;
  /**
   * A class member's: a method, or a field (an analysis reads a field's declaration, not what other members
   * put in it), not a static block.
   */
  member: boolean;
  /**
   * A class member's whose type the checker takes from its text up to its body or value alone: a method or
   * getter with a return type, a field with a type (or an arrow function with one). The length of that text,
   * and the names its types and its parameters' defaults spell.
   */
  signature?: { length: number; names: string[] };
}

/** Assignment operators, for `this.x = …` in a class member. */
const ASSIGNS = new Set([
  '=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '**=',
  '<<=',
  '>>=',
  '>>>=',
  '&=',
  '|=',
  '^=',
  '&&=',
  '||=',
  '??=',
  '++',
  '--',
]);

/** Tokens after which a unit is not inert (`class` is counted apart). */
const CODE_TOKENS = new Set(['(', '=>', '[', '{', 'new', 'function', 'await', 'yield', 'import']);

/** A class member's name (`m`, `#m`; and `'m'`, which the checker reads as `m`); undefined for a computed one. */
function memberKey(member: TSESTree.Node): string | undefined {
  if (!('key' in member) || !member.key) return undefined;
  const key = member.key as TSESTree.Node;
  const computed = 'computed' in member && member.computed;
  return (
    memberName(key, computed) ?? (!computed && key.type === AST_NODE_TYPES.Literal ? String(key.value) : undefined)
  );
}

/** See `UnitNames.signature`. */
function typedSignature(member: TSESTree.Node): UnitNames['signature'] {
  const names = new Set<string>();
  const spell = (node: TSESTree.Node | null | undefined): void => {
    if (!node) return;
    if (node.type === AST_NODE_TYPES.Identifier || node.type === AST_NODE_TYPES.PrivateIdentifier) names.add(node.name);
    else if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') names.add(node.value);
    forEachChild(node, spell);
  };
  const fn = (f: TSESTree.FunctionLike): boolean => {
    if (!f.returnType) return false;
    spell(f.typeParameters);
    spell(f.returnType);
    for (const p of f.params)
      if (p.type === AST_NODE_TYPES.AssignmentPattern) {
        spell(p.left.typeAnnotation);
        spell(p.right);
      } else if (p.type === AST_NODE_TYPES.TSParameterProperty) spell(p);
      else spell(p.typeAnnotation);
    return true;
  };
  let end: number;
  switch (member.type) {
    case AST_NODE_TYPES.MethodDefinition:
    case AST_NODE_TYPES.TSAbstractMethodDefinition:
      if ((member.kind !== 'method' && member.kind !== 'get') || !fn(member.value)) return undefined;
      end = member.value.body?.range[0] ?? member.range[1];
      break;
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.TSAbstractPropertyDefinition:
    case AST_NODE_TYPES.AccessorProperty:
    case AST_NODE_TYPES.TSAbstractAccessorProperty: {
      const value = member.value;
      if (member.typeAnnotation) {
        spell(member.typeAnnotation);
        end = value?.range[0] ?? member.range[1];
      } else if (
        (value?.type === AST_NODE_TYPES.ArrowFunctionExpression || value?.type === AST_NODE_TYPES.FunctionExpression) &&
        fn(value)
      )
        end = value.body.range[0];
      else return undefined;
      break;
    }
    default:
      return undefined;
  }
  return { length: end - member.range[0], names: [...names] };
}

/** A scope with more variables than this has its declared ones looked up by the names units spell. */
const MAX_SCANNED_VARIABLES = 400;

/** How many files the caches keep (those re-linted most recently). */
const MAX_FILES = 64;

/** A unit's text as last seen: a number for it (in group keys) and the names it spells. */
interface SeenText {
  id: number;
  names: UnitNames;
  /** The same number for texts that spell the same names (`namesId`). */
  namesId: number;
  /** The file's layout count when it was last seen. */
  lint: number;
}

/**
 * Unit texts and groups' findings that a re-lint no longer has are kept for this many more
 * re-lints: an undo, or an edit typed and deleted again, brings a unit's text back, and with it the
 * number the text had (group keys are made of these numbers) and the findings kept for its group.
 */
const KEEP_LINTS = 8;

/** Per file, by a unit's own text: what the last re-lints found, and how many layouts were made. */
const namesSeen = new Map<string, FileTexts>();

/** The next unit text's number: never reused (group keys are made of these numbers). */
let nextTextId = 0;

/** The first token at or after `start`, by binary search. */
function tokenAt(tokens: readonly TSESTree.Token[], start: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].range[0] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the tokens of `nodes` hold no code (see `UnitNames.inert`). */
function inertNodes(nodes: readonly (TSESTree.Node | null | undefined)[], tokens: readonly TSESTree.Token[]): boolean {
  for (const node of nodes) {
    if (!node) continue;
    for (let k = tokenAt(tokens, node.range[0]); k < tokens.length && tokens[k].range[0] < node.range[1]; k++) {
      const tok = tokens[k];
      if (tok.type === 'Template' || CODE_TOKENS.has(tok.value) || (tok.type === 'Keyword' && tok.value === 'class'))
        return false;
    }
  }
  return true;
}

/** Whether a class's header holds no code: its decorators and base class. */
const headerInert = (cls: TSESTree.ClassDeclaration, tokens: readonly TSESTree.Token[]): boolean =>
  inertNodes([...(cls.decorators ?? []), cls.superClass], tokens);

/** The code a unit runs, for `inert`: a `const`'s values, a header's decorators and base class, a field's value. */
function unitInert(unit: Unit, tokens: readonly TSESTree.Token[]): boolean {
  const node = unit.node;
  if (unit.kind === 'header') return headerInert(classOf(node)!, tokens);
  if (unit.kind === 'member') {
    switch (node.type) {
      case AST_NODE_TYPES.PropertyDefinition:
      case AST_NODE_TYPES.AccessorProperty:
        return !node.computed && inertNodes([...node.decorators, node.value], tokens);
      case AST_NODE_TYPES.TSAbstractPropertyDefinition:
      case AST_NODE_TYPES.TSAbstractAccessorProperty:
      case AST_NODE_TYPES.TSIndexSignature:
        return true;
      default:
        return false;
    }
  }
  const d = declarationOf(node);
  return (
    d?.type === AST_NODE_TYPES.VariableDeclaration &&
    d.kind === 'const' &&
    d.declarations.every((v) => v.id.type === AST_NODE_TYPES.Identifier && v.init && inertNodes([v.init], tokens))
  );
}

function unitNames(unit: Unit, tokens: readonly TSESTree.Token[]): UnitNames {
  const [start, end] = unit.range;
  const names = new Set<string>();
  const members: string[] = [];
  const declares: string[] = [];
  const assigns: string[] = [];
  const dotted = new Set<string>();
  const constructor = unit.node.type === AST_NODE_TYPES.MethodDefinition && unit.node.kind === 'constructor';
  for (let k = tokenAt(tokens, start); k < tokens.length && tokens[k].range[0] < end; k++) {
    const tok = tokens[k];
    // `this['m']`, `this.#m`: the member `m`, `#m`.
    if (tok.type === 'String') {
      const value = tok.value.slice(1, -1);
      if (/^[\w$]+$/.test(value)) {
        names.add(value);
        dotted.add(value);
      }
      continue;
    }
    if (tok.type === 'PrivateIdentifier') {
      names.add(`#${tok.value}`);
      dotted.add(`#${tok.value}`);
      continue;
    }
    if (tok.type !== 'Identifier' && tok.type !== 'Keyword' && tok.type !== 'JSXIdentifier') continue;
    names.add(tok.value);
    const before = tokens[k - 1]?.value;
    const next = tokens[k + 1]?.value;
    if (
      before === '.' ||
      before === '?.' ||
      ((before === '{' || before === ',') && (next === ',' || next === '}' || next === ':' || next === '='))
    )
      dotted.add(tok.value);
    if (constructor && tok.value === 'this' && next === '.') {
      const name = tokens[k + 2];
      const after = tokens[k + 3]?.value;
      if (
        name &&
        (name.type === 'Identifier' || name.type === 'PrivateIdentifier') &&
        ((after !== undefined && ASSIGNS.has(after)) || before === '++' || before === '--')
      )
        assigns.push(name.type === 'PrivateIdentifier' ? `#${name.value}` : name.value);
    }
    if (unit.kind !== 'statement' || tok.type !== 'Keyword' || tok.value !== 'class') continue;
    const cls = nodeAt(unit.node, tok.range[0]);
    if (cls.type !== AST_NODE_TYPES.ClassDeclaration && cls.type !== AST_NODE_TYPES.ClassExpression) continue;
    // callsOf looks for the calls of a method that is private, or whose class is declared and not exported.
    const exported =
      cls.type !== AST_NODE_TYPES.ClassDeclaration ||
      cls.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration ||
      cls.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration;
    for (const m of cls.body.body) {
      const method =
        m.type === AST_NODE_TYPES.MethodDefinition ||
        (m.type === AST_NODE_TYPES.PropertyDefinition &&
          (m.value?.type === AST_NODE_TYPES.ArrowFunctionExpression ||
            m.value?.type === AST_NODE_TYPES.FunctionExpression));
      if (!method) continue;
      if (m.computed || m.static || m.key.type !== AST_NODE_TYPES.Identifier) continue;
      if (exported && m.accessibility !== 'private') continue;
      members.push(m.key.name);
    }
  }
  if (unit.kind === 'member') {
    const own = memberKey(unit.node);
    if (own !== undefined) declares.push(own);
    // A constructor's parameter properties (`constructor(private readonly width: number)`).
    if (constructor)
      for (const param of (unit.node as TSESTree.MethodDefinition).value.params) {
        if (param.type !== AST_NODE_TYPES.TSParameterProperty) continue;
        const id = param.parameter.type === AST_NODE_TYPES.AssignmentPattern ? param.parameter.left : param.parameter;
        if (id.type === AST_NODE_TYPES.Identifier) declares.push(id.name);
      }
  }
  const list = [...names];
  const node = unit.node;
  const typeName = unit.kind === 'statement' ? typeDeclaration(node)?.id.name : undefined;
  const signature = unit.kind === 'member' ? typedSignature(node) : undefined;
  return {
    names: list,
    dotted: [...dotted],
    members,
    declares,
    assigns,
    inert: unitInert(unit, tokens),
    differentiates: list.some((m) => GRAD_OPS.has(m) || OPTIMIZER_METHODS.has(m) || m === 'call'),
    ...(typeName !== undefined ? { typeName } : {}),
    member: unit.kind === 'member' && node.type !== AST_NODE_TYPES.StaticBlock,
    ...(signature ? { signature } : {}),
  };
}

/** What a statement declares, `export` (or `export default`) or not. */
function declarationOf(statement: TSESTree.Node): TSESTree.Node | null | undefined {
  return statement.type === AST_NODE_TYPES.ExportNamedDeclaration ||
    statement.type === AST_NODE_TYPES.ExportDefaultDeclaration
    ? statement.declaration
    : statement;
}

/** The class a statement declares (`class A`, `export class A`, `export default class`). */
function classOf(statement: TSESTree.Node): TSESTree.ClassDeclaration | undefined {
  const d = declarationOf(statement);
  return d?.type === AST_NODE_TYPES.ClassDeclaration ? d : undefined;
}

/**
 * The statement that declares a function at the top by `def` (`function f`, `const f = (…) => …`, exported
 * or not), or -1.
 */
function functionStatement(units: readonly Unit[], def: Scope.Definition): number {
  const i = unitAt(units, def.node.range[0]);
  const u = units[i]?.kind === 'statement' ? units[i].node : undefined;
  const d = u?.type === AST_NODE_TYPES.ExportNamedDeclaration ? u.declaration : u;
  if (d?.type === AST_NODE_TYPES.FunctionDeclaration) return d === def.node ? i : -1;
  if (d?.type !== AST_NODE_TYPES.VariableDeclaration || d.kind !== 'const' || d.declarations.length !== 1) return -1;
  const init = d.declarations[0].init;
  return d.declarations[0] === def.node &&
    (init?.type === AST_NODE_TYPES.ArrowFunctionExpression || init?.type === AST_NODE_TYPES.FunctionExpression)
    ? i
    : -1;
}

/** The interface or type alias a statement declares (`export` or not). */
function typeDeclaration(
  u: TSESTree.Node,
): TSESTree.TSInterfaceDeclaration | TSESTree.TSTypeAliasDeclaration | undefined {
  const d = declarationOf(u);
  return d?.type === AST_NODE_TYPES.TSInterfaceDeclaration || d?.type === AST_NODE_TYPES.TSTypeAliasDeclaration
    ? d
    : undefined;
}

function layoutOf(
  sourceCode: Readonly<TSESLint.SourceCode>,
  filename: string,
  binding: TfBinding | undefined,
): Layout | undefined {
  if (layouts.has(sourceCode)) return layouts.get(sourceCode);
  const layout = computeLayout(sourceCode, filename, binding);
  layouts.set(sourceCode, layout);
  return layout;
}

/**
 * The members of a tensor whose uses an analysis reads wherever they are (a read-back, a disposal, the
 * shape a destructuring gives a rank): an import used so may be a tensor.
 */
const TENSOR_USES = new Set(['dispose', 'shape', 'rank', 'size', 'dtype', 'assign', ...SYNC_READS, ...ASYNC_READS]);

/**
 * An import whose binding links no units: a namespace (`import * as data from './data'`: no unit's
 * analysis reads another's use of it), or a binding only called, constructed, extended, named as a type or
 * whose members are read (`performance.now()`, `NoteSequence.Note`), but none of a tensor's `TENSOR_USES`
 * (a function, a class, an object of helpers: no tensor or data whose every use an analysis reads). What an
 * analysis reads of the imported module is noted apart (`noteOutsideRead`), and the import statements are
 * the file's context.
 */
function inertImport(v: Scope.Variable): boolean {
  if (v.defs.length !== 1 || v.defs[0].type !== 'ImportBinding') return false;
  if (v.defs[0].node.type === AST_NODE_TYPES.ImportNamespaceSpecifier) return true;
  return v.references.every((r) => {
    if (r.isTypeReference) return true;
    const id = r.identifier;
    const p = id.parent;
    // Not written: `config.batchSize = 8` changes what another unit reads.
    if (p && isStaticMember(p, v.name) && p.object === id && !TENSOR_USES.has(p.property.name)) return !isWrittenTo(p);
    return (
      ((p?.type === AST_NODE_TYPES.CallExpression || p?.type === AST_NODE_TYPES.NewExpression) && p.callee === id) ||
      ((p?.type === AST_NODE_TYPES.ClassDeclaration || p?.type === AST_NODE_TYPES.ClassExpression) &&
        p.superClass === id)
    );
  });
}

/**
 * Whether a class's units can be analysed apart: its header holds no code, and the checker infers no field
 * from a JavaScript assignment.
 */
function splitClass(
  statement: TSESTree.ProgramStatement,
  typedScript: boolean,
  tokens: readonly TSESTree.Token[],
): TSESTree.ClassDeclaration | undefined {
  const cls = classOf(statement);
  return cls && !typedScript && cls.body.body.length > 0 && headerInert(cls, tokens) ? cls : undefined;
}

/** What the structure of a file's groups is made of, per top-level variable (see `computeStructure`). */
interface VarFact {
  name: string;
  /** It links the units that spell it (not an inert import: `inertImport`). */
  declared: boolean;
  /** The unit of each declaration. */
  units: number[];
  /** The top-level function statement that is its one declaration, never assigned again; -1 if none. */
  fn: number;
}

/**
 * The groups of a file's units and what each group's key holds, as units (not texts): kept while the file's
 * structure stands.
 */
interface Structure {
  /** What it was computed from: the units' kinds and names, the variables, the implicit globals. */
  signature: string;
  group: number[];
  members: number[][];
  memberIndex: number[];
  globals: number[];
  /** Each group's members and the units of the groups it reads. */
  read: number[][];
  /** Each group's context in its key: the units of the groups it reads and the types they name, in file order. */
  context: Int32Array[];
  /** The groups whose key holds each unit. */
  affects: number[][];
  /** The groups whose key holds each unit's signature (`UnitNames.signature`). */
  signatureAffects: number[][];
  /** The units that spell each name asked for (`footprintOf`), found once per structure. */
  spelled?: Map<string, number[]>;
}

/** What the last layout of a file was made of, to make the next one from. */
interface LastLayout {
  kinds: Unit['kind'][];
  texts: string[];
  infos: (SeenText | undefined)[];
  unitKeys: string[];
  structure: Structure;
  keys: string[];
  fileKey: string;
}

/** Per file: the statement texts seen in the last re-lints (by text), and the last layout. */
interface FileTexts {
  lint: number;
  texts: Map<string, SeenText>;
  last?: LastLayout;
  /** The names the units of the last lint that looked them up spell, and the numbers of those units' names. */
  spelled?: { key: string; names: readonly string[] };
}

/** Where a unit's text is looked for among the last lint's units, from the place of the unit before it. */
const SHIFTS = [0, 1, -1, 2, -2];

/**
 * A unit's text as a key of `FileTexts.texts` (a header's and a member's apart from a statement's: `x = 1;` may
 * be either).
 */
const textKey = (kind: Unit['kind'], own: string): string => (kind === 'statement' ? own : `${kind}\u0003${own}`);

/** Numbers for the names units spell, by what they hold (two texts that spell the same names link alike). */
const namesIds = new Map<string, number>();

/** The next such number: never reused (a structure's signature is made of these numbers). */
let nextNamesId = 0;

/** How many names' numbers are kept (those of every unit an editor session typed; forgotten ones get new numbers). */
const MAX_NAMES_IDS = 10000;

function namesId(names: UnitNames): number {
  const key = JSON.stringify(names);
  let id = namesIds.get(key);
  if (id === undefined) {
    if (namesIds.size >= MAX_NAMES_IDS) namesIds.clear();
    namesIds.set(key, (id = nextNamesId++));
  }
  return id;
}

function computeLayout(
  sourceCode: Readonly<TSESLint.SourceCode>,
  filename: string,
  binding: TfBinding | undefined,
): Layout | undefined {
  const text = sourceCode.text;
  const program = sourceCode.ast;
  const global = sourceCode.scopeManager?.globalScope;
  if (!global) return undefined;
  // The units: the statements, each class declared at the top cut into its header and members.
  const typed = !!sourceCode.parserServices?.program;
  const typedScript = typed && !/\.[cm]?tsx?$/.test(filename);
  const tokens = program.tokens ?? [];
  const units: Unit[] = [];
  /** Each member's header. */
  const headerOf = new Map<number, number>();
  for (const statement of program.body) {
    const cls = splitClass(statement, typedScript, tokens);
    if (!cls) {
      units.push({ node: statement, range: statement.range, line: statement.loc.start.line, kind: 'statement' });
      continue;
    }
    const header = units.length;
    units.push({
      node: statement,
      range: [statement.range[0], cls.body.range[0] + 1],
      line: statement.loc.start.line,
      kind: 'header',
    });
    for (const member of cls.body.body) {
      headerOf.set(units.length, header);
      units.push({ node: member, range: member.range, line: member.loc.start.line, kind: 'member' });
    }
  }
  const n = units.length;
  const spans: [number, number][] = units.map((u) => {
    const s = text.lastIndexOf('\n', u.range[0] - 1) + 1;
    let e = text.indexOf('\n', u.range[1]);
    e = e < 0 ? text.length : e + 1;
    return [s, e];
  });
  const isGlobal = units.map(({ node: u, kind }) =>
    kind !== 'statement'
      ? false
      : u.type === AST_NODE_TYPES.ImportDeclaration ||
        u.type === AST_NODE_TYPES.ExportAllDeclaration ||
        u.type === AST_NODE_TYPES.TSImportEqualsDeclaration ||
        (u.type === AST_NODE_TYPES.ExportNamedDeclaration && u.source !== null) ||
        (u.type === AST_NODE_TYPES.ExpressionStatement && u.directive !== undefined) ||
        // `declare global { … }`, `declare module '…'`, a namespace: may change what any name means.
        u.type === AST_NODE_TYPES.TSModuleDeclaration ||
        (u.type === AST_NODE_TYPES.ExportNamedDeclaration &&
          u.declaration?.type === AST_NODE_TYPES.TSModuleDeclaration),
  );
  // The names a unit spells are kept per unit text from one re-lint to the next: only the units an edit
  // touched are read again. Most units are the same text as the unit at about the same place in the last
  // lint (compared as text, which costs less than looking the text up); the others are looked up.
  let file = namesSeen.get(filename);
  if (!file) file = { lint: 0, texts: new Map() };
  namesSeen.delete(filename);
  namesSeen.set(filename, file);
  if (namesSeen.size > MAX_FILES) namesSeen.delete(namesSeen.keys().next().value!);
  const lint = ++file.lint;
  const last = file.last;
  const texts: string[] = new Array<string>(n);
  const infos: (SeenText | undefined)[] = new Array<SeenText | undefined>(n);
  const textIds = new Array<number>(n).fill(-1);
  // The place in the last lint's units of the unit at the same place: moved by units added or taken away.
  let shift = 0;
  for (let i = 0; i < n; i++) {
    const unit = units[i];
    const own = (texts[i] = text.slice(unit.range[0], unit.range[1]));
    if (isGlobal[i]) continue;
    let info: SeenText | undefined;
    if (last)
      for (const d of SHIFTS) {
        const k = i + shift + d;
        if (k >= 0 && k < last.texts.length && last.kinds[k] === unit.kind && last.texts[k] === own && last.infos[k]) {
          info = last.infos[k];
          shift += d;
          break;
        }
      }
    if (!info) {
      const key = textKey(unit.kind, own);
      info = file.texts.get(key);
      if (!info) {
        const names = unitNames(unit, tokens);
        info = { id: nextTextId++, names, namesId: namesId(names), lint };
        file.texts.set(key, info);
      }
    }
    info.lint = lint;
    infos[i] = info;
    textIds[i] = info.id;
  }
  // The texts an edit replaced are kept for a few re-lints (KEEP_LINTS), and some more until there are
  // more than twice as many as the file has units, and 64.
  if (file.texts.size > 2 * n + 64)
    for (const [key, info] of file.texts) if (lint - info.lint > KEEP_LINTS) file.texts.delete(key);
  const names = infos.map((info) => info?.names);
  // The variables declared at the top (module or global scope; not the implicit ones, which have no
  // declaration). Typed, the global scope also holds TypeScript's lib, 2,000 variables, and reading each
  // costs a re-lint a quarter of a millisecond: there, only the names a unit spells are looked up (only
  // those can link units), which costs more than reading a couple of hundred.
  const vars: Scope.Variable[] = [];
  // The names the units spell: the same as the last lint's while every unit spells what it did then.
  const spelledNames = (): readonly string[] => {
    let key = '';
    for (const info of infos) key += `${info?.namesId ?? '-'},`;
    if (file.spelled?.key === key) return file.spelled.names;
    const spelled = new Set<string>();
    for (const info of names) if (info) for (const name of info.names) spelled.add(name);
    file.spelled = { key, names: [...spelled] };
    return file.spelled.names;
  };
  const declaredIn = (scope: Scope.Scope): void => {
    if (scope.variables.length <= MAX_SCANNED_VARIABLES) {
      for (const v of scope.variables) if (v.defs.length > 0) vars.push(v);
      return;
    }
    for (const name of spelledNames()) {
      const v = scope.set.get(name);
      if (v && v.defs.length > 0) vars.push(v);
    }
  };
  declaredIn(global);
  for (const scope of global.childScopes) if (scope.type === 'module') declaredIn(scope);
  // Names declared at the top, less the TF.js namespace every statement uses.
  const namespace = binding?.namespace;
  const facts: VarFact[] = [];
  for (const v of vars) {
    if (v.name !== namespace) {
      let fn = v.defs.length === 1 ? functionStatement(units, v.defs[0]) : -1;
      if (fn >= 0 && !v.references.every((r) => !r.isWrite() || r.init)) fn = -1;
      facts.push({
        name: v.name,
        declared: !inertImport(v),
        units: v.defs.map((d) => unitAt(units, d.node.range[0])),
        fn,
      });
      continue;
    }
    // `const tf = require('@tensorflow/tfjs')`: the file's context, as an import is; anything more in
    // that statement could be analysed, so such a file is not cached.
    for (const def of v.defs) {
      const i = unitAt(units, def.node.range[0]);
      if (i < 0 || isGlobal[i]) continue;
      const u = units[i].node;
      if (
        units[i].kind !== 'statement' ||
        u.type !== AST_NODE_TYPES.VariableDeclaration ||
        u.declarations.length !== 1 ||
        !/^require\s*\(\s*(['"])[^'"]*\1\s*\)$/.test(
          u.declarations[0].init ? sourceCode.getText(u.declarations[0].init) : '',
        )
      )
        return undefined;
      isGlobal[i] = true;
      names[i] = undefined;
    }
  }
  // Implicit globals a script assigns.
  const implicit: string[] = [];
  for (const ref of global.through)
    if (ref.isWrite() && ref.identifier.name !== namespace) implicit.push(ref.identifier.name);
  const aliases = [...(binding?.named ?? [])].filter(([, imported]) => GRAD_OPS.has(imported)).map(([local]) => local);
  // The structure is what the last lint's was when all it is made of is the same (an edit within a
  // function's body that spells no new name, the usual keystroke).
  let signature = `${typed ? 1 : 0}${aliases.join()}\u0001${implicit.join()}\u0001`;
  for (let i = 0; i < n; i++) signature += `${units[i].kind[0]}${isGlobal[i] ? 'g' : (infos[i]?.namesId ?? '-')},`;
  signature += '\u0001';
  for (const f of facts) signature += `${f.name}:${f.declared ? 1 : 0}:${f.units.join('.')}:${f.fn},`;
  const structure =
    last?.structure.signature === signature
      ? last.structure
      : computeStructure(signature, units, names, isGlobal, headerOf, facts, implicit, aliases, typed);
  // Directive comments (`/* global x */`, `/* eslint … */`) belong to the file's context; other comments
  // between units are read by no analysis (a fix's removal of a comment lies in its unit's lines).
  const between: string[] = [];
  let u = 0;
  for (const c of program.comments ?? []) {
    while (u < n && units[u].range[1] <= c.range[0]) u++;
    if ((u === n || c.range[1] <= units[u].range[0]) && /^\s*(?:globals?|eslint|exported)\b/.test(c.value))
      between.push(c.value);
  }
  // The last lint's string when it is the same: every rule compares it with each group's entry's, and two
  // equal strings compare at once only when they are one string.
  let fileKey = JSON.stringify([structure.globals.map((i) => text.slice(...spans[i])), between]);
  if (last?.fileKey === fileKey) fileKey = last.fileKey;
  // A unit's text in a key: the number of its own text, and the rest of its first and last lines.
  const unitKeys = units.map((unit, i) => {
    const before = text.slice(spans[i][0], unit.range[0]);
    const after = text.slice(unit.range[1], spans[i][1]);
    return after === '\n' && /^ *$/.test(before)
      ? `${textIds[i]}.${before.length}`
      : `${textIds[i]}:${before}:${after}`;
  });
  const { members, context } = structure;
  const keyOf = (g: number): string => {
    let key = '';
    for (const i of members[g]) key += unitKeys[i] + '\u0002';
    key += '\u0001';
    for (const i of context[g])
      key += (i < n ? unitKeys[i] : `\u0003${texts[i - n].slice(0, names[i - n]!.signature!.length)}`) + '\u0002';
    return key;
  };
  // With the last lint's structure, only the keys that hold a unit whose text changed are made again.
  let raw: string[];
  if (last?.structure === structure) {
    raw = last.keys.slice();
    const redo = new Set<number>();
    for (let i = 0; i < n; i++)
      if (unitKeys[i] !== last.unitKeys[i]) {
        for (const g of structure.affects[i]) redo.add(g);
        for (const g of structure.signatureAffects[i]) redo.add(g);
      }
    for (const g of redo) raw[g] = keyOf(g);
  } else raw = members.map((_, g) => keyOf(g));
  file.last = { kinds: units.map((x) => x.kind), texts, infos, unitKeys, structure, keys: raw, fileKey };
  // Two groups that read the same: their findings may differ, neither is kept.
  const keys: (string | undefined)[] = raw.slice();
  const firstKey = new Map<string, number>();
  keys.forEach((k, i) => {
    const j = firstKey.get(k!);
    if (j === undefined) firstKey.set(k!, i);
    else keys[i] = keys[j] = undefined;
  });
  const { group, memberIndex, globals, read, affects, signatureAffects } = structure;
  const signatureLength = names.map((info) => info?.signature?.length ?? 0);
  const keyed = (g: number): Int32Array => Int32Array.from(read[g]).sort();
  // A name may be spelled with an escape (`\u0061`), which the units' names do not show.
  const footprint: Footprint | undefined = text.includes('\\u')
    ? undefined
    : (asked, lines, byName) =>
        footprintOf(structure, names, units, byName ? undefined : raw, unitKeys, headerOf, asked, lines);
  return {
    units,
    spans,
    group,
    members,
    memberIndex,
    globals,
    fileKey,
    keys,
    keyed,
    affects,
    signatureAffects,
    signatureLength,
    ...(footprint ? { footprint } : {}),
  };
}

/**
 * The units that spell any of `asked`: the key of each one's group (its text and what its analyses read), or
 * a unit's own key where it is in no group (an interface, a type alias), with each unit's line if `lines`.
 * Without group `keys` (a check that reads by name), each unit's own key, and a member's class's header's.
 */
function footprintOf(
  structure: Structure,
  names: readonly (UnitNames | undefined)[],
  units: readonly Unit[],
  keys: readonly string[] | undefined,
  unitKeys: readonly string[],
  headerOf: ReadonlyMap<number, number>,
  asked: readonly string[],
  lines: boolean,
): string[] {
  const spelled = (structure.spelled ??= new Map<string, number[]>());
  const out: string[] = [];
  const seen = new Set<number>();
  for (const name of asked) {
    let list = spelled.get(name);
    if (!list) {
      list = [];
      for (let i = 0; i < names.length; i++) if (names[i]?.names.includes(name)) list.push(i);
      spelled.set(name, list);
    }
    for (const u of list) {
      if (!keys) {
        const header = headerOf.get(u);
        out.push(header === undefined ? `u${unitKeys[u]}` : `u${unitKeys[u]}^${unitKeys[header]}`);
      } else {
        const g = structure.group[u];
        if (g < 0) out.push(`u${unitKeys[u]}`);
        else if (!seen.has(g)) {
          seen.add(g);
          out.push(`g${keys[g]}`);
        }
      }
      if (lines) out.push(String(units[u].line));
    }
  }
  return out;
}

/** How a file's units group, from what they spell and declare (see `Structure`). */
function computeStructure(
  signature: string,
  units: readonly Unit[],
  names: readonly (UnitNames | undefined)[],
  isGlobal: readonly boolean[],
  headerOf: ReadonlyMap<number, number>,
  facts: readonly VarFact[],
  implicit: readonly string[],
  aliases: readonly string[],
  typed: boolean,
): Structure {
  const n = units.length;
  const declared = new Set<string>();
  for (const f of facts) if (f.declared) declared.add(f.name);
  for (const name of implicit) declared.add(name);
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  // A method's callers are found by its name (`x.m(…)` anywhere in the module: module-functions.ts), so the
  // names of such class members link statements too.
  for (const info of names) if (info) for (const m of info.members) declared.add(m);
  // An interface or a type alias holds no code to analyse: the statements that name it read it, but do not
  // read each other through it. Such a declaration is part of the key of each group that names it (through
  // other types too), and links nothing — unless it names a value, or a value shares its name.
  const typeUnits = new Map<string, number>();
  names.forEach((info, i) => {
    const name = isGlobal[i] ? undefined : info?.typeName;
    if (name !== undefined) typeUnits.set(name, typeUnits.has(name) ? -1 : i);
  });
  for (const f of facts) {
    const i = typeUnits.get(f.name);
    if (i !== undefined && f.units.some((u) => u !== i)) typeUnits.set(f.name, -1);
  }
  for (const [name, i] of typeUnits) if (i < 0) typeUnits.delete(name);
  for (let changed = true; changed;) {
    changed = false;
    for (const [name, i] of typeUnits)
      if (names[i]!.names.some((m) => m !== name && declared.has(m) && !typeUnits.has(m))) {
        typeUnits.delete(name);
        changed = true;
      }
  }
  const isContext = new Set(typeUnits.values());
  // The members of the classes cut into units, by the units that declare them (see `UnitNames.declares`);
  // typed, also those that assign them (untyped analyses read a field's declaration, not its values).
  const memberDeclarers = new Map<string, number[]>();
  names.forEach((info, i) => {
    if (info)
      for (const m of typed ? [...info.declares, ...info.assigns] : info.declares) {
        const list = memberDeclarers.get(m);
        if (!list) memberDeclarers.set(m, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
  });
  // A function declared at the top is read by its callers, and reads them only for its parameters' data
  // (TensorFacts.parameterView, whose answer is noted and asked again instead) — unless TF.js may
  // differentiate it: a function passed to `tf.grad` or `minimize` (or a layer's `call`) is differentiated,
  // and so are the helpers it calls, whoever else calls them. Those are among the units a differentiating
  // unit reaches by name. A class's methods are read so too (the methods of a class not cut into units are
  // found by name and stay linked, above).
  const stack = names.flatMap((info, i) =>
    info && (info.differentiates || aliases.some((a) => info.names.includes(a))) ? [i] : [],
  );
  // The declaring units by name, for the units that declare a name a reached unit spells (looked up only
  // for those names, and each name once).
  const reached = new Set<number>();
  if (stack.length > 0) {
    const byName = new Map<string, number[]>();
    for (const f of facts) {
      if (!declared.has(f.name)) continue;
      const list = byName.get(f.name);
      if (list) list.push(...f.units);
      else byName.set(f.name, [...f.units]);
    }
    const followed = new Set<string>();
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (reached.has(i)) continue;
      reached.add(i);
      for (const m of names[i]?.names ?? []) {
        if (followed.has(m)) continue;
        followed.add(m);
        for (const u of byName.get(m) ?? []) if (u >= 0) stack.push(u);
        // A method is differentiated through `this.m(…)` in its own class (module-functions.ts's `calledFunction`).
        const header = headerOf.get(i);
        if (header !== undefined)
          for (const u of memberDeclarers.get(m) ?? []) if (headerOf.get(u) === header) stack.push(u);
      }
    }
  }
  // The names whose declaring units are read by the units that spell them, and read none of those: a
  // function (above); a `const` of plain values (no object another unit could change, no code) and a
  // class's header (no code): their text is what a reader reads of them; a class's method: what its
  // callers pass is asked again, like a function's; a field: an analysis reads its declaration (type,
  // initial value), not what other members put in it, and `this.x` is read in the units that declare `x`
  // (its field, a constructor's parameter property; typed, what assigns it).
  const directed = new Map<string, number[]>();
  const memberDirected = new Map<string, number[]>();
  for (const f of facts) {
    if (f.units.length !== 1 || !declared.has(f.name)) continue;
    let i = f.fn;
    if (i < 0) {
      const u = f.units[0];
      const kind = u >= 0 ? units[u].kind : undefined;
      if ((kind === 'header' || kind === 'statement') && names[u]?.inert) i = u;
    }
    if (i >= 0 && !reached.has(i)) directed.set(f.name, [i]);
  }
  for (const [name, list] of memberDeclarers) {
    if (declared.has(name) && !directed.has(name)) continue;
    if (list.every((i) => !reached.has(i) && (names[i]!.inert || names[i]!.member))) memberDirected.set(name, list);
    else {
      directed.delete(name);
      declared.add(name);
    }
  }
  // A member is read as a member (`this.m(…)`, `this.x`, `{ x } = this`): untyped, an analysis reads one
  // only in its own class; the checker also reads `other.m` of any class. The checker reads no more of a
  // member with a type than its signature (`UnitNames.signature`) — unless that names a value of this file or
  // a member, whose code may make the type — and none of what assigns a field declared with one.
  const reads: [number, number][] = [];
  const signatureReads: [number, number][] = [];
  const values = new Set<string>(implicit);
  for (const f of facts) if (f.units.some((u) => u >= 0 && !isGlobal[u])) values.add(f.name);
  for (const name of typeUnits.keys()) values.delete(name);
  const bySignature = (d: number): boolean =>
    names[d]!.signature?.names.every((m) => !values.has(m) && !memberDeclarers.has(m)) ?? false;
  const typedIn = (header: number | undefined, name: string, list: readonly number[]): boolean =>
    list.some((d) => headerOf.get(d) === header && names[d]!.signature && names[d]!.declares.includes(name));
  const firstWith = new Map<string, number>();
  names.forEach((info, u) => {
    if (!info || isContext.has(u)) return;
    for (const name of info.names) {
      if (typeUnits.has(name)) continue;
      const declaring = directed.get(name);
      if (declaring !== undefined) {
        for (const d of declaring) if (d !== u) reads.push([u, d]);
        continue;
      }
      if (memberDirected.has(name) || !declared.has(name)) continue;
      const other = firstWith.get(name);
      if (other === undefined) firstWith.set(name, u);
      else parent[find(u)] = find(other);
    }
    const header = headerOf.get(u);
    for (const name of info.dotted) {
      const list = memberDirected.get(name);
      if (list)
        for (const d of list) {
          if (d === u) continue;
          const dHeader = headerOf.get(d);
          if (header !== undefined && dHeader === header) reads.push([u, d]);
          else if (!typed) continue;
          else if (!names[d]!.declares.includes(name)) {
            if (!typedIn(dHeader, name, list)) reads.push([u, d]);
          } else if (bySignature(d)) signatureReads.push([u, d]);
          else reads.push([u, d]);
        }
    }
  });
  // A member reads its class's header (the base class, the decorators, whether the class is exported).
  for (const [member, header] of headerOf) reads.push([member, header]);
  const group = new Array<number>(n).fill(-1);
  const memberIndex = new Array<number>(n).fill(-1);
  const members: number[][] = [];
  const ids = new Map<number, number>();
  const globals: number[] = [];
  for (let i = 0; i < n; i++) {
    if (isGlobal[i]) {
      globals.push(i);
      continue;
    }
    if (isContext.has(i)) continue;
    const root = find(i);
    let id = ids.get(root);
    if (id === undefined) {
      id = members.length;
      ids.set(root, id);
      members.push([]);
    }
    group[i] = id;
    memberIndex[i] = members[id].length;
    members[id].push(i);
  }
  // The interfaces and type aliases each unit names, found once per unit.
  const typesNamed: (number[] | undefined)[] = new Array<number[] | undefined>(n);
  const typesNamedBy = (i: number): number[] => {
    let list = typesNamed[i];
    if (list) return list;
    list = [];
    if (typeUnits.size > 0)
      for (const name of names[i]!.names) {
        const t = typeUnits.get(name);
        if (t !== undefined) list.push(t);
      }
    return (typesNamed[i] = list);
  };
  const readGroups: number[][] = members.map(() => []);
  for (const [u, d] of reads) if (group[u] !== group[d]) readGroups[group[u]].push(group[d]);
  const signaturesRead: number[][] = Array.from({ length: n }, () => []);
  for (const [u, d] of signatureReads) signaturesRead[u].push(d);
  const headers = [...new Set(headerOf.values())];
  const read: number[][] = [];
  const context: Int32Array[] = [];
  const affects: number[][] = Array.from({ length: n }, () => []);
  const signatureAffects: number[][] = Array.from({ length: n }, () => []);
  // Marks of the groups and units met while a group's context is found (the group's number, plus one).
  const groupMark = new Int32Array(members.length);
  const unitMark = new Int32Array(n);
  members.forEach((m, g) => {
    const stamp = g + 1;
    // The groups this one reads (the functions it calls, and what those read), and their units.
    const others: number[] = [];
    groupMark[g] = stamp;
    const queue = [g];
    while (queue.length > 0)
      for (const r of readGroups[queue.pop()!])
        if (groupMark[r] !== stamp) {
          groupMark[r] = stamp;
          queue.push(r);
          for (const u of members[r]) others.push(u);
        }
    read.push(others.length === 0 ? m : [...m, ...others]);
    // The types they name, and those the types name.
    const held = others.slice();
    const visit = (i: number): void => {
      for (const t of typesNamedBy(i))
        if (unitMark[t] !== stamp) {
          unitMark[t] = stamp;
          held.push(t);
          visit(t);
        }
    };
    for (const i of m) visit(i);
    for (const i of others) visit(i);
    // The signatures of the members the checker reads by their type, with the types those name, and
    // the headers of the classes (which one inherits which).
    let signatures = 0;
    for (const i of read[g])
      for (const d of signaturesRead[i])
        if (groupMark[group[d]] !== stamp && unitMark[d] !== -stamp) {
          unitMark[d] = -stamp;
          held.push(n + d);
          signatureAffects[d].push(g);
          signatures++;
          visit(d);
        }
    if (signatures > 0)
      for (const h of headers)
        if (groupMark[group[h]] !== stamp && unitMark[h] !== stamp) {
          unitMark[h] = stamp;
          held.push(h);
        }
    const sorted = Int32Array.from(held).sort();
    context.push(sorted);
    for (const i of m) affects[i].push(g);
    for (const i of sorted) if (i < n) affects[i].push(g);
  });
  return { signature, group, members, memberIndex, globals, read, context, affects, signatureAffects };
}

/** The unit holding `pos`, by binary search; -1 outside every unit. */
function unitAt(units: readonly { range: [number, number] }[], pos: number): number {
  let lo = 0;
  let hi = units.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = units[mid].range;
    if (pos < r[0]) hi = mid - 1;
    else if (pos >= r[1]) lo = mid + 1;
    else return mid;
  }
  return -1;
}

// ---- recorded findings ---------------------------------------------------------------------------------

/** A range as an offset into a statement's span: `at` ≥ 0 is a member of the group, < 0 the -(i+1)th global. */
interface Anchored {
  at: number;
  start: number;
  end: number;
}

/** A node as a range anchored in its statement, and its type. */
interface AnchoredNode extends Anchored {
  type: string;
}

interface RecordedFix {
  range: Anchored;
  text: string;
}

interface RecordedReport {
  /** The member statement, and the listener call that made the report; none at the end of the file (`inGroupOf`). */
  member: number;
  call?: ListenerCall;
  messageId?: string;
  message?: string;
  data?: Record<string, unknown>;
  loc: Anchored;
  /** Whether the rule gave a position, not a range. */
  point: boolean;
  /** The reported node, found again by its range and type (a recorder of the rule's nodes reads it). */
  node?: { range: Anchored; type: string };
  fix?: RecordedFix[];
  suggest?: { messageId?: string; desc?: string; data?: Record<string, unknown>; fix: RecordedFix[] }[];
}

interface Entry {
  fileKey: string;
  /** The rule's lint count of the file when the entry was last recorded or replayed. */
  used: number;
  /** The first lines of the members and the statements they read, where a message shows a line number. */
  lines?: number[];
  queries: Query[];
  reports: RecordedReport[];
  /** The reports by when they are replayed (`GroupState`), sorted out on the entry's first replay. */
  replays?: GroupState & { mode: 'replay' };
}

interface FileCache {
  config: string;
  parser: unknown;
  /** Typed: the program's other files, as the findings saw them. */
  others: readonly unknown[] | undefined;
  entries: Map<string, Entry>;
  /** How many times the rule has linted the file with these entries (see KEEP_LINTS). */
  lint: number;
  /** Re-lints left that analyse everything: the file is (mostly) one group, which an edit nearly always reaches. */
  skip: number;
}

/** Whether two lists hold the same items in the same order (the program's other files, an answer's footprint). */
const sameItems = (a: readonly unknown[] | undefined, b: readonly unknown[] | undefined): boolean =>
  a === b || (!!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]));

/** How many re-lints a file that is mostly one group goes without the cache before its groups are looked at again. */
const SKIP_LINTS = 20;

/** Whether keeping findings can pay for itself: no one group holds half the file's statements' text. */
function worthCaching(layout: Layout): boolean {
  // Asked by each rule: worked out once per lint.
  layout.worth ??= reachedShare(layout) < WORTH_SHARE;
  return layout.worth;
}

/**
 * Findings are kept when an edit reaches less than this share of a file's grouped text on average: above
 * it, the bookkeeping (the layout, the answers asked again) costs about what it saves or more (handpose's
 * pipeline.ts reaches 0.47 and cost the same per re-lint either way). Below it the balance also depends
 * on how much analysis the file holds: music_vae/model.ts typed reaches 0.29 and costs 0.5 ms more kept (the
 * same next to the type-checked rules), core/data.ts typed, 0.16, 0.3 ms less (1 ms less next to those).
 * A file of four independent groups reaches 0.25.
 */
const WORTH_SHARE = 0.35;

/**
 * The share of a file's grouped text an edit reaches on average: an edit lands in a unit (each as likely as
 * its text is long) and reaches every group whose key holds that unit.
 */
function reachedShare(layout: Layout): number {
  const { members, spans, affects } = layout;
  const size = (i: number): number => spans[i][1] - spans[i][0];
  const sizes = members.map((m) => m.reduce((sum, i) => sum + size(i), 0));
  let total = 0;
  for (const s of sizes) total += s;
  if (members.length < 2 || total === 0) return 1;
  let reached = 0;
  for (let i = 0; i < affects.length; i++) {
    if (layout.group[i] < 0) continue;
    let text = 0;
    for (const g of affects[i]) text += sizes[g];
    // An edit within a member's signature also reaches the groups that read that.
    let signatureText = 0;
    for (const g of layout.signatureAffects[i]) signatureText += sizes[g];
    reached += size(i) * text + layout.signatureLength[i] * signatureText;
  }
  return reached / (total * total);
}

/**
 * Configuration objects as text, by identity: an ESLint instance (an editor's) hands each lint of a file the
 * same settings and language options objects, whose `globals` may hold a thousand names.
 */
const configTexts = new WeakMap<object, string>();
function asText(o: unknown, make: () => string): string {
  if (typeof o !== 'object' || o === null) return make();
  let t = configTexts.get(o);
  if (t === undefined) configTexts.set(o, (t = make()));
  return t;
}

interface TsProgram {
  getSourceFiles(): readonly { fileName: string }[];
}

/**
 * A program's files other than the one linted, per program and file: the four rules of one lint share
 * the answer (a command-line typed run lints many files with one program).
 */
const othersOf = new WeakMap<TsProgram, { filename: string; others: readonly unknown[] }>();
function otherFiles(program: TsProgram, filename: string): readonly unknown[] {
  const last = othersOf.get(program);
  if (last?.filename === filename) return last.others;
  const own = filename.replace(/\\/g, '/');
  const others = program.getSourceFiles().filter((f) => f.fileName !== own);
  othersOf.set(program, { filename, others });
  return others;
}

/** Per rule and file; the files an editor re-lints most recently. */
const files = new Map<string, FileCache>();

/**
 * A listener call: the listener's selector and its node's range from the start of the node's unit (a
 * replayed group's units are the text they were, so the node is at the same place in its unit).
 */
interface ListenerCall {
  selector: string;
  start: number;
  end: number;
}

/** A listener call's key: its statement's place in the group, the selector, where the node stands in it. */
const callKey = (member: number, call: ListenerCall): string =>
  `${member}\0${call.selector}\0${call.start}\0${call.end}`;

const NO_REPORTS: readonly RecordedReport[] = [];

/** While a cached rule's `Program:exit` runs: runs `analyse` as part of the group of `node`'s statement. */
let exitHook: ((node: TSESTree.Node, analyse: () => void) => void) | undefined;

/**
 * For a rule that collects what its listeners find and reports at `Program:exit`: `analyse` reports what
 * was found in `node`'s statement (a loop's findings, for the loop). Findings are kept with the group of
 * that statement; when the group's findings are replayed, its listeners did not run, nothing was found
 * there, and `analyse` is not called.
 */
export function inGroupOf(node: TSESTree.Node, analyse: () => void): void {
  if (exitHook) exitHook(node, analyse);
  else analyse();
}

/** Counts, for tests and benchmarks. */
export const unitCacheStats = { hits: 0, misses: 0, keptAnswers: 0 };

type Listener = ((node: TSESTree.Node) => void) & { relevant?: (node: TSESTree.Node) => boolean };

/**
 * A listener that acts only on the nodes `relevant` accepts, a cheap test of the node alone (a call's
 * method name): findings kept across re-lints skip the others before any bookkeeping.
 */
export function onlyWhere<N extends TSESTree.Node>(
  relevant: (node: N) => boolean,
  listener: (node: N) => void,
): (node: N) => void {
  return Object.assign((node: N) => (relevant(node) ? listener(node) : undefined), { relevant });
}
type Listeners = Record<string, Listener | undefined>;

interface RuleLike {
  meta: { docs?: { url?: string } };
  create(context: TSESLint.RuleContext<string, unknown[]>): unknown;
}

interface GroupState {
  mode: 'replay' | 'record';
  /** Replay: the reports by member and call (`callKey`). */
  byCall?: Map<string, RecordedReport[]>;
  /** Replay: the nodes whose listener calls made those reports (see `walkedAtExit`). */
  callsAt?: { member: number; start: number; end: number }[];
  /** Replay: the reports made at the end of the file, for the group's statements (`inGroupOf`). */
  atExit?: RecordedReport[];
  rec?: Recording & { reports: RecordedReport[]; broken: boolean };
}

/**
 * `rule` with its findings kept across re-lints per group of statements (see above). For rules whose
 * listeners each analyse the code around one node, with no state that one statement's analysis leaves to
 * another's but through the names that group them.
 */
export function cachedByStatement<R extends RuleLike>(name: string, rule: R): R {
  const create = (context: TSESLint.RuleContext<string, unknown[]>): Listeners => rule.create(context) as Listeners;
  return {
    ...rule,
    create(context: TSESLint.RuleContext<string, unknown[]>) {
      const sourceCode = context.sourceCode;
      const env = typeof process === 'undefined' ? undefined : process.env;
      const flag = env?.VECTORIZE_CACHE;
      if (flag === '0' || env?.VECTORIZE_WHY) return create(context);
      const force = flag === '1';
      const fileId = `${name}\0${context.filename}`;
      // A file that is mostly one group, for a while: nothing to look up (checked before any other work).
      const known = files.get(fileId);
      if (known && known.skip > 0 && !force) {
        known.skip--;
        return create(context);
      }
      // A file's first lint keeps nothing: a command-line run lints each file once, and would pay for the
      // bookkeeping on every file; an editor re-lints, and keeps findings from the second lint on.
      if (!known && !force) {
        files.set(fileId, { config: '', parser: undefined, others: undefined, entries: new Map(), lint: 0, skip: 0 });
        if (files.size > MAX_FILES) files.delete(files.keys().next().value!);
        return create(context);
      }
      // Typed: the checker's answers also come from the program's other files (TF.js's types, the project's
      // modules). Findings are kept while every other file is the very one the last lint saw (TypeScript
      // keeps a file's SourceFile while its text is unchanged).
      const program = sourceCode.parserServices?.program as TsProgram | null | undefined;
      const others = program ? otherFiles(program, context.filename) : undefined;
      let config: string;
      try {
        const lo = context.languageOptions as unknown as Record<string, unknown>;
        config = JSON.stringify([
          context.options,
          context.cwd,
          asText(context.settings, () => JSON.stringify(context.settings)),
          asText(lo, () => JSON.stringify([lo.sourceType, lo.ecmaVersion, lo.globals, lo.parserOptions])),
        ]);
      } catch {
        return create(context);
      }
      const parser = context.languageOptions.parser;
      let cache = known;
      if (!cache || cache.config !== config || cache.parser !== parser || !sameItems(cache.others, others)) {
        cache = { config, parser, others, entries: new Map(), lint: 0, skip: 0 };
      }
      files.delete(fileId);
      files.set(fileId, cache);
      if (files.size > MAX_FILES) files.delete(files.keys().next().value!);
      cache.lint++;
      const previous = cache.entries;
      const next = new Map<string, Entry>();
      const binding = findTfBinding(sourceCode.ast, tfModuleOptions(context));
      let layout: Layout | undefined | null;
      const states = new Map<number, GroupState>();
      /** The group and member whose listener runs now (record mode), for `report`. */
      let current: { state: GroupState; group: number; member: number; call?: ListenerCall } | undefined;

      const anchor = (l: Layout, group: number, s: number, e: number): Anchored | undefined => {
        const members = l.members[group];
        for (let m = 0; m < members.length; m++) {
          const [a, b] = l.spans[members[m]];
          if (a <= s && e <= b) return { at: m, start: s - a, end: e - a };
        }
        for (let g = 0; g < l.globals.length; g++) {
          const [a, b] = l.spans[l.globals[g]];
          if (a <= s && e <= b) return { at: -(g + 1), start: s - a, end: e - a };
        }
        return undefined;
      };
      const absolute = (l: Layout, group: number, r: Anchored): [number, number] => {
        const unit = r.at >= 0 ? l.members[group][r.at] : l.globals[-r.at - 1];
        const base = l.spans[unit][0];
        return [base + r.start, base + r.end];
      };

      /** A recorded node in this lint's tree: the node of that type at the anchored range. */
      const nodeFound = (l: Layout, group: number, at: Anchored, type: string): TSESTree.Node | undefined => {
        const [s, e] = absolute(l, group, at);
        const holder = l.units[unitAt(l.units, s)];
        return holder && nodeWithRange(holder.node, s, e, type);
      };

      const recordFixes = (
        fix: unknown,
        done: (fixes: RecordedFix[] | undefined) => void,
      ): ((fixer: TSESLint.RuleFixer) => unknown) => {
        return (fixer) => {
          const out = (fix as (f: TSESLint.RuleFixer) => unknown)(fixer);
          const list = (
            out == null
              ? []
              : typeof out === 'object' && Symbol.iterator in out
                ? [...(out as Iterable<unknown>)]
                : [out]
          ) as TSESLint.RuleFix[];
          const c = current;
          if (!c || !layout) done(undefined);
          else {
            const fixes: RecordedFix[] = [];
            for (const f of list) {
              const range = anchor(layout, c.group, f.range[0], f.range[1]);
              if (!range) {
                done(undefined);
                return list;
              }
              fixes.push({ range, text: f.text });
            }
            done(fixes);
          }
          return list;
        };
      };

      const report = (descriptor: TSESLint.ReportDescriptor<string>): void => {
        const c = current;
        const rec = c?.state.rec;
        if (!c || !rec || !layout || rec.broken) {
          context.report(descriptor);
          return;
        }
        const d = descriptor as unknown as {
          messageId?: string;
          message?: string;
          data?: Record<string, unknown>;
          loc?: TSESTree.SourceLocation | TSESTree.Position;
          node?: TSESTree.Node;
          fix?: unknown;
          suggest?: { messageId?: string; desc?: string; data?: Record<string, unknown>; fix: unknown }[] | null;
        };
        let range: [number, number] | undefined;
        let point = false;
        try {
          if (d.loc && 'start' in d.loc)
            range = [sourceCode.getIndexFromLoc(d.loc.start), sourceCode.getIndexFromLoc(d.loc.end)];
          else if (d.loc) {
            const at = sourceCode.getIndexFromLoc(d.loc);
            range = [at, at];
            point = true;
          } else if (d.node) range = d.node.range;
        } catch {
          range = undefined;
        }
        const loc = range && anchor(layout, c.group, range[0], range[1]);
        const nodeRange = d.node && anchor(layout, c.group, d.node.range[0], d.node.range[1]);
        const recorded: RecordedReport = {
          member: c.member,
          ...(c.call ? { call: c.call } : {}),
          ...(d.messageId !== undefined ? { messageId: d.messageId } : {}),
          ...(d.message !== undefined ? { message: d.message } : {}),
          ...(d.data ? { data: { ...d.data } } : {}),
          loc: loc ?? { at: 0, start: 0, end: 0 },
          point,
          ...(d.node && nodeRange ? { node: { range: nodeRange, type: d.node.type } } : {}),
        };
        if (!loc || (d.node && !nodeRange)) rec.broken = true;
        let pending = 0;
        const out: Record<string, unknown> = { ...d };
        if (typeof d.fix === 'function') {
          pending++;
          out.fix = recordFixes(d.fix, (fixes) => {
            pending--;
            if (fixes) recorded.fix = fixes;
            else rec.broken = true;
          });
        }
        if (Array.isArray(d.suggest)) {
          recorded.suggest = [];
          out.suggest = d.suggest.map((s) => {
            const kept: NonNullable<RecordedReport['suggest']>[number] = {
              ...(s.messageId !== undefined ? { messageId: s.messageId } : {}),
              ...(s.desc !== undefined ? { desc: s.desc } : {}),
              ...(s.data ? { data: { ...s.data } } : {}),
              fix: [],
            };
            recorded.suggest!.push(kept);
            pending++;
            return {
              ...s,
              fix: recordFixes(s.fix, (fixes) => {
                pending--;
                if (fixes) kept.fix = fixes;
                else rec.broken = true;
              }),
            };
          });
        }
        context.report(out as unknown as TSESLint.ReportDescriptor<string>);
        // ESLint computes fixes as the report is made; one it did not (fixes off) is not known to replay.
        if (pending !== 0) rec.broken = true;
        rec.reports.push(recorded);
      };

      const replay = (l: Layout, group: number, r: RecordedReport): void => {
        const [s, e] = absolute(l, group, r.loc);
        const start = sourceCode.getLocFromIndex(s);
        const fixOf = (fixes: RecordedFix[]) => () =>
          fixes.map((f) => ({ range: absolute(l, group, f.range), text: f.text }));
        let node: TSESTree.Node | undefined;
        if (r.node) node = nodeFound(l, group, r.node.range, r.node.type);
        context.report({
          ...(node ? { node } : {}),
          ...(r.messageId !== undefined ? { messageId: r.messageId } : {}),
          ...(r.message !== undefined ? { message: r.message } : {}),
          ...(r.data ? { data: r.data } : {}),
          loc: r.point ? start : { start, end: sourceCode.getLocFromIndex(e) },
          ...(r.fix ? { fix: fixOf(r.fix) } : {}),
          ...(r.suggest
            ? {
                suggest: r.suggest.map((s) => ({
                  ...(s.messageId !== undefined ? { messageId: s.messageId } : {}),
                  ...(s.desc !== undefined ? { desc: s.desc } : {}),
                  ...(s.data ? { data: s.data } : {}),
                  fix: fixOf(s.fix),
                })),
              }
            : {}),
        } as unknown as TSESLint.ReportDescriptor<string>);
      };

      /** Whether the lines of a group's keyed units are `lines`. */
      const sameLines = (l: Layout, group: number, lines: readonly number[]): boolean => {
        const keyed = l.keyed(group);
        if (keyed.length !== lines.length) return false;
        for (let i = 0; i < lines.length; i++) if (l.units[keyed[i]].line !== lines[i]) return false;
        return true;
      };
      /** Whether the answers an entry noted still hold. */
      const stillAsked = (l: Layout, group: number, entry: Entry): boolean => {
        const again = binding && { sourceCode, binding, parser };
        const locate = (at: AnchoredNode): TSESTree.Node | undefined => nodeFound(l, group, at, at.type);
        return entry.queries.every((q) => stillTrue(sourceCode, q, again, locate, l.footprint));
      };
      const begin = (l: Layout, group: number): GroupState => {
        const key = l.keys[group];
        const entry = key === undefined ? undefined : previous.get(key);
        if (
          entry &&
          entry.fileKey === l.fileKey &&
          (!entry.lines || sameLines(l, group, entry.lines)) &&
          (entry.queries.length === 0 || stillAsked(l, group, entry))
        ) {
          unitCacheStats.hits++;
          if (!entry.replays) {
            const byCall = new Map<string, RecordedReport[]>();
            const atExit: RecordedReport[] = [];
            const callsAt: NonNullable<GroupState['callsAt']> = [];
            for (const r of entry.reports) {
              if (!r.call) {
                atExit.push(r);
                continue;
              }
              const k = callKey(r.member, r.call);
              const list = byCall.get(k);
              if (list) list.push(r);
              else {
                byCall.set(k, [r]);
                callsAt.push({ member: r.member, start: r.call.start, end: r.call.end });
              }
            }
            entry.replays = { mode: 'replay', byCall, atExit, callsAt };
          }
          entry.used = cache.lint;
          next.set(key!, entry);
          return entry.replays;
        }
        unitCacheStats.misses++;
        const anchorOf = (node: TSESTree.Node): AnchoredNode | undefined => {
          const at = anchor(l, group, node.range[0], node.range[1]);
          return at && at.at >= 0 ? { ...at, type: node.type } : undefined;
        };
        return {
          mode: 'record',
          rec: { queries: [], lines: false, anchorOf, reports: [], broken: key === undefined },
        };
      };

      /** The group's state on this lint: replayed or recorded, decided when the group is first met. */
      const stateOf = (l: Layout, group: number): GroupState => {
        let state = states.get(group);
        if (!state) {
          state = begin(l, group);
          states.set(group, state);
        }
        return state;
      };

      /** Runs `run` (a listener call, an end-of-file analysis) with what it reports and asks recorded for its group. */
      const recorded = (at: NonNullable<typeof current>, run: () => void): void => {
        const outer = recording;
        const outerCurrent = current;
        recording = at.state.rec;
        current = at;
        try {
          run();
        } catch (e) {
          at.state.rec!.broken = true;
          throw e;
        } finally {
          recording = outer;
          current = outerCurrent;
        }
      };

      // The rule sees a context whose `report` records.
      const recordingContext = Object.create(context, { report: { value: report } }) as typeof context;
      const listeners = create(recordingContext);

      /** This lint's layout, worked out when first needed; null where findings are not kept on this lint. */
      const layoutNow = (): Layout | null => {
        if (layout === undefined) {
          layout = layoutOf(sourceCode, context.filename, binding) ?? null;
          if (layout && !force && !worthCaching(layout)) {
            cache.skip = SKIP_LINTS;
            cache.entries = new Map();
            layout = null;
          }
        }
        return layout;
      };
      /** The statement of the last listener call (see `wrap`). */
      let lastUnit = -1;
      /**
       * The unit of a node (by where it starts); -1 for the program. Listeners run in text order: most
       * calls land in the statement of the last one.
       */
      const unitOf = (l: Layout, node: TSESTree.Node): number => {
        if (node.type === AST_NODE_TYPES.Program) return -1;
        const pos = node.range[0];
        const last = l.units[lastUnit];
        return last && last.range[0] <= pos && pos < last.range[1] ? lastUnit : (lastUnit = unitAt(l.units, pos));
      };
      const wrap = (listener: Listener, selector: string): Listener => {
        const relevant = listener.relevant;
        return (node) => {
          if (relevant && !relevant(node)) return;
          const l = layoutNow();
          if (!l) {
            listener(node);
            return;
          }
          const unit = unitOf(l, node);
          const group = unit < 0 ? -1 : l.group[unit];
          if (group < 0) {
            // The program itself, or an import: not grouped, analysed every time (these rules have none).
            listener(node);
            return;
          }
          const state = stateOf(l, group);
          // A replayed group with no report made by a listener: nothing to look up.
          if (state.mode === 'replay' && state.byCall!.size === 0) return;
          const member = l.memberIndex[unit];
          const base = l.units[unit].range[0];
          const call = { selector, start: node.range[0] - base, end: node.range[1] - base };
          if (state.mode === 'replay') {
            for (const r of state.byCall!.get(callKey(member, call)) ?? NO_REPORTS) replay(l, group, r);
            return;
          }
          recorded({ state, group, member, call }, () => listener(node));
        };
      };

      /** `inGroupOf` while the rule's `Program:exit` runs. */
      const exitInGroup = (node: TSESTree.Node, analyse: () => void): void => {
        const l = layout;
        const unit = l ? unitAt(l.units, node.range[0]) : -1;
        const group = l && unit >= 0 ? l.group[unit] : -1;
        if (!l || group < 0) {
          analyse();
          return;
        }
        const state = stateOf(l, group);
        // Replayed (below): the group's listeners did not run, and found nothing to report now.
        if (state.mode === 'replay') return;
        recorded({ state, group, member: l.memberIndex[unit] }, analyse);
      };

      const wrapped: Listeners = {};
      for (const [selector, listener] of Object.entries(listeners))
        if (listener) wrapped[selector] = wrap(listener, selector);
      const exit = wrapped['Program:exit'];
      wrapped['Program:exit'] = (node) => {
        if (layout)
          for (const [group, state] of states)
            for (const r of state.mode === 'replay' ? state.atExit! : []) replay(layout, group, r);
        const outerHook = exitHook;
        exitHook = layout ? exitInGroup : undefined;
        try {
          exit?.(node);
        } finally {
          exitHook = outerHook;
        }
        if (layout) {
          for (const [group, state] of states) {
            const key = layout.keys[group];
            if (state.mode !== 'record' || key === undefined || state.rec!.broken) continue;
            const rec = state.rec!;
            next.set(key, {
              fileKey: layout.fileKey,
              used: cache.lint,
              ...(rec.lines ? { lines: Array.from(layout.keyed(group), (i) => layout!.units[i].line) } : {}),
              queries: rec.queries,
              reports: rec.reports,
            });
          }
          // The entries of groups an edit reached, kept a few re-lints for the text to come back (KEEP_LINTS);
          // at most as many as the file has groups, and 64.
          let room = Math.min(layout.members.length, 64);
          for (const [key, entry] of previous)
            if (room > 0 && !next.has(key) && cache.lint - entry.used <= KEEP_LINTS) {
              next.set(key, entry);
              room--;
            }
        }
        cache.entries = next;
      };
      /**
       * Per unit: 1 where its group is replayed with no report made by a listener, 3 where it is replayed
       * with some, 2 where it is analysed or in no group (0: not known yet).
       */
      let quiet: Uint8Array | undefined;
      // A rule with no listener but at the end of the file (every rule in a file without a TF.js import):
      // nothing to walk for.
      if (!Object.keys(listeners).some((s) => listeners[s] && s !== 'Program:exit')) return wrapped;
      return walkedAtExit(sourceCode, wrapped, (node) => {
        // Skipped: a node within a statement whose group is replayed, that holds no node whose listener
        // call made a report. Every listener call there would return at once (see `wrap`).
        const l = layoutNow();
        if (!l) return false;
        const unit = unitOf(l, node);
        if (unit < 0) return false;
        quiet ??= new Uint8Array(l.units.length);
        const group = l.group[unit];
        if (quiet[unit] === 0) {
          const state = group < 0 ? undefined : stateOf(l, group);
          quiet[unit] = state?.mode !== 'replay' ? 2 : state.byCall!.size === 0 ? 1 : 3;
        }
        if (quiet[unit] === 2 || node.range[1] > l.units[unit].range[1]) return false;
        if (quiet[unit] === 1) return true;
        const base = l.units[unit].range[0];
        const member = l.memberIndex[unit];
        const [start, end] = node.range;
        for (const at of states.get(group)!.callsAt!)
          if (at.member === member && start <= base + at.start && base + at.end <= end) return false;
        return true;
      });
    },
  };
}

/** A selector ESLint matches by node type alone (and `:exit`). */
const PLAIN_SELECTOR = /^[A-Z][A-Za-z]*(?::exit)?$/;

/**
 * Where a node type has no visitor keys, the keys ESLint's traverser estimates (eslint-visitor-keys'
 * `getKeys`; `forEachChild` falls back otherwise, so the walk does not use it).
 */
const estimatedKeys = (node: object): string[] =>
  Object.keys(node).filter(
    (k) => k !== 'parent' && k !== 'leadingComments' && k !== 'trailingComments' && k[0] !== '_',
  );

/** A cached rule's listeners, called by `walkAll`. */
interface Walked {
  enter: Map<string, Listener>;
  leave: Map<string, Listener>;
  skip: (node: TSESTree.Node) => boolean;
}

/**
 * The cached rules of a lint, by its `SourceCode`, in the order ESLint created them; walked at the first
 * one's `Program:exit`.
 */
const walks = new WeakMap<object, Walked[]>();

/** At most this many rules share one walk (a bit each in `walkAll`). */
const MAX_WALKED = 30;

/**
 * The listeners of a cached rule, called from a walk of the tree at `Program:exit` instead of by ESLint's
 * traversal. ESLint would call each listener on every node of its type: hundreds of calls a re-lint (a
 * module's calls, for four rules), of which all but those in the statements an edit reached return at
 * once, each costing more beside the type-checked rules, whose listeners run between ours. The walk
 * (`walkAll`) does not enter what a rule skips: in a statement whose findings it replays, whatever holds
 * no node whose listener call made a report.
 *
 * One walk serves every cached rule of the lint, as ESLint's traversal does: on each node the rules'
 * listeners run in the order ESLint created the rules, then each rule's `Program:exit`, so these rules
 * report in the same order as when ESLint calls them (two reports at one place stay in that order). The
 * listeners ask nothing of the traversal's position (the node's parents and the scope manager do not
 * depend on it). A rule with other selectors (attributes, descendants, code path events) is left to ESLint.
 */
function walkedAtExit(
  sourceCode: Readonly<TSESLint.SourceCode>,
  listeners: Listeners,
  skip: (node: TSESTree.Node) => boolean,
): Listeners {
  const selectors = Object.keys(listeners).filter((s) => listeners[s]);
  let rules = walks.get(sourceCode);
  if (!selectors.every((s) => PLAIN_SELECTOR.test(s)) || (rules && rules.length >= MAX_WALKED)) return listeners;
  const enter = new Map<string, Listener>();
  const leave = new Map<string, Listener>();
  for (const s of selectors)
    if (s.endsWith(':exit')) leave.set(s.slice(0, -':exit'.length), listeners[s]!);
    else enter.set(s, listeners[s]!);
  if (!rules) walks.set(sourceCode, (rules = []));
  rules.push({ enter, leave, skip });
  return {
    'Program:exit': (program) => {
      // The first cached rule's: walks for all (ESLint created every rule before its traversal).
      const all = walks.get(sourceCode);
      if (!all) return;
      walks.delete(sourceCode);
      walkAll(sourceCode, program, all);
    },
  };
}

/**
 * Walks the tree as ESLint's traverser does (its visitor keys, enter before the children and leave
 * after) for `rules`.
 */
function walkAll(sourceCode: Readonly<TSESLint.SourceCode>, program: TSESTree.Node, rules: readonly Walked[]): void {
  const visitorKeys = sourceCode.visitorKeys as Record<string, readonly string[] | undefined>;
  const n = rules.length;
  /** Per node type, each rule's listener (by the rule's bit), in the rules' order. */
  const byType = (pick: (w: Walked) => Map<string, Listener>): Map<string, [number, Listener][]> => {
    const out = new Map<string, [number, Listener][]>();
    rules.forEach((w, i) => {
      for (const [type, listener] of pick(w)) {
        const list = out.get(type);
        if (list) list.push([1 << i, listener]);
        else out.set(type, [[1 << i, listener]]);
      }
    });
    return out;
  };
  const enter = byType((w) => w.enter);
  const leave = byType((w) => w.leave);
  /** `active`: a bit for each rule that enters the node's parent. */
  const visit = (node: TSESTree.Node, active: number): void => {
    let now = active;
    if (node.type !== AST_NODE_TYPES.Program)
      for (let i = 0; i < n; i++) if (now & (1 << i) && rules[i].skip(node)) now &= ~(1 << i);
    if (now === 0) return;
    // Indexed loops: nothing allocated per node.
    const entering = enter.get(node.type);
    if (entering) for (let i = 0; i < entering.length; i++) if (now & entering[i][0]) entering[i][1](node);
    const keys = visitorKeys[node.type] ?? estimatedKeys(node);
    for (let k = 0; k < keys.length; k++) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]];
      if (Array.isArray(child)) {
        for (let i = 0; i < child.length; i++) if (isNode(child[i])) visit(child[i] as TSESTree.Node, now);
      } else if (isNode(child)) visit(child, now);
    }
    const leaving = leave.get(node.type);
    if (leaving) for (let i = 0; i < leaving.length; i++) if (now & leaving[i][0]) leaving[i][1](node);
  };
  visit(program, (1 << n) - 1);
}
