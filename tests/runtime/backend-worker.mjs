// Helper of backends.test.ts. Plain JS: worker threads cannot run TypeScript. It loads the built runtime
// (dist/runtime/backends.js; `npm test` builds first).
//
// As a worker thread (workerData: { task, backend }):
//   task 'start'   — loadTf + startBackend(backend), one tf.matMul read back with `await data()`;
//                    posts { info, values, shape, backend, sameTf, tfModuleUrl, loadMs, startMs, opMs }
//                    or { error: { name, message } }.
//   task 'missing' — imports a package that is not installed and maps the failure with
//                    MissingDependencyError.fromImportError; posts { code, message } of both errors.
// As a process (node backend-worker.mjs <mode> <backend>), printing one JSON line on stdout:
//   mode 'worker'  — one worker runs 'start'.
//   mode 'restart' — a worker runs 'start' and is terminated; a second worker in the same process runs it again.
//   mode 'main'    — 'start' in this process's main thread (what a child process of the runtime would do).
// The process form is how the test controls the real process environment (VK_ICD_FILENAMES) that
// Dawn reads: a worker's process.env is a copy that native code does not see.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const backendsUrl = new URL('../../dist/runtime/backends.js', import.meta.url).href;

async function start(backend) {
  const t0 = performance.now();
  const { loadTf, startBackend, tfModuleUrl } = await import(backendsUrl);
  const tf = await loadTf();
  const t1 = performance.now();
  let info;
  try {
    info = await startBackend(tf, backend);
  } catch (e) {
    return { error: { name: e?.name, message: e?.message } };
  }
  const t2 = performance.now();
  // [[1, 2, 3], [4, 5, 6]] · [[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]]
  const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = tf.tensor2d([7, 8, 9, 10, 11, 12], [3, 2]);
  const c = tf.matMul(a, b);
  const values = Array.from(await c.data());
  const t3 = performance.now();
  const shape = c.shape;
  tf.dispose([a, b, c]);
  const url = tfModuleUrl();
  // User modules import TF.js from this URL: it must be the very module the runtime loaded.
  const sameTf = (await import(url)) === tf;
  return {
    info,
    values,
    shape,
    backend: tf.getBackend(),
    sameTf,
    tfModuleUrl: url,
    loadMs: t1 - t0,
    startMs: t2 - t1,
    opMs: t3 - t2,
  };
}

async function missing() {
  const { MissingDependencyError } = await import(backendsUrl);
  const pkg = 'vectorize-test-no-such-package';
  const original = await import(pkg).then(
    () => undefined,
    (e) => e,
  );
  const mapped = MissingDependencyError.fromImportError(original, pkg, '1.2.3', 'the test backend');
  return {
    original: { code: original?.code, message: original?.message },
    mapped: mapped && {
      name: mapped.name,
      message: mapped.message,
      isMissing: mapped instanceof MissingDependencyError,
    },
  };
}

function runWorker(backend, { terminate = true } = {}) {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: { task: 'start', backend } });
    let answered = false;
    w.once('message', async (m) => {
      answered = true;
      const t = performance.now();
      if (terminate) await w.terminate();
      resolve({ ...m, terminateMs: performance.now() - t });
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (!answered) reject(new Error(`worker exited with ${code} before it answered`));
    });
  });
}

if (!isMainThread) {
  const { task, backend } = workerData;
  parentPort.postMessage(task === 'missing' ? await missing() : await start(backend));
} else {
  const [mode, backend] = process.argv.slice(2);
  let out;
  if (mode === 'worker') out = await runWorker(backend);
  else if (mode === 'restart') out = [await runWorker(backend), await runWorker(backend)];
  else if (mode === 'main') out = await start(backend);
  else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(JSON.stringify(out) + '\n');
  // Dawn keeps a process alive while its GPU object lives (node-webgpu README, "Lifetime").
  process.exit(0);
}
