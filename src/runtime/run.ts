// Orchestration: build the cases of every file, then for each backend start a worker process and feed
// it the cases one by one. This process holds each case's time limit; a case that runs past it, or a
// worker that dies, is recorded, the worker is killed, and a fresh one takes the rest of the cases.
// The browser backends (webgl, browser-webgpu) run the same way in pages of one headless Chromium
// (./browser/host.ts): a page takes a worker's place, and closing it ends a case that hangs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { casesOfFile, FileError } from './cases.js';
import { BackendUnavailableError, MissingDependencyError, tfModuleUrl } from './backends.js';
import type { BrowserHost, LaunchOptions, PageSession } from './browser/host.js';
import type { FromWorker, ToWorker, WorkerInit } from './worker.js';
import {
  isBrowserBackend,
  type BackendInfo,
  type BackendName,
  type BackendRun,
  type Case,
  type CaseResult,
  type SkippedCase,
} from './types.js';

export interface RunOptions {
  files: readonly string[];
  backends: readonly BackendName[];
  mode: 'verify' | 'bench';
  /** Scale inputs so the largest tensor has about size² elements (declared sets) / synthesise at that size. */
  size?: number;
  /** Per case and backend, milliseconds: loading, every input set, and (bench) the timed runs. */
  timeoutMs?: number;
  /** bench: untimed calls before timing, and timed calls, per version. */
  warmup?: number;
  runs?: number;
  /** Called as the run advances: after discovery, and after each case on each backend. */
  onProgress?: (event: ProgressEvent) => void;
  /** Where the worker's stdout/stderr (the user code's console output) go; dropped by default. */
  onOutput?: (chunk: string) => void;
  /** The options of `vectorize/no-element-loop` to lint each file with (undefined: the rule's defaults). */
  ruleOptions?: (file: string) => readonly unknown[] | undefined;
  /**
   * The browser backends: the browser to launch (`--browser PATH`), or one already launched (BrowserHost.launch)
   * that the caller closes; by default one is found and launched for the run and closed after it.
   */
  browser?: LaunchOptions & { host?: BrowserHost };
}

export type ProgressEvent =
  | { type: 'discovered'; cases: number; skipped: number; files: number }
  | { type: 'backend'; backend: BackendName; info?: BackendInfo; unavailable?: string }
  | { type: 'case'; backend: BackendName; result: CaseResult };

export interface RunOutcome {
  cases: Case[];
  /** Findings that did not become cases (no module-level function, inputs that cannot be synthesised). */
  skipped: SkippedCase[];
  fileErrors: FileError[];
  runs: BackendRun[];
}

export const DEFAULT_TIMEOUT_MS = 20_000;
/**
 * bench checks, then times each version for a few seconds, on inputs up to ~10⁶ elements, where an O(n³) loop takes
 * minutes: a longer default limit.
 */
export const DEFAULT_BENCH_TIMEOUT_MS = 300_000;

const workerFile = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Builds the cases of `files` (each file's problems are collected, never thrown). */
export async function discover(
  files: readonly string[],
  options: { size?: number; single?: boolean; ruleOptions?: RunOptions['ruleOptions'] },
): Promise<Pick<RunOutcome, 'cases' | 'skipped' | 'fileErrors'>> {
  const out: Pick<RunOutcome, 'cases' | 'skipped' | 'fileErrors'> = { cases: [], skipped: [], fileErrors: [] };
  const tfUrl = tfModuleUrl();
  for (const file of files) {
    try {
      const ruleOptions = options.ruleOptions?.(file);
      const found = await casesOfFile(file, {
        size: options.size,
        single: options.single,
        tfUrl,
        ...(ruleOptions ? { ruleOptions } : {}),
      });
      out.cases.push(...found.cases);
      out.skipped.push(...found.skipped);
    } catch (e) {
      if (e instanceof FileError) out.fileErrors.push(e);
      else out.fileErrors.push(new FileError(file, (e as Error).message));
    }
  }
  return out;
}

export async function runAll(options: RunOptions): Promise<RunOutcome> {
  const found = await discover(options.files, {
    size: options.size,
    single: options.mode === 'bench',
    ruleOptions: options.ruleOptions,
  });
  options.onProgress?.({
    type: 'discovered',
    cases: found.cases.length,
    skipped: found.skipped.length,
    files: options.files.length,
  });
  return { ...found, runs: await runCases(found.cases, options) };
}

/** Runs prepared cases on each backend in turn (one worker process or browser page at a time). */
export async function runCases(cases: readonly Case[], options: Omit<RunOptions, 'files'>): Promise<BackendRun[]> {
  const runs: BackendRun[] = [];
  // One browser for every browser backend of the run, launched when the first one needs it.
  let launched: Promise<BrowserHost> | undefined;
  const browser = (): Promise<BrowserHost> => {
    if (options.browser?.host) return Promise.resolve(options.browser.host);
    launched ??= import('./browser/host.js').then(({ BrowserHost: Host }) => Host.launch(options.browser));
    return launched;
  };
  try {
    for (const backend of options.backends) runs.push(await runBackend(backend, cases, options, browser));
  } finally {
    await launched?.then(
      (host) => host.close(),
      () => undefined,
    );
  }
  return runs;
}

type Reply = FromWorker | { type: 'exit'; code: number | null; signal: string | null; reason?: string };

interface Live {
  send: (message: ToWorker) => void;
  /** Resolves with the next message, or with an `exit` pseudo-message when the worker dies. */
  next: () => Promise<Reply>;
  kill: () => Promise<void>;
}

/** Replies in arrival order, each taken by one `next()`. */
function mailbox(): { push: (m: Reply) => void; next: () => Promise<Reply> } {
  const queue: Reply[] = [];
  let waiting: ((m: Reply) => void) | undefined;
  return {
    push: (m) => {
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w(m);
      } else queue.push(m);
    },
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => (waiting = resolve))),
  };
}

const oneLine = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));

/**
 * A page of the shared browser in a worker's place: `ready` once its backend has started, then one `result` per
 * case; a page that crashes or is closed under a case answers `exit`.
 */
function openPage(browser: () => Promise<BrowserHost>, backend: BackendName, onOutput?: (chunk: string) => void): Live {
  const box = mailbox();
  let session: PageSession | undefined;
  let killed = false;
  const opened = (async () => {
    try {
      session = await (await browser()).open(backend, onOutput);
      if (killed) await session.close();
      else box.push({ type: 'ready', info: session.info });
    } catch (e) {
      const message =
        e instanceof MissingDependencyError
          ? e.message
          : e instanceof BackendUnavailableError
            ? e.message.startsWith(`${backend}:`)
              ? e.message
              : `${backend}: ${e.message}`
            : `${backend}: cannot start in the browser: ${oneLine(e)}`;
      box.push({ type: 'unavailable', message });
    }
  })();
  return {
    send: (m) => {
      void opened.then(async () => {
        if (!session) return;
        try {
          box.push({ type: 'result', result: await session.run(m.case, m.mode, m.warmup, m.runs) });
        } catch (e) {
          if (!killed) box.push({ type: 'exit', code: null, signal: null, reason: `the page failed: ${oneLine(e)}` });
        }
      });
    },
    next: box.next,
    kill: async () => {
      killed = true;
      // Closing a page whose backend is still starting waits for the start (bounded by the start's own limits).
      await withTimeout(opened, 30_000);
      await withTimeout(session?.close() ?? Promise.resolve(), 30_000);
    },
  };
}

function spawn(init: WorkerInit, onOutput?: (chunk: string) => void): Live {
  // Structured clone over IPC ('advanced'), so NaN and typed arrays survive. The worker runs without
  // the parent's --inspect or loader flags: user code sees a plain Node.
  const child = fork(workerFile, [JSON.stringify(init)], {
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: [],
  });
  // User code may print; keep it out of the report unless asked for.
  child.stdout!.on('data', (d: Buffer) => onOutput?.(d.toString()));
  child.stderr!.on('data', (d: Buffer) => onOutput?.(d.toString()));
  const box = mailbox();
  const push = box.push;
  child.on('message', (m: FromWorker) => push(m));
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      push({ type: 'exit', code, signal });
      resolve();
    }),
  );
  return {
    send: (message) => child.send(message),
    next: box.next,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function runBackend(
  backend: BackendName,
  cases: readonly Case[],
  options: Omit<RunOptions, 'files'>,
  browser: () => Promise<BrowserHost>,
): Promise<BackendRun> {
  const run: BackendRun = { backend, results: [] };
  if (cases.length === 0) return run;
  const timeoutMs = options.timeoutMs ?? (options.mode === 'bench' ? DEFAULT_BENCH_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorize-'));
  let live: Live | undefined;
  /** Starts a worker and waits for its backend; undefined (and run.unavailable set) when it cannot start. */
  const start = async (): Promise<Live | undefined> => {
    const l = isBrowserBackend(backend)
      ? openPage(browser, backend, options.onOutput)
      : spawn({ backend, scratch }, options.onOutput);
    const first = await withTimeout(l.next(), Math.max(timeoutMs, 60_000));
    if (first?.type === 'ready') {
      if (!run.info) {
        run.info = first.info;
        options.onProgress?.({ type: 'backend', backend, info: first.info });
      }
      return l;
    }
    await l.kill();
    run.unavailable =
      first === undefined
        ? `${backend}: the backend did not start within ${Math.max(timeoutMs, 60_000) / 1000} s`
        : first.type === 'unavailable'
          ? first.message
          : `${backend}: the worker exited while starting the backend (${first.type === 'exit' ? (first.reason ?? first.signal ?? `exit code ${first.code}`) : first.type})`;
    options.onProgress?.({ type: 'backend', backend, unavailable: run.unavailable });
    return undefined;
  };
  try {
    for (const c of cases) {
      live ??= await start();
      if (!live) break;
      const message: ToWorker = {
        type: 'case',
        case: c,
        mode: options.mode,
        warmup: options.warmup ?? 2,
        runs: options.runs ?? 5,
      };
      live.send(message);
      const reply = await withTimeout(live.next(), timeoutMs);
      let result: CaseResult;
      const base = { id: c.id, file: c.file, line: c.line, kind: c.kind } as const;
      if (reply?.type === 'result') result = reply.result;
      else {
        // Hung or crashed: the worker is killed below, the next case gets a fresh one.
        result =
          reply === undefined
            ? { ...base, status: 'timeout', error: `stopped after the ${timeoutMs / 1000} s time limit` }
            : {
                ...base,
                status: 'error',
                error:
                  reply.type === 'exit' && reply.reason
                    ? reply.reason
                    : `the worker died while running it${reply.type === 'exit' ? ` (${reply.signal ?? `exit code ${reply.code}`})` : ''}`,
              };
      }
      // A case that hung, crashed, threw or disagreed may leave the backend in a bad state (seen on
      // webgpu: after a kernel throws, later results are wrong): the next case gets a fresh worker.
      if (result.status !== 'equal') {
        await live.kill();
        live = undefined;
      }
      run.results.push(result);
      options.onProgress?.({ type: 'case', backend, result });
    }
  } finally {
    // Every case has its answer: nothing the worker still does matters.
    await live?.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return run;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
  ]).finally(() => clearTimeout(timer));
}
