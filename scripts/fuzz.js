// `npm run fuzz -- --count N --seed S`: the loop-program fuzzer. Runs the property tests of generated loop
// programs (tests/property/loop-programs.test.ts) on N programs from seed S through vitest — every program
// linted, its autofix or suggestion applied, type-checked and run against the original on TF.js cpu — and
// prints the verdict statistics (autofix / suggestion / report per family and per trait, and the autofix rate
// among reported vectorizable programs) with the wall time. A failure prints fast-check's shrunk
// counterexample and leaves a fixture draft in fixtures/_fuzz/<family>-seed<S>.ts.
//
//   node scripts/fuzz.js [--count N] [--seed S] [--detection-runs M] [--verbose]
//
// The rule is the built one (dist/): run `npm run build` after changing src/. --verbose streams vitest's
// output and the per-style table; without it vitest's output is shown only when the run fails.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEST_FILE = 'tests/property/loop-programs.test.ts';
const DRAFT_DIR = path.join(repoRoot, 'fixtures/_fuzz');

function parseArgs(argv) {
  const opts = { count: 1000, seed: undefined, detectionRuns: undefined, verbose: false };
  const int = (name, text) => {
    if (!/^\d+$/.test(text ?? '')) throw new Error(`${name} takes a non-negative integer, got '${text}'`);
    return Number(text);
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--count' || flag === '-n') opts.count = int('--count', value());
    else if (flag === '--seed' || flag === '-s') opts.seed = int('--seed', value());
    else if (flag === '--detection-runs') opts.detectionRuns = int('--detection-runs', value());
    else if (flag === '--verbose' || flag === '-v') opts.verbose = true;
    else if (flag === '--help' || flag === '-h') {
      console.log('usage: npm run fuzz -- [--count N] [--seed S] [--detection-runs M] [--verbose]');
      process.exit(0);
    } else throw new Error(`unknown argument ${argv[i]} (see --help)`);
  }
  if (opts.count < 1) throw new Error('--count must be at least 1');
  // Without --seed, a fresh one (printed, so that the run can be replayed).
  opts.seed ??= Math.floor(Math.random() * 0x7fffffff);
  return opts;
}

function draftsSince(start) {
  if (!fs.existsSync(DRAFT_DIR)) return [];
  return fs
    .readdirSync(DRAFT_DIR)
    .map((name) => path.join(DRAFT_DIR, name))
    .filter((file) => fs.statSync(file).mtimeMs >= start)
    .map((file) => path.relative(repoRoot, file));
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`fuzz: ${error.message}`);
    process.exit(2);
  }
  const statsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-fuzz-'));
  const statsFile = path.join(statsDir, 'stats.txt');
  const env = {
    ...process.env,
    PROPERTY_RUNS: String(opts.count),
    PROPERTY_SEED: String(opts.seed),
    PROPERTY_DETECTION_RUNS: String(opts.detectionRuns ?? opts.count),
    FUZZ_STATS_FILE: statsFile,
    ...(opts.verbose ? { PROPERTY_VERBOSE: '1' } : {}),
  };
  // Captured output (shown on failure, searched for vitest's summary) without colour codes.
  if (!opts.verbose) {
    delete env.FORCE_COLOR;
    env.NO_COLOR = '1';
  }
  console.log(`fuzz: ${opts.count} generated loop programs, seed ${opts.seed} (vitest run ${TEST_FILE})`);
  const start = Date.now();
  const child = spawn('npx', ['vitest', 'run', TEST_FILE], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', opts.verbose ? 'inherit' : 'pipe', opts.verbose ? 'inherit' : 'pipe'],
    shell: process.platform === 'win32',
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`fuzz: cannot start vitest: ${error.message}`);
      resolve(2);
    });
    child.on('close', (status, signal) => resolve(status ?? (signal ? 1 : 0)));
  });
  const seconds = (Date.now() - start) / 1000;
  if (code !== 0 && !opts.verbose) process.stdout.write(output);
  console.log('');
  if (fs.existsSync(statsFile)) console.log(fs.readFileSync(statsFile, 'utf8').trimEnd());
  else console.log('(no statistics: the execution property did not run to the end)');
  fs.rmSync(statsDir, { recursive: true, force: true });
  const drafts = draftsSince(start);
  if (drafts.length) console.log(`\nfixture drafts of the shrunk counterexamples: ${drafts.join(', ')}`);
  const summary = output.match(/^\s*Tests\s+.*$/m)?.[0]?.trim();
  console.log(
    `\nfuzz: ${code === 0 ? 'passed' : 'FAILED'}${summary ? ` (${summary})` : ''}; ` +
      `${opts.count} programs, seed ${opts.seed}, wall time ${seconds.toFixed(1)} s`,
  );
  process.exit(code);
}

await main();
