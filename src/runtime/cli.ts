#!/usr/bin/env node
// `vectorize verify|bench|fix <files|folders|globs…>`: runs every loop that `vectorize/no-element-loop`
// can rewrite, as written and as rewritten, on TF.js backends, and reports whether they agree (verify)
// or how much faster the rewrite is (bench), or applies the rewrites that agree (fix, ./fix.ts). verify
// and bench never write to the files they read.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { version } from '../package-info.js';
import { expandFiles } from './files.js';
import { BLOCKING, fixFileLines, fixFiles, fixSummary } from './fix.js';
import { unifiedDiff } from './diff.js';
import {
  benchHtml,
  benchJson,
  benchTable,
  verifyBackendLines,
  verifyCounts,
  verifyDetails,
  verifySummary,
} from './report.js';
import { DEFAULT_BENCH_TIMEOUT_MS, DEFAULT_TIMEOUT_MS, runAll, type ProgressEvent } from './run.js';
import { BACKENDS, isBrowserBackend, type BackendName } from './types.js';

const HELP = `Usage: vectorize <verify|bench|fix> <files|folders|globs…> [options]

  verify   run each loop that vectorize/no-element-loop can rewrite, and its rewrite, on the same
           inputs; exit 1 when any rewrite gives a different result
  bench    the same, then time both versions and print the speed-ups
  fix      the same as verify, then apply to each file the rewrites (autofixes and first suggestions)
           that are equal on every backend; a file with any rewrite that differs, throws, times out
           or is skipped when run is left byte-identical. The rule's options come from your
           eslint.config.* (as ESLint finds it for each file) when it sets them, else its defaults.

Options:
  --backend LIST   backends to run on, comma-separated: cpu, wasm, webgpu (Node), webgl,
                   browser-webgpu (headless Chromium; needs playwright-core and esbuild)
                   (default: wasm)
  --browser PATH   webgl, browser-webgpu: the Chromium or Chrome executable (default: chromium,
                   chromium-browser or google-chrome on PATH; nothing is downloaded)
  --size N         scale inputs so the largest tensor has about N² elements
                   (verify default: the inputs as declared; bench default: 256)
  --timeout S      time limit per case and backend, seconds (default: verify ${DEFAULT_TIMEOUT_MS / 1000}, bench ${DEFAULT_BENCH_TIMEOUT_MS / 1000})
  --runs R         bench: timed calls per version (default: 5)
  --warmup W       bench: untimed calls per version first (default: 2)
  --json FILE      bench: write the results as JSON
  --html FILE      bench: write a self-contained HTML page with a chart of the speed-ups
  --dry-run        fix: print the unified diff of each file that would change, write nothing
  --verbose        show what the user code prints
  --no-progress    no progress bar
  -h, --help       this text
  -v, --version    the version

Each case runs the statements the fix replaces (and the declarations before them that they read) on
the parameters they read of the function, method or arrow that holds them. Inputs: a '// @inputs x:
float32[64, 32], labels: int32[64] < 32' comment above that function (or in the file's header)
declares them; without one they are synthesised from the parameter types and from how the loop reads
them (ranks, literal channel counts, index tensors drawn in range).

Exit status: 0 when everything agreed (fix: every file was changed or had nothing to change); 1 when
a rewrite differs, throws, fails or times out (fix: a change was left because it did not verify,
was skipped when run, or the file did not parse after the edits); 2 for bad arguments, unreadable
files, syntax errors, a backend that cannot start, or (fix) a file that could not be written.`;

class UsageError extends Error {}

function parseBackends(text: string): BackendName[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.filter((n) => !(BACKENDS as readonly string[]).includes(n));
  if (bad.length > 0)
    throw new UsageError(`unknown backend ${bad.map((b) => `'${b}'`).join(', ')}; choose from ${BACKENDS.join(', ')}`);
  if (names.length === 0) throw new UsageError('--backend needs at least one backend');
  return [...new Set(names)] as BackendName[];
}

function positiveInt(text: string | undefined, flag: string, min = 1): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`${flag} takes an integer ≥ ${min}, got '${text}'`);
  return Number(text);
}

/** Checks that an output file can be written before the run starts, so a long run is not lost at the end. */
function checkWritable(file: string | undefined, flag: string): string | undefined {
  if (file === undefined) return undefined;
  const abs = path.resolve(file);
  const dir = path.dirname(abs);
  if (!fs.existsSync(dir)) throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist`);
  return abs;
}

export async function main(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  const say = (s: string) => io.out.write(`${s}\n`);
  const warn = (s: string) => io.err.write(`${s}\n`);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        backend: { type: 'string' },
        browser: { type: 'string' },
        size: { type: 'string' },
        timeout: { type: 'string' },
        runs: { type: 'string' },
        warmup: { type: 'string' },
        json: { type: 'string' },
        html: { type: 'string' },
        verbose: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'no-progress': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    warn(`vectorize: ${(e as Error).message}`);
    warn(`Run 'vectorize --help' for usage.`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    say(HELP);
    return 0;
  }
  if (values.version) {
    say(version);
    return 0;
  }
  const [command, ...args] = positionals;
  try {
    if (command !== 'verify' && command !== 'bench' && command !== 'fix')
      throw new UsageError(
        command
          ? `unknown command '${command}'; use verify or bench to check, fix to apply`
          : 'missing command: verify, bench or fix',
      );
    if (args.length === 0) throw new UsageError(`${command} needs files, folders or globs to check`);
    if (command !== 'bench' && (values.json || values.html || values.runs || values.warmup))
      throw new UsageError('--json, --html, --runs and --warmup belong to bench');
    if (command !== 'fix' && values['dry-run']) throw new UsageError('--dry-run belongs to fix');
    const backends = parseBackends(values.backend ?? 'wasm');
    let browser: { executablePath: string } | undefined;
    if (values.browser !== undefined) {
      if (!backends.some(isBrowserBackend))
        throw new UsageError('--browser belongs to the browser backends: add webgl or browser-webgpu to --backend');
      // A wrong path is a mistake in the command line: say so now, not after the cases are built.
      const { findBrowser } = await import('./browser/host.js');
      browser = { executablePath: findBrowser(values.browser) };
    }
    const size = positiveInt(values.size, '--size', 2) ?? (command === 'bench' ? 256 : undefined);
    const timeout = positiveInt(values.timeout, '--timeout');
    const runs = positiveInt(values.runs, '--runs');
    const warmup = positiveInt(values.warmup, '--warmup', 0);
    const jsonFile = checkWritable(values.json, '--json');
    const htmlFile = checkWritable(values.html, '--html');

    const cwd = process.cwd();
    const { files, problems } = await expandFiles(args, cwd);
    for (const p of problems) warn(`vectorize: ${p}`);
    if (files.length === 0) {
      warn('vectorize: nothing to check');
      return 2;
    }

    const progress = !values['no-progress'] && io.err.isTTY && !process.env.CI;
    const bar = progress
      ? new cliProgress.SingleBar(
          {
            format: ' {bar} {value}/{total} cases · {backend} · {case}',
            stream: io.err,
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
    const onProgress = (e: ProgressEvent) => {
      if (e.type === 'discovered') bar?.start(e.cases * backends.length, 0, { backend: backends[0], case: '' });
      else if (e.type === 'backend' && e.unavailable) {
        bar?.stop();
        warn(`vectorize: ${e.unavailable}`);
      } else if (e.type === 'case') bar?.increment(1, { backend: e.backend, case: path.relative(cwd, e.result.id) });
    };
    if (command === 'fix') {
      const dryRun = values['dry-run'] === true;
      const fixed = await fixFiles({
        files,
        backends,
        cwd,
        dryRun,
        size,
        ...(browser ? { browser } : {}),
        ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
        onProgress,
        ...(values.verbose ? { onOutput: (s: string) => io.err.write(s) } : {}),
      });
      bar?.stop();
      if (fixed.configProblem) warn(`vectorize: ${fixed.configProblem}`);
      // A backend that did not start was reported by onProgress.
      const unavailable = fixed.runs.filter((r) => r.unavailable);
      for (const f of fixed.files)
        if (f.status === 'error') warn(`vectorize: ${path.relative(cwd, f.file)}: ${f.error}`);
      // Why each change that did not verify was left (verify's detail lines).
      for (const line of verifyDetails(fixed.runs, fixed.skipped, cwd, {
        timeoutMs: timeout ? timeout * 1000 : DEFAULT_TIMEOUT_MS,
      }))
        say(line);
      if (dryRun)
        for (const f of fixed.files)
          if (f.status === 'changed') say(unifiedDiff(f.before!, f.after!, path.relative(cwd, f.file)));
      for (const line of fixFileLines(fixed, cwd, dryRun)) say(line);
      for (const line of fixSummary(fixed, dryRun)) say(line);
      // A change that did not verify → 1; a backend that did not start ('not run') is a 2, as in verify.
      const failed = fixed.files.some((f) =>
        f.left.some((l) => (BLOCKING.includes(l.reason) && l.reason !== 'not run') || l.reason === 'does not parse'),
      );
      if (failed) return 1;
      if (unavailable.length > 0 || fixed.files.some((f) => f.status === 'error') || problems.length > 0) return 2;
      return 0;
    }
    const outcome = await runAll({
      files,
      backends,
      mode: command,
      size,
      ...(browser ? { browser } : {}),
      ...(timeout ? { timeoutMs: timeout * 1000 } : {}),
      ...(runs ? { runs } : {}),
      ...(warmup !== undefined ? { warmup } : {}),
      onProgress,
      ...(values.verbose ? { onOutput: (s: string) => io.err.write(s) } : {}),
    });
    bar?.stop();
    for (const fe of outcome.fileErrors) warn(`vectorize: ${path.relative(cwd, fe.file)}: ${fe.message}`);
    const ran = outcome.runs.filter((r) => !r.unavailable);
    const unavailable = outcome.runs.filter((r) => r.unavailable);
    // A backend that did not start was reported by onProgress, once.

    if (command === 'verify') {
      for (const line of verifyDetails(outcome.runs, outcome.skipped, cwd, {
        timeoutMs: timeout ? timeout * 1000 : DEFAULT_TIMEOUT_MS,
      }))
        say(line);
      for (const line of verifyBackendLines(outcome.runs)) say(line);
      say(verifySummary(outcome.runs, outcome.skipped));
      const counts = verifyCounts(outcome.runs, outcome.skipped);
      if (counts.differ > 0 || counts.failed > 0) return 1;
    } else {
      say(benchTable(outcome.runs, cwd, { color: io.out.isTTY === true && !process.env.NO_COLOR }));
      const doc = benchJson(outcome.runs, { size, tool: `eslint-plugin-vectorize ${version}`, cwd });
      if (jsonFile) {
        fs.writeFileSync(jsonFile, `${JSON.stringify(doc, null, 2)}\n`);
        say(`wrote ${path.relative(cwd, jsonFile)}`);
      }
      if (htmlFile) {
        fs.writeFileSync(htmlFile, benchHtml(doc));
        say(`wrote ${path.relative(cwd, htmlFile)}`);
      }
    }
    // bench: a rewrite that disagrees is as much a failure as in verify.
    if (
      command === 'bench' &&
      ran.some((r) =>
        r.results.some(
          (x) => (x.status === 'differ' && !x.mismatch?.note) || x.status === 'error' || x.status === 'timeout',
        ),
      )
    )
      return 1;
    if (unavailable.length > 0 || outcome.fileErrors.length > 0 || problems.length > 0) return 2;
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      warn(`vectorize: ${e.message}`);
      warn(`Run 'vectorize --help' for usage.`);
      return 2;
    }
    warn(`vectorize: ${(e as Error).message}`);
    return 2;
  }
}

// Run when executed directly (the package's bin), not when imported by tests.
const invoked =
  process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(new URL(import.meta.url).pathname);
if (invoked) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`vectorize: ${(e as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
