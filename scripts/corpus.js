// `npm run corpus -- <folder…>`: lint a corpus of real TF.js sources with every rule of the plugin and
// print what the rules find there — findings by rule and by fix kind, each finding with file:line, and
// for vectorize/no-element-loop the reasons loops were not lifted (VECTORIZE_WHY's output), counted,
// with where each occurs. Test files are left out unless --include-tests is given. Nothing is written
// unless --json FILE is given. Analysis bugs are counted (VECTORIZE_DEBUG=1 shows their stacks).
//
//   node scripts/corpus.js ../corpus/tfjs-models ../corpus/tfjs-examples [--json out.json] [--include-tests]
//     [--rule no-tensor-leak-in-loop] [--quiet] [--tfjs-module 'dist/tfjs.esm.js']…
//
// --tfjs-module sets `settings.vectorize.tfjsModules` (repeat it): the project's own modules that re-export TF.js.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Linter } from 'eslint';
import tsParser from '@typescript-eslint/parser';
import plugin from '../dist/index.js';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
const TEST_FILE = /(^|[/\\])(tests?|__tests__|spec)[/\\]|[._-](test|spec)\.[cm]?[jt]sx?$/;
// Bundles and generated code: minified or vendored builds are not code anyone edits.
const GENERATED = /(^|[/\\])(dist|build|node_modules|vendor)[/\\]|\.min\.js$|\.d\.ts$/;

function parseArgs(argv) {
  const opts = { folders: [], json: undefined, includeTests: false, rules: [], quiet: false, tfjsModules: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = argv[++i];
    else if (a === '--include-tests') opts.includeTests = true;
    else if (a === '--rule') opts.rules.push(argv[++i]);
    else if (a === '--quiet') opts.quiet = true;
    else if (a === '--tfjs-module') opts.tfjsModules.push(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: node scripts/corpus.js <folder…> [--json FILE] [--include-tests] [--rule ID]… [--quiet] [--tfjs-module SPEC]…',
      );
      process.exit(0);
    } else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.folders.push(a);
  }
  if (opts.folders.length === 0) throw new Error('name at least one folder to lint (see --help)');
  return opts;
}

function listSources(dir, includeTests, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (GENERATED.test(full + (entry.isDirectory() ? path.sep : ''))) continue;
    if (entry.isDirectory()) listSources(full, includeTests, out);
    else if (EXTENSIONS.includes(path.extname(entry.name)) && (includeTests || !TEST_FILE.test(full))) out.push(full);
  }
  return out;
}

/** The kind of fix a finding carries, as the demo names it. */
const fixKind = (m) => (m.fix ? 'autofix' : m.suggestions?.length ? 'suggestion' : 'no fix');

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const ruleIds = opts.rules.length > 0 ? opts.rules : Object.keys(plugin.rules);
  for (const id of ruleIds) if (!plugin.rules[id]) throw new Error(`no rule ${id} in the plugin`);
  const files = opts.folders.flatMap((f) => listSources(path.resolve(f), opts.includeTests)).sort();
  // The corpus lies anywhere: patterns are matched from the filesystem root.
  const linter = new Linter({ configType: 'flat', cwd: path.parse(process.cwd()).root });
  const config = [
    {
      // ESLint lints a file only when a non-universal pattern matches it (only .js/.mjs/.cjs by default).
      files: EXTENSIONS.map((ext) => `**/*${ext}`),
      languageOptions: {
        parser: tsParser,
        ecmaVersion: 'latest',
        sourceType: 'module',
        parserOptions: { ecmaFeatures: { jsx: true } },
      },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      plugins: { vectorize: plugin },
      rules: Object.fromEntries(ruleIds.map((id) => [`vectorize/${id}`, 'warn'])),
      settings: { vectorize: { tfjsModules: opts.tfjsModules } },
    },
  ];

  const findings = [];
  const notLifted = [];
  const parseErrors = [];
  let lintMs = 0;
  let tfFiles = 0;
  // The rule explains each loop it leaves alone on stderr when VECTORIZE_WHY is set; collect those lines.
  process.env.VECTORIZE_WHY = '1';
  const consoleError = console.error;
  let current = '';
  console.error = (...args) => {
    const line = args.join(' ');
    // vectorize: FILE:LINE:COL: not lifted: REASON[: `CONSTRUCT` (line N)]
    const m = /^vectorize: .*:(\d+):\d+: not lifted: (.*?)(?:: `.*` \(line \d+\))?$/s.exec(line);
    if (m) notLifted.push({ file: current, line: Number(m[1]), reason: m[2] });
    else consoleError(...args);
  };
  try {
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (/@tensorflow\/tfjs/.test(text)) tfFiles++;
      current = path.relative(process.cwd(), file);
      const start = performance.now();
      const messages = linter.verify(text, config, { filename: file });
      lintMs += performance.now() - start;
      for (const m of messages) {
        // `// eslint-disable-line node/…` in the corpus names rules this config does not load: not ours.
        if (/^Definition for rule '.*' was not found\.$/.test(m.message)) continue;
        if (m.fatal) parseErrors.push({ file: current, line: m.line, message: m.message });
        else
          findings.push({
            file: current,
            line: m.line,
            column: m.column,
            rule: m.ruleId,
            kind: fixKind(m),
            message: m.message,
          });
      }
    }
  } finally {
    console.error = consoleError;
  }

  const out = [];
  out.push(`linted ${files.length} files (${tfFiles} mention @tensorflow/tfjs) in ${(lintMs / 1000).toFixed(1)} s`);
  if (parseErrors.length > 0) out.push(`${parseErrors.length} files did not parse (skipped)`);
  out.push('', 'findings by rule and fix kind:');
  for (const id of ruleIds) {
    const mine = findings.filter((f) => f.rule === `vectorize/${id}`);
    const by = (k) => mine.filter((f) => f.kind === k).length;
    out.push(
      `  ${id.padEnd(24)} ${String(mine.length).padStart(4)}  (autofix ${by('autofix')}, suggestion ${by('suggestion')}, no fix ${by('no fix')})`,
    );
  }
  const others = findings.filter((f) => !ruleIds.some((id) => f.rule === `vectorize/${id}`));
  if (others.length > 0) out.push(`  other (analysis bugs or ESLint) ${others.length}`);
  if (!opts.quiet) {
    out.push('', 'findings:');
    for (const f of findings)
      out.push(`  ${f.file}:${f.line}:${f.column}  ${f.rule ?? '(none)'}  [${f.kind}]  ${f.message}`);
  }
  if (notLifted.length > 0) {
    const byReason = new Map();
    for (const n of notLifted) byReason.set(n.reason, [...(byReason.get(n.reason) ?? []), n]);
    out.push('', `loops not lifted by no-element-loop: ${notLifted.length}, by reason:`);
    for (const [reason, where] of [...byReason].sort((a, b) => b[1].length - a[1].length)) {
      const shown = where.slice(0, opts.quiet ? 2 : 5).map((w) => `${w.file}:${w.line}`);
      out.push(
        `  ${String(where.length).padStart(4)}  ${reason}`,
        `        ${shown.join(', ')}${where.length > shown.length ? ', …' : ''}`,
      );
    }
  }
  console.log(out.join('\n'));
  if (opts.json) {
    fs.writeFileSync(
      opts.json,
      JSON.stringify({ files: files.length, tfFiles, lintMs, findings, notLifted, parseErrors }, null, 2),
    );
    console.log(`\nwrote ${opts.json}`);
  }
}

try {
  main();
} catch (e) {
  console.error(`corpus: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
}
