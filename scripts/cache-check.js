// `npm run cache-check -- <folder…> [--seed N] [--steps N]`: check that findings kept across re-lints
// (src/unit-cache.ts) change nothing on real code. For each TF.js source under the folders, a chain of
// random edits (delete, duplicate or swap top-level statements or class members; declare a name a fix
// picks, inside a function or at the top; differentiate or call a declared function; change a number;
// export or unexport; make a member private or public; retarget a call or a `this.x`; assign a field or
// call a method in another method; give a class a base class or take it away; change, take away or give a
// member's type (return type or field type); move a member to another class; run a call statement in
// tf.tidy or make a tf.tidy call another; add a line or a comment; now and then an undo, back to an
// earlier text of the chain), and after each edit a re-lint with the findings
// kept from the previous one is compared with a lint from scratch: every message, place, fix and
// suggestion. Prints the mismatches (and writes each as .cache-mismatch-N.json) and exits 1 if any.
// `--typed` lints each TypeScript source with type information instead, as the typed rule suites do: as
// tests/rules/fixtures/file.ts, whose project resolves `@tensorflow/tfjs` from this repository (slower:
// a program per lint).
//
//   node scripts/cache-check.js fixtures ../corpus/tfjs-models ../corpus/magenta-js --seed 5 --steps 4
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../dist/index.js';
import { unitCacheStats } from '../dist/unit-cache.js';

const args = { roots: [], seed: 1, steps: 4, typed: false };
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  if (arg === '--seed') args.seed = Number(process.argv[++i]);
  else if (arg === '--steps') args.steps = Number(process.argv[++i]);
  else if (arg === '--typed') args.typed = true;
  else if (arg.startsWith('--')) {
    console.error('usage: node scripts/cache-check.js <folder…> [--seed N] [--steps N] [--typed]');
    process.exit(2);
  } else args.roots.push(arg);
}
if (args.roots.length === 0) args.roots.push('fixtures', 'bench/editor');

const files = [];
const list = (dir) => {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && !e.name.startsWith('.')) list(p);
    } else if (/\.(ts|js|mjs)$/.test(e.name) && !/\.d\.ts$/.test(e.name)) files.push(p);
  }
};
for (const r of args.roots) list(r);
files.sort();

/** A linear congruential sequence in [0, 1) from `seed`. */
const sequence = (seed) => () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const random = sequence(args.seed);
const pick = (a) => a[Math.floor(random() * a.length)];
// Undos draw from a sequence of their own: they do not shift the edits' draws.
const undoRandom = sequence((args.seed ^ 0x5bd1e995) & 0x7fffffff);

const typedProject = path.resolve('tests/rules/fixtures');
const linter = new Linter({ configType: 'flat', cwd: '/' });
const config = [
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    basePath: '/',
    languageOptions: {
      parser: tsParser,
      ecmaVersion: 'latest',
      sourceType: 'module',
      ...(args.typed ? { parserOptions: { projectService: true, tsconfigRootDir: typedProject } } : {}),
    },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    plugins: { vectorize: plugin },
    rules: Object.fromEntries(Object.keys(plugin.rules).map((id) => [`vectorize/${id}`, 'warn'])),
  },
];
const show = (messages) =>
  JSON.stringify(
    messages.map((m) => ({
      rule: m.ruleId,
      at: [m.line, m.column, m.endLine, m.endColumn],
      message: m.message,
      fix: m.fix,
      suggestions: m.suggestions?.map((s) => ({ desc: s.desc, fix: s.fix })),
    })),
  );
// '1' keeps findings from a file's first lint on; '0' lints from scratch.
const lint = (text, filename, cached) => {
  process.env.VECTORIZE_CACHE = cached ? '1' : '0';
  return linter.verify(text, config, { filename });
};

const NAMES = [
  'top',
  'top2',
  'labels',
  'labels2',
  'dTensor',
  'xTensor',
  'kept',
  'x2',
  'out',
  'data',
  'n',
  'tf',
  'grad',
];
function parse(text, filename) {
  try {
    return tsParser.parseForESLint(text, { range: true, loc: true, filePath: filename, sourceType: 'module' }).ast;
  } catch {
    return undefined;
  }
}
function edit(text, filename, pool) {
  const ast = parse(text, filename);
  if (!ast || ast.body.length === 0) return undefined;
  const body = ast.body;
  const st = pick(body);
  const declared = body.flatMap((s) => {
    const d = s.type.startsWith('Export') ? s.declaration : s;
    if (!d) return [];
    if (d.id?.name) return [d.id.name];
    return (d.declarations ?? []).map((x) => x.id?.name).filter(Boolean);
  });
  const lines = text.split('\n');
  const slice = (a, b) => text.slice(a, b);
  // The members of the classes declared at the top, and their names (cut into units by the cache).
  const classes = body.flatMap((s) => {
    const d = s.type.startsWith('Export') ? s.declaration : s;
    return d?.type === 'ClassDeclaration' && d.body.body.length > 0 ? [d] : [];
  });
  const cls = classes.length > 0 ? pick(classes) : undefined;
  const member = cls && pick(cls.body.body);
  const memberNames = cls ? cls.body.body.flatMap((m) => (m.key?.type === 'Identifier' ? [m.key.name] : [])) : [];
  const methods = cls ? cls.body.body.filter((m) => m.type === 'MethodDefinition' && m.value.body) : [];
  switch (Math.floor(random() * (cls ? 21 : 14))) {
    case 0:
      return { op: 'delete', text: slice(0, st.range[0]) + slice(st.range[1]) };
    case 1:
      return { op: 'duplicate', text: slice(0, st.range[1]) + '\n' + slice(...st.range) + slice(st.range[1]) };
    case 2: {
      const i = body.indexOf(st);
      if (i + 1 >= body.length) return undefined;
      const b = body[i + 1];
      const swapped = slice(...b.range) + slice(st.range[1], b.range[0]) + slice(...st.range);
      return { op: 'swap', text: slice(0, st.range[0]) + swapped + slice(b.range[1]) };
    }
    case 3: {
      const name = pick([...pool, ...NAMES]);
      return { op: `top const ${name}`, text: slice(0, st.range[1]) + `\nconst ${name} = 0;` + slice(st.range[1]) };
    }
    case 4: {
      const name = pick([...pool, ...NAMES]);
      const braces = [...text.matchAll(/\{\n/g)].map((m) => m.index);
      if (braces.length === 0) return undefined;
      const at = pick(braces) + 2;
      return { op: `inner let ${name}`, text: slice(0, at) + `let ${name} = 1;\n` + slice(at) };
    }
    case 5:
      return declared.length
        ? { op: 'grad', text: `${text}\nexport const g$ = tf.grad(${pick(declared)});\n` }
        : undefined;
    case 6: {
      const numbers = [...text.matchAll(/(?<![\w.$])\d+(?![\w.])/g)];
      if (numbers.length === 0) return undefined;
      const m = pick(numbers);
      return { op: 'number', text: slice(0, m.index) + String(Number(m[0]) + 1) + slice(m.index + m[0].length) };
    }
    case 7: {
      if (declared.length < 2) return undefined;
      const [a, b] = [pick(declared), pick(declared)];
      const uses = [...text.matchAll(new RegExp(`\\b${a.replace(/\$/g, '\\$')}\\b`, 'g'))];
      if (uses.length === 0) return undefined;
      const m = pick(uses);
      return { op: `rename ${a} -> ${b}`, text: slice(0, m.index) + b + slice(m.index + a.length) };
    }
    case 8:
      lines.splice(Math.floor(random() * lines.length), 0, pick(['', '// note', '  ']));
      return { op: 'line', text: lines.join('\n') };
    case 9: {
      const own = slice(...st.range);
      if (own.startsWith('export '))
        return { op: 'unexport', text: slice(0, st.range[0]) + own.slice(7) + slice(st.range[1]) };
      if (/^(async )?function|^const|^class/.test(own))
        return { op: 'export', text: slice(0, st.range[0]) + 'export ' + own + slice(st.range[1]) };
      return undefined;
    }
    case 11: {
      // A call statement run inside tf.tidy (a caller's tidy frees what its callee's loops leak).
      const calls = lines.flatMap((l, i) => (/^\s*[\w$.]+\(.*\);$/.test(l) ? [i] : []));
      if (calls.length === 0) return undefined;
      const i = pick(calls);
      lines[i] = lines[i].replace(/^(\s*)(.*)$/, '$1tf.tidy(() => { $2 });');
      return { op: 'tidy', text: lines.join('\n') };
    }
    case 12: {
      const tidies = [...text.matchAll(/\btf\.tidy\(/g)];
      if (tidies.length === 0) return undefined;
      const at = pick(tidies).index;
      return { op: 'untidy', text: slice(0, at) + 'untidy(' + slice(at + 'tf.tidy('.length) };
    }
    case 14: {
      // A class member deleted, duplicated or swapped with the next.
      const i = cls.body.body.indexOf(member);
      const next = cls.body.body[i + 1];
      const r = random();
      if (r < 0.4) return { op: 'member delete', text: slice(0, member.range[0]) + slice(member.range[1]) };
      if (r < 0.7 || !next)
        return {
          op: 'member duplicate',
          text: slice(0, member.range[1]) + '\n  ' + slice(...member.range) + slice(member.range[1]),
        };
      const swapped = slice(...next.range) + slice(member.range[1], next.range[0]) + slice(...member.range);
      return { op: 'member swap', text: slice(0, member.range[0]) + swapped + slice(next.range[1]) };
    }
    case 15: {
      // Private or public; exported or not is case 9.
      const own = slice(...member.range);
      if (own.startsWith('private '))
        return { op: 'member public', text: slice(0, member.range[0]) + own.slice(8) + slice(member.range[1]) };
      if (member.type !== 'MethodDefinition' && member.type !== 'PropertyDefinition') return undefined;
      if (member.static || member.accessibility || member.kind === 'constructor') return undefined;
      return { op: 'member private', text: slice(0, member.range[0]) + 'private ' + own + slice(member.range[1]) };
    }
    case 16: {
      // `this.a` made `this.b`.
      const uses = [...text.matchAll(/\bthis\.([\w$]+)/g)].filter(
        (m) => m.index >= cls.range[0] && m.index < cls.range[1],
      );
      if (uses.length === 0 || memberNames.length === 0) return undefined;
      const m = pick(uses);
      const b = pick(memberNames);
      const at = m.index + 'this.'.length;
      return { op: `this.${m[1]} -> this.${b}`, text: slice(0, at) + b + slice(at + m[1].length) };
    }
    case 17: {
      // A method assigns a field, or calls another method with read-back data.
      if (methods.length === 0 || memberNames.length === 0) return undefined;
      const method = pick(methods);
      const at = method.value.body.range[0] + 1;
      const name = pick(memberNames);
      const line =
        random() < 0.5
          ? `\n    this.${name} = tf.zeros([2, 2]);`
          : `\n    this.${name}(tf.ones([4, 4]).dataSync(), 4, 4);`;
      return { op: `member uses this.${name}`, text: slice(0, at) + line + slice(at) };
    }
    case 18: {
      // A class's header: a base class, or none.
      const head = slice(cls.range[0], cls.body.range[0]);
      const changed = cls.superClass
        ? head.replace(/\s+extends\s+[\w$.]+(<[^>]*>)?/, '')
        : head.replace(/\s*$/, ` extends ${pick(['tf.layers.Layer', ...declared])} `);
      return { op: 'class header', text: slice(0, cls.range[0]) + changed + slice(cls.body.range[0]) };
    }
    case 19: {
      // A member's type: changed, taken away or given (what the checker reads of a typed member).
      const fn = member.type === 'MethodDefinition' && member.kind !== 'constructor' ? member.value : undefined;
      const field = member.type === 'PropertyDefinition' ? member : undefined;
      const type = pick(['any', 'tf.Tensor', 'number[]', 'Float32Array', 'tf.Tensor2D']);
      const annotation = fn ? fn.returnType : field?.typeAnnotation;
      if (annotation)
        return random() < 0.5
          ? { op: 'member untyped', text: slice(0, annotation.range[0]) + slice(annotation.range[1]) }
          : {
              op: `member type ${type}`,
              text: slice(0, annotation.range[0]) + `: ${type}` + slice(annotation.range[1]),
            };
      const at = fn ? (fn.body?.range[0] ?? fn.range[1]) : field && !field.computed ? field.key.range[1] : undefined;
      if (at === undefined) return undefined;
      const given = fn ? `: ${type} ` : `: ${type}`;
      return { op: `member typed ${type}`, text: slice(0, at) + given + slice(at) };
    }
    case 20: {
      // A member moved to another class of the file (its callers' class changes, no text comes or goes).
      const others = classes.filter((c) => c !== cls);
      if (others.length === 0) return undefined;
      const to = pick(others);
      const own = slice(...member.range);
      const at = to.body.range[1] - 1;
      const removed = (a, b) => slice(a, member.range[0]) + slice(member.range[1], b);
      return {
        op: 'member moved',
        text:
          at < member.range[0]
            ? slice(0, at) + own + '\n' + slice(at, member.range[0]) + slice(member.range[1])
            : removed(0, at) + own + '\n' + slice(at),
      };
    }
    case 10:
      return declared.length
        ? { op: 'call', text: `${text}\n${pick(declared)}(tf.ones([4, 4]).dataSync(), 4, 4);\n` }
        : undefined;
    default: {
      const at = Math.floor(random() * lines.length);
      if (!lines[at].trim()) return undefined;
      lines.splice(at, 0, `${/^\s*/.exec(lines[at])[0]}// edit`);
      return { op: 'comment', text: lines.join('\n') };
    }
  }
}

const started = performance.now();
const hits = unitCacheStats.hits;
const keptAnswers = unitCacheStats.keptAnswers;
let edits = 0;
let undos = 0;
let mismatches = 0;
const sources = files.filter((f) => {
  if (args.typed && !/\.ts$/.test(f)) return false;
  const text = fs.readFileSync(f, 'utf8');
  return text.length < 200000 && /@tensorflow|tfjs/.test(text);
});
for (const [k, f] of sources.entries()) {
  const filename = args.typed ? path.join(typedProject, 'file.ts') : path.resolve(f);
  let text = fs.readFileSync(f, 'utf8');
  const first = lint(text, filename, true);
  // Names the file's own fixes declare: an edit that takes one must change the fix.
  const fixTexts = first.flatMap((m) => [m.fix?.text, ...(m.suggestions ?? []).map((s) => s.fix?.text)]);
  const pool = [
    ...new Set(
      fixTexts.filter(Boolean).flatMap((t) => [...t.matchAll(/\b(?:const|let)\s+([\w$]+)/g)].map((m) => m[1])),
    ),
  ];
  const check = (e, step) => {
    const kept = show(lint(e.text, filename, true));
    const fresh = show(lint(e.text, filename, false));
    edits++;
    if (kept !== fresh) {
      mismatches++;
      const out = `.cache-mismatch-${mismatches}.json`;
      fs.writeFileSync(out, JSON.stringify({ file: f, op: e.op, before: text, after: e.text, kept, fresh }, null, 1));
      console.log(`MISMATCH ${f} (edit ${step + 1}: ${e.op}) -> ${out}`);
    }
    text = e.text;
  };
  const history = [text];
  for (let step = 0; step < args.steps; step++) {
    const e = edit(text, filename, pool);
    if (!e) continue;
    check(e, step);
    history.push(text);
    // An undo, now and then: back to an earlier text of the chain, whose findings were kept some re-lints ago.
    if (history.length > 2 && undoRandom() < 0.3) {
      check({ op: 'undo', text: history[Math.floor(undoRandom() * (history.length - 1))] }, step);
      undos++;
      history.push(text);
    }
  }
  if (process.stderr.isTTY) process.stderr.write(`\r${k + 1}/${sources.length} files`);
}
if (process.stderr.isTTY) process.stderr.write('\n');
delete process.env.VECTORIZE_CACHE;
console.log(
  `${sources.length} TF.js files, ${edits} edits (${undos} of them undos), ${mismatches} mismatches; ` +
    `groups reused ${unitCacheStats.hits - hits}, answers kept ${unitCacheStats.keptAnswers - keptAnswers}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
process.exit(mismatches > 0 ? 1 : 0);
