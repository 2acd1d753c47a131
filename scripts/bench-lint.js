// `npm run bench:lint`: how much lint time the plugin adds on real TF.js code, next to ESLint's own
// `js.configs.recommended`. Lints the ESM files that @tensorflow/tfjs-layers and tfjs-data ship
// under dist/ (not their bundles), preloaded into memory so disk I/O stays out of the timings.
//
//   node scripts/bench-lint.js [--reps N] [--json FILE] [--editor-reps N] [--editor-only] [FILE.ts…]
//
// Configurations, timed interleaved file by file (the order rotates), median of N repetitions:
//   parse only       no rules: parsing, scope analysis, traversal and config handling, the floor
//   js recommended   @eslint/js js.configs.recommended
//   vectorize all    the plugin's `all` config
//   both             the two together
// Then one untimed pass with `stats: true` gives each rule's own listener time.
//
// Then the editor path: one file re-linted many times by one reused `ESLint` instance per
// configuration with `lintText`, as an editor's ESLint server (vscode-eslint) does on each change: the
// configuration is computed once and cached, not normalized again on each call as a `Linter.verify`
// given a config array does. A one-line edit before each re-lint, at a different line each time
// (so the TypeScript program changes too, as it does while typing, and the statement an edit lands in
// is analysed again). Each re-lint runs `js.configs.recommended` alone and with the
// plugin's `all`, in alternating order; the figures are the time the plugin adds per re-lint (200
// re-lints by default): the p50 of its mean over each 5 consecutive re-lints (a garbage collection lands
// in one re-lint of a pair; see `batched`), with a 95% bootstrap interval, and the p95 of single re-lints,
// and the p50 of the same less the garbage collections in either re-lint, with the collections it adds
// apart (their mean: see `gcWithin`),
// untyped (typescript-eslint's parser alone), typed (`parserOptions.projectService`: the
// rules get the type checker) and typed+tc (typed, with typescript-eslint's recommended-type-checked in
// both configurations: what a typed project runs anyway, whose rules also ask the checker). Files: bench/editor/detector.ts (a 290-line TF.js module written for
// this benchmark) and any TypeScript files named on the command line (e.g. the largest files of a
// TF.js project), each linted under a name in bench/editor/ so that the typed run resolves
// `@tensorflow/tfjs` to this repository's copy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ESLint, Linter } from 'eslint';
import js from '@eslint/js';
import tsParser from '@typescript-eslint/parser';
import tseslint from 'typescript-eslint';
import plugin from '../dist/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const TARGET = 0.5;

// ---- arguments -------------------------------------------------------------------------------
function parseArgs(argv) {
  const args = { reps: 5, json: undefined, editorReps: 200, editorOnly: false, editorFiles: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--json') args.json = value();
    else if (arg.startsWith('--json=')) args.json = arg.slice('--json='.length);
    else if (arg === '--reps') args.reps = Number(value());
    else if (arg.startsWith('--reps=')) args.reps = Number(arg.slice('--reps='.length));
    else if (arg === '--editor-reps') args.editorReps = Number(value());
    else if (arg.startsWith('--editor-reps=')) args.editorReps = Number(arg.slice('--editor-reps='.length));
    else if (arg === '--editor-only') args.editorOnly = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'usage: node scripts/bench-lint.js [--reps N] [--json FILE] [--editor-reps N] [--editor-only] [FILE.ts…]',
      );
      process.exit(0);
    } else if (arg.startsWith('--')) throw new Error(`unknown argument: ${arg}`);
    else args.editorFiles.push(arg);
  }
  if (!Number.isInteger(args.reps) || args.reps < 1) throw new Error('--reps must be a positive integer');
  if (!Number.isInteger(args.editorReps) || args.editorReps < 1)
    throw new Error('--editor-reps must be a positive integer');
  return args;
}

// ---- corpus ----------------------------------------------------------------------------------
const PACKAGES = ['@tensorflow/tfjs-layers', '@tensorflow/tfjs-data'];
const MAX_BYTES = 1_000_000;

// Bundles (tf-layers.js, *.es2017.js, *.node.js, *.fesm.js, *.min.js) repeat the modules, are
// machine-shaped and would dominate the total; the per-module ESM files read like source code.
function isBundle(file, size) {
  const base = path.basename(file);
  return (
    base.endsWith('.min.js') || base.startsWith('tf-') || /\.(es2017|node|fesm|umd)\.js$/.test(base) || size > MAX_BYTES
  );
}

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile() && entry.name.endsWith('.js')) out.push(full);
  }
  return out;
}

function loadCorpus() {
  const files = [];
  const perPackage = {};
  for (const pkg of PACKAGES) {
    const pkgRoot = path.dirname(require.resolve(`${pkg}/package.json`));
    const dist = path.join(pkgRoot, 'dist');
    const stats = {
      files: 0,
      lines: 0,
      bundlesSkipped: 0,
      version: JSON.parse(fs.readFileSync(path.join(pkgRoot, 'package.json'), 'utf8')).version,
    };
    for (const file of walk(dist).sort()) {
      const size = fs.statSync(file).size;
      if (isBundle(file, size)) {
        stats.bundlesSkipped++;
        continue;
      }
      const text = fs.readFileSync(file, 'utf8');
      // A virtual name outside node_modules/, so ESLint's default ignores do not apply.
      const name = path.join('corpus', pkg.replace('@tensorflow/', ''), path.relative(dist, file));
      const lines = countLines(text);
      files.push({ name, text, lines, pkg });
      stats.files++;
      stats.lines += lines;
    }
    perPackage[pkg] = stats;
  }
  return { files, perPackage };
}

const countLines = (text) => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

// ---- configurations --------------------------------------------------------------------------
const base = {
  files: ['**/*.js'],
  languageOptions: { ecmaVersion: 'latest', sourceType: 'module' },
  // The corpus has its own disable comments for rules we do not load.
  linterOptions: { reportUnusedDisableDirectives: 'off', noInlineConfig: true },
};
const CONFIGS = {
  'parse only': [base],
  'js recommended': [base, js.configs.recommended],
  'vectorize all': [base, plugin.configs.all],
  both: [base, js.configs.recommended, plugin.configs.all],
};

// ---- measuring -------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function lintAll(linter, config, files) {
  let messages = 0;
  for (const f of files) {
    try {
      messages += linter.verify(f.text, config, f.name).length;
    } catch (error) {
      // A rule that throws is a bug to fix, not a file to skip: stop, and say where.
      throw new Error(`linting ${f.name} threw: ${error.message}`, { cause: error });
    }
  }
  return messages;
}

// A collection before each repetition, so garbage from the warm-up or the last repetition is not
// billed to whichever configuration happens to run next.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

// One repetition: every file is linted with every configuration back to back, in an order that
// rotates per file and per repetition, so load from other processes and JIT or GC drift land on
// all configurations alike. Returns total ms per configuration.
function timeRepetition(linter, names, files, rep) {
  gc();
  const totals = Object.fromEntries(names.map((n) => [n, 0]));
  files.forEach((f, i) => {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + i + rep) % names.length];
      const t0 = performance.now();
      linter.verify(f.text, CONFIGS[name], f.name);
      totals[name] += performance.now() - t0;
    }
  });
  return totals;
}

/** Lint time over the tfjs-layers / tfjs-data corpus; returns the figures for --json. */
function throughput(args) {
  const { files: all, perPackage } = loadCorpus();
  const linter = new Linter({ cwd: root });

  // Files ESLint cannot parse are counted and left out of every configuration alike.
  const unparsable = [];
  const files = all.filter((f) => {
    const fatal = linter.verify(f.text, CONFIGS['parse only'], f.name).find((m) => m.fatal);
    if (fatal) unparsable.push({ file: f.name, message: fatal.message });
    return !fatal;
  });
  const lines = files.reduce((n, f) => n + f.lines, 0);
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);

  console.log(`eslint-plugin-vectorize ${plugin.meta.version} · rules: ${Object.keys(plugin.rules).join(', ')}`);
  console.log(
    `ESLint ${Linter.version} · node ${process.version} · ${os.cpus()[0]?.model ?? 'unknown cpu'} × ${os.cpus().length}`,
  );
  for (const [pkg, s] of Object.entries(perPackage)) {
    console.log(`  ${pkg}@${s.version}: ${s.files} files, ${s.lines} lines (${s.bundlesSkipped} bundles skipped)`);
  }
  console.log(
    `corpus: ${files.length} files, ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB` +
      (unparsable.length ? `; ${unparsable.length} unparsable file(s) skipped` : ''),
  );
  for (const u of unparsable) console.log(`  skipped ${u.file}: ${u.message}`);
  if (files.length === 0) throw new Error('no TF.js files found to lint: is node_modules installed?');

  // Warm-up: one untimed pass per configuration (JIT, rule creation), also counting findings.
  const names = Object.keys(CONFIGS);
  const findings = {};
  for (const name of names) findings[name] = lintAll(linter, CONFIGS[name], files);

  const runs = Object.fromEntries(names.map((n) => [n, []]));
  for (let rep = 0; rep < args.reps; rep++) {
    const totals = timeRepetition(linter, names, files, rep);
    for (const n of names) runs[n].push(totals[n]);
  }
  const ms = Object.fromEntries(names.map((n) => [n, median(runs[n])]));
  const perFile = (n) => ms[n] / files.length;

  // Rule listener time: an untimed pass with stats on, everything loaded at once. Stats are only
  // collected through verifyAndFix (plain verify has no pass counter), so fixing is turned off.
  const ruleFindings = {};
  const ruleMs = {};
  let parseMs = 0;
  for (const f of files) {
    const { messages } = linter.verifyAndFix(f.text, CONFIGS.both, { filename: f.name, stats: true, fix: false });
    for (const m of messages) ruleFindings[m.ruleId ?? '(none)'] = (ruleFindings[m.ruleId ?? '(none)'] ?? 0) + 1;
    for (const pass of linter.getTimes().passes) {
      parseMs += pass.parse?.total ?? 0;
      for (const [id, t] of Object.entries(pass.rules ?? {})) ruleMs[id] = (ruleMs[id] ?? 0) + t.total;
    }
  }
  const sum = (pred) =>
    Object.entries(ruleMs)
      .filter(([id]) => pred(id))
      .reduce((s, [, t]) => s + t, 0);
  const isOurs = (id) => id.startsWith('vectorize/');
  const pluginRuleMs = sum(isOurs);
  const jsRuleMs = sum((id) => !isOurs(id));

  // Ratios. Whole-lint time includes the parse both configurations share, so the plugin's own cost
  // is read as time over the parse-only floor, and again from the rules' own listener time.
  const ratioWhole = ms['vectorize all'] / ms['js recommended'];
  // Paired per repetition: a configuration and the floor were timed file by file side by side.
  const overFloor = (n) => median(runs[n].map((t, rep) => t - runs['parse only'][rep]));
  const ratioOverFloor = overFloor('vectorize all') / overFloor('js recommended');
  const ratioListeners = pluginRuleMs / jsRuleMs;
  const addedToJs = median(runs.both.map((t, rep) => t - runs['js recommended'][rep]));

  const fmt = (x, d = 2) => x.toFixed(d);
  console.log(
    `\n${args.reps} repetitions (each file linted with every configuration in turn) after one warm-up pass;\nmedian total, then per file:`,
  );
  console.log(
    `  ${'configuration'.padEnd(16)} ${'total ms'.padStart(9)} ${'ms/file'.padStart(8)} ${'over floor'.padStart(11)}  findings   runs (ms)`,
  );
  for (const n of names) {
    const over = n === 'parse only' ? '' : `${fmt(overFloor(n) / files.length, 3)}`;
    console.log(
      `  ${n.padEnd(16)} ${fmt(ms[n], 0).padStart(9)} ${fmt(perFile(n), 3).padStart(8)} ${over.padStart(11)}  ${String(findings[n]).padStart(8)}   ${runs[n].map((r) => fmt(r, 0)).join(' ')}`,
    );
  }

  console.log(`\nRule listener time (stats: true, one pass with both configurations):`);
  const ours = Object.entries(ruleMs).filter(([id]) => isOurs(id));
  const theirs = Object.entries(ruleMs)
    .filter(([id]) => !isOurs(id))
    .sort((a, b) => b[1] - a[1]);
  for (const [id, t] of ours)
    console.log(`  ${id.padEnd(34)} ${fmt(t).padStart(9)} ms  ${ruleFindings[id] ?? 0} findings`);
  console.log(`  ${'all vectorize rules'.padEnd(34)} ${fmt(pluginRuleMs).padStart(9)} ms`);
  console.log(
    `  ${`all ${theirs.length} js recommended rules`.padEnd(34)} ${fmt(jsRuleMs).padStart(9)} ms  (slowest: ${theirs
      .slice(0, 3)
      .map(([id, t]) => `${id} ${fmt(t, 1)}`)
      .join(', ')})`,
  );
  console.log(`  ${'parse'.padEnd(34)} ${fmt(parseMs).padStart(9)} ms`);

  const verdict = (r) => {
    if (!Number.isFinite(r)) return 'n/a';
    // A plugin cheaper than the measurement noise can come out below the floor.
    const shown = r <= 0 ? `≈0× (${fmt(r, 3)}, within noise)` : `${fmt(r, 3)}×`;
    return `${shown} ${r <= TARGET ? 'meets' : 'MISSES'} the target ≤ ${TARGET}×`;
  };
  console.log(`\nplugin / js recommended (target ≤ ${TARGET}×):`);
  console.log(
    `  whole lint, parse included:   ${fmt(ratioWhole, 3)}×  (floor alone is ${fmt(ms['parse only'] / ms['js recommended'], 3)}×)`,
  );
  console.log(`  time over the parse floor:    ${verdict(ratioOverFloor)}`);
  console.log(`  rule listener time:           ${verdict(ratioListeners)}`);
  console.log(`  added to js recommended:      ${fmt(addedToJs / files.length, 3)} ms/file (both − js recommended)`);

  return {
    versions: Object.fromEntries(Object.entries(perPackage).map(([pkg, s]) => [pkg, s.version])),
    throughput: {
      corpus: { files: files.length, lines, bytes, unparsable, perPackage },
      reps: args.reps,
      configurations: Object.fromEntries(
        names.map((n) => [
          n,
          {
            medianMs: ms[n],
            msPerFile: perFile(n),
            overParseFloorMsPerFile: n === 'parse only' ? 0 : overFloor(n) / files.length,
            runsMs: runs[n],
            findings: findings[n],
          },
        ]),
      ),
      rules: {
        ms: ruleMs,
        findings: ruleFindings,
        parseMs: parseMs,
        pluginMs: pluginRuleMs,
        jsRecommendedMs: jsRuleMs,
      },
      ratios: { target: TARGET, wholeLint: ratioWhole, overParseFloor: ratioOverFloor, ruleListeners: ratioListeners },
      addedToJsRecommendedMsPerFile: addedToJs / files.length,
    },
  };
}

// ---- editor path -----------------------------------------------------------------------------
const EDITOR_DIR = 'bench/editor';
const EDITOR_FILES = [path.join(EDITOR_DIR, 'detector.ts')];
const EDITOR_WARMUP = 15;

/** p-quantile, nearest rank. */
const quantile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
};

/**
 * A garbage collection lands in one re-lint of a pair and adds its milliseconds to that side only, so the
 * difference of one pair is bimodal and its p50 swings by milliseconds from run to run. The mean
 * difference over each batch of BATCH consecutive pairs spreads the collections over the plugin's and
 * the base's re-lints as each allocates; the p50 is taken over those batch means.
 */
const BATCH = 5;
const batched = (xs) => {
  const out = [];
  for (let i = 0; i + BATCH <= xs.length; i += BATCH)
    out.push(xs.slice(i, i + BATCH).reduce((a, b) => a + b, 0) / BATCH);
  return out;
};

/**
 * A 95% confidence interval of the median of `xs` (percentile bootstrap, 2,000 resamples, a fixed seed:
 * the same figures give the same interval). The added time of one re-lint swings by milliseconds (a
 * garbage collection lands in either re-lint of a pair): the interval says how far its p50 can be trusted.
 */
function medianInterval(xs) {
  let seed = 0x2545f491;
  // mulberry32
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const medians = [];
  for (let b = 0; b < 2000; b++)
    medians.push(
      quantile(
        Array.from(xs, () => xs[Math.floor(random() * xs.length)]),
        0.5,
      ),
    );
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

/**
 * The pauses of the garbage collections that started within `[start, end)` (ms). A collection lands in one
 * re-lint of a pair and adds its pause to that side alone: less its pauses, a pair's difference is the
 * work the plugin adds, whose p50 moved 0.3 ms between two runs of one build where the added time's moved
 * 1 ms; the pauses the plugin adds are reported apart, as a mean (they come with what it allocates).
 */
function gcWithin(entries, [start, end]) {
  let pause = 0;
  for (const e of entries) if (e.startTime >= start && e.startTime < end) pause += e.duration;
  return pause;
}

/** The plugin with each rule's create and listeners timed: `ms()` is their total since `reset()`. */
function timedPlugin() {
  let total = 0;
  const time = (fn) =>
    function (...args) {
      const t0 = performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        total += performance.now() - t0;
      }
    };
  const rules = Object.fromEntries(
    Object.entries(plugin.rules).map(([id, rule]) => [
      id,
      {
        ...rule,
        create: time((context) =>
          Object.fromEntries(Object.entries(rule.create(context)).map(([sel, fn]) => [sel, time(fn)])),
        ),
      },
    ]),
  );
  return {
    plugin: { ...plugin, rules },
    reset: () => (total = 0),
    ms: () => total,
  };
}

/**
 * `text` with a comment line inserted before line `r × 7919 mod lines` (a prime step: over the re-lints
 * the edit visits the whole file, not one place), as typing changes one statement at a time. The plugin
 * keeps findings across re-lints for the code an edit did not reach (src/unit-cache.ts): an edit at
 * the end only would show that cache at its best.
 */
function editAt(text, r, label) {
  const lines = text.split('\n');
  const at = (r * 7919) % lines.length;
  const indent = /^\s*/.exec(lines[at])[0];
  lines.splice(at, 0, `${indent}// edit ${label}`);
  return lines.join('\n');
}

/**
 * Re-lints one file `reps` times (after a warm-up) the way an editor does, with and without the plugin,
 * and returns the ms the plugin adds per re-lint (paired by re-lint) and the totals.
 */
async function editorFile(file, mode, reps) {
  // untyped; typed over js recommended; typed over js recommended + typescript-eslint's
  // recommended-type-checked (what a typed project runs anyway: its rules ask the checker about the same file).
  const typed = mode !== 'untyped';
  const text = fs.readFileSync(file, 'utf8');
  // Linted under a name in bench/editor/ (the file itself, or a copy's name for a file given by path): the
  // typed run then resolves `@tensorflow/tfjs` from this repository's node_modules.
  const inRepo = path.relative(root, path.resolve(file)).startsWith(EDITOR_DIR + path.sep);
  const name = path.join(root, EDITOR_DIR, inRepo ? path.basename(file) : `given-${path.basename(file)}`);
  const parserOptions = typed
    ? { projectService: { allowDefaultProject: [`${EDITOR_DIR}/*.ts`] }, tsconfigRootDir: root }
    : {};
  const base = [
    { files: ['**/*.ts'], languageOptions: { parser: tsParser, parserOptions } },
    js.configs.recommended,
    ...(mode === 'typed+tc' ? tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })) : []),
    { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  ];
  // One ESLint instance per configuration, reused across re-lints as an editor's server does.
  const eslint = (config) => new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: config });
  const linters = { base: eslint(base), plugin: eslint([...base, plugin.configs.all]) };
  const lint = async (linter, code) => {
    const [result] = await linter.lintText(code, { filePath: name });
    const fatal = result.messages.find((m) => m.fatal);
    if (fatal) throw new Error(`${file}: ${fatal.message}`);
    return result.messages;
  };
  const ms = { base: [], plugin: [] };
  // CPU time too: on a shared machine, time spent waiting for a core is wall time but not CPU time.
  const cpu = { base: [], plugin: [] };
  // The garbage collections' pauses, and when each timed re-lint ran: the added time less them, and the
  // collections' mean apart, compare two builds more steadily than the added time (see `gcWithin`).
  const gcs = [];
  const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  const spans = { base: [], plugin: [] };
  let findings = 0;
  for (let r = 0; r < reps + EDITOR_WARMUP; r++) {
    const order = r % 2 ? ['base', 'plugin'] : ['plugin', 'base'];
    for (const k of order) {
      // A new line on each re-lint, as typing changes the text: a new parse and, typed, a new program.
      const edited = editAt(text, r, `${r} ${k}`);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const messages = await lint(linters[k], edited);
      const t = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (k === 'plugin') findings = messages.filter((m) => m.ruleId?.startsWith('vectorize/')).length;
      if (r >= EDITOR_WARMUP) {
        ms[k].push(t);
        cpu[k].push((c.user + c.system) / 1000);
        spans[k].push([t0, t0 + t]);
      }
    }
  }
  // The observer is told of collections after the fact.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const gc = { base: spans.base.map((s) => gcWithin(gcs, s)), plugin: spans.plugin.map((s) => gcWithin(gcs, s)) };
  const lessGc = ms.plugin.map((t, i) => t - gc.plugin[i] - (ms.base[i] - gc.base[i]));
  const gcAdded = gc.plugin.map((g, i) => g - gc.base[i]);
  const added = ms.plugin.map((t, i) => t - ms.base[i]);
  const addedCpu = cpu.plugin.map((t, i) => t - cpu.base[i]);
  const addedBatches = batched(added);
  const addedCpuBatches = batched(addedCpu);
  // The rules' own time (their listeners and create): a steadier figure than the difference of two
  // whole re-lints, whose garbage collections land in either. Measured in a separate pass, with the
  // plugin's rules wrapped in timers, so that the timers cost the figures above nothing.
  const own = [];
  const timed = timedPlugin();
  const ownLinter = eslint([...base, { ...plugin.configs.all, plugins: { vectorize: timed.plugin } }]);
  for (let r = 0; r < reps + EDITOR_WARMUP; r++) {
    timed.reset();
    await lint(ownLinter, editAt(text, r, `${r} own`));
    if (r >= EDITOR_WARMUP) own.push(timed.ms());
  }
  return {
    file: path.relative(root, path.resolve(file)),
    lines: countLines(text),
    typed,
    mode,
    reps,
    findings,
    addedMs: {
      p50: quantile(addedBatches, 0.5),
      p50Interval95: medianInterval(addedBatches),
      p95: quantile(added, 0.95),
      p50OfSingleReLints: quantile(added, 0.5),
    },
    addedCpuMs: { p50: quantile(addedCpuBatches, 0.5), p95: quantile(addedCpu, 0.95) },
    addedLessGcMs: { p50: quantile(lessGc, 0.5), p50Interval95: medianInterval(lessGc) },
    gcAddedMs: { mean: gcAdded.reduce((a, b) => a + b, 0) / gcAdded.length },
    rulesOwnMs: { p50: quantile(own, 0.5), p95: quantile(own, 0.95) },
    baseMs: { p50: quantile(ms.base, 0.5), p95: quantile(ms.base, 0.95) },
    withPluginMs: { p50: quantile(ms.plugin, 0.5), p95: quantile(ms.plugin, 0.95) },
  };
}

async function editorPath(args) {
  const files = [...EDITOR_FILES.map((f) => path.join(root, f)), ...args.editorFiles];
  const fmt = (x) => x.toFixed(2).padStart(7);
  console.log(
    `\nEditor path: each file re-linted ${args.editorReps} times after ${EDITOR_WARMUP} warm-up re-lints, a comment line inserted at a different line each time;`,
  );
  console.log(
    `ms the plugin adds to js recommended per re-lint (p50 of the mean over each ${BATCH} consecutive re-lints, with its 95% bootstrap interval; p95 of single re-lints; wall clock, then CPU time of this process),`,
  );
  console.log(
    'less GC: the p50 of what it adds less the garbage collections in either re-lint of a pair, +GC: the mean of the collections it adds,',
  );
  console.log("typed+tc: typed, over js recommended and typescript-eslint's recommended-type-checked,");
  console.log("own: the rules' own time per re-lint (their create and listeners, timed in a separate pass),");
  console.log('and the whole re-lint with the plugin (wall clock):');
  console.log(
    `  ${'file'.padEnd(44)} ${'lines'.padStart(5)} ${'mode'.padEnd(8)} ${'added p50'.padStart(9)} ${'95% CI'.padStart(13)} ${'p95'.padStart(7)}   ${'less GC'.padStart(7)} ${'+GC'.padStart(6)}   ${'cpu p50'.padStart(7)} ${'p95'.padStart(7)}   ${'own p50'.padStart(7)} ${'p95'.padStart(7)}   ${'total p50'.padStart(9)} ${'p95'.padStart(7)}  findings`,
  );
  const results = [];
  for (const file of files) {
    for (const mode of ['untyped', 'typed', 'typed+tc']) {
      const r = await editorFile(file, mode, args.editorReps);
      results.push(r);
      const shown = r.file.length > 44 ? `…${r.file.slice(-43)}` : r.file;
      console.log(
        `  ${shown.padEnd(44)} ${String(r.lines).padStart(5)} ${mode.padEnd(8)} ${fmt(r.addedMs.p50).padStart(9)} ${`${r.addedMs.p50Interval95.map((x) => x.toFixed(2)).join('–')}`.padStart(13)} ${fmt(r.addedMs.p95)}   ${fmt(r.addedLessGcMs.p50)} ${r.gcAddedMs.mean.toFixed(2).padStart(6)}   ${fmt(r.addedCpuMs.p50)} ${fmt(r.addedCpuMs.p95)}   ${fmt(r.rulesOwnMs.p50)} ${fmt(r.rulesOwnMs.p95)}   ${fmt(r.withPluginMs.p50).padStart(9)} ${fmt(r.withPluginMs.p95)}  ${String(r.findings).padStart(8)}`,
      );
    }
  }
  return { warmup: EDITOR_WARMUP, reps: args.editorReps, files: results };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const cpus = os.cpus();
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    },
    versions: {
      eslint: Linter.version,
      plugin: plugin.meta.version,
      eslintJs: require('@eslint/js/package.json').version,
      typescriptEslintParser: require('@typescript-eslint/parser/package.json').version,
      typescript: require('typescript/package.json').version,
    },
  };
  if (args.editorOnly)
    console.log(
      `eslint-plugin-vectorize ${plugin.meta.version} · ESLint ${Linter.version} · node ${process.version} · ${cpus[0]?.model ?? 'unknown cpu'} × ${cpus.length}`,
    );
  else {
    const { versions, throughput: figures } = throughput(args);
    Object.assign(report.versions, versions);
    report.throughput = figures;
  }
  report.editor = await editorPath(args);
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nwrote ${args.json}`);
  }
}

await main();
