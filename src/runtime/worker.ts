// The worker that runs user code: a child process (forked by ./run.ts) that starts one TF.js backend,
// then runs the cases the parent sends one at a time (./case-runner.ts: the original and the rewritten
// function on the same seeded inputs, compared, leak-checked and (bench) timed). The parent holds the
// time limit: a case
// that hangs is ended by killing this process. A process, not a worker thread: terminating a thread
// while Dawn (webgpu) has GPU work in flight aborts the whole process, and a user's infinite loop or a
// crashing native addon must not take the report down with it.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'node:module';
import {
  BackendUnavailableError,
  loadTf,
  MissingDependencyError,
  startBackend,
  tfModuleUrl,
  type Tf,
} from './backends.js';
import { errorText, runCase, type RunFn } from './case-runner.js';
import type { LoaderData } from './loader.js';
import type { BackendInfo, BackendName, Case, CaseResult } from './types.js';

export interface WorkerInit {
  backend: BackendName;
  /** A directory the main thread made and removes: transpiled modules are written here to be imported. */
  scratch: string;
}

export type ToWorker = { type: 'case'; case: Case; mode: 'verify' | 'bench'; warmup: number; runs: number };

export type FromWorker =
  | { type: 'ready'; info: BackendInfo }
  | { type: 'unavailable'; message: string }
  | { type: 'result'; result: CaseResult };

// Every module gets a fresh file name: the ES module cache must not hand back an earlier case's state.
const { backend, scratch } = JSON.parse(process.argv[2] ?? '{}') as WorkerInit;
let counter = 0;
async function importCode(code: string, label: string): Promise<RunFn> {
  const file = path.join(scratch, `${label}-${process.pid}-${++counter}.mjs`);
  fs.writeFileSync(file, code);
  try {
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    return mod.__vectorizeRegion as RunFn;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

async function main(): Promise<void> {
  const send = (m: FromWorker) => process.send!(m);
  let tf: Tf;
  try {
    tf = await loadTf();
    // The user's own modules that a case imports (TypeScript, extensionless specifiers) and their TF.js imports.
    register(new URL('./loader.js', import.meta.url).href, { data: { tfUrl: tfModuleUrl() } satisfies LoaderData });
    const info = await startBackend(tf, backend);
    send({ type: 'ready', info });
  } catch (e) {
    const message =
      e instanceof MissingDependencyError || e instanceof BackendUnavailableError
        ? e.message
        : `${backend}: cannot start: ${errorText(e)}`;
    send({ type: 'unavailable', message });
    process.disconnect();
    return;
  }
  process.on('message', (msg: ToWorker) => {
    void runCase({ tf, backend, tfBackend: backend, importCode }, msg.case, msg.mode, msg.warmup, msg.runs).then(
      (result) => send({ type: 'result', result }),
      (e) =>
        send({
          type: 'result',
          result: {
            id: msg.case.id,
            file: msg.case.file,
            line: msg.case.line,
            kind: msg.case.kind,
            status: 'error',
            error: errorText(e),
          },
        }),
    );
  });
  // The parent closes the channel when it is done: leave then, whatever timers user code left behind.
  process.on('disconnect', () => process.exit(0));
}

void main();
