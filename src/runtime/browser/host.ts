// The Node side of the browser backends (`webgl`, `browser-webgpu`): headless Chromium driven by
// playwright-core, with the browser already on the machine (Debian's `chromium`, or `--browser PATH`;
// nothing is downloaded). esbuild bundles ./page.ts with the user's TF.js into one script, and each
// case's two modules with their TF.js imports bound to the page's TF.js; the page runs them with the
// same code as the Node worker (../case-runner.ts), so comparison, tolerance, leak check and timing
// are the same.
//
// Off the network: the page's origin, http://localhost/, is served by request interception (no server
// listens, no socket opens) and every other request is aborted; host names resolve to nothing; and
// the background services a fresh profile would call (updates, sync, safe browsing) are off.
// localhost rather than a made-up name: it is a secure context, which WebGPU needs, and the response
// headers make it cross-origin isolated, so performance.now() is precise to 5 µs instead of 100 µs.
//
// playwright-core and esbuild are optional peer dependencies, loaded with dynamic import by verify,
// bench and fix on a browser backend only; the lint rules never load them.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError, MissingDependencyError, tfModuleUrl } from '../backends.js';
import { errorText } from '../case-runner.js';
import { TF_SPECIFIERS } from '../loader.js';
import type { BackendInfo, BackendName, Case, CaseResult } from '../types.js';
import type { PageApi, StartReply } from './page.js';

/** The versions the browser backends are tested with. */
const TESTED_PLAYWRIGHT = '1.65.2';
const TESTED_ESBUILD = '0.28.2';

const ORIGIN = 'http://localhost';
const PAGE_URL = `${ORIGIN}/`;
const SCRIPT_URL = `${ORIGIN}/vectorize-page.js`;
const HTML = `<!doctype html><meta charset="utf-8"><title>vectorize</title><script type="module" src="${SCRIPT_URL}"></script>`;
const ISOLATED = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** Looked up on PATH, in this order, when no `--browser` is given. */
const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
/** Where Chrome and Chromium install themselves outside PATH. */
const BROWSER_PATHS = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
];
const INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: apt-get install chromium) or Chrome, or pass its executable with --browser PATH; vectorize never downloads a browser';

const isExecutable = (file: string): boolean => {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The browser to run: `explicit` (`--browser PATH`) when given, which must be an executable file; else the first of
 * chromium, chromium-browser, google-chrome, … on PATH, else Chrome's usual install places. Throws
 * BackendUnavailableError with one line that says what to do.
 */
export function findBrowser(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  extraPaths: readonly string[] = BROWSER_PATHS,
): string {
  if (explicit !== undefined) {
    const file = path.resolve(explicit);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      throw new BackendUnavailableError(
        `--browser ${explicit}: no such file; pass the path of a Chromium or Chrome executable`,
      );
    }
    if (!stat.isFile())
      throw new BackendUnavailableError(
        `--browser ${explicit}: not a file; pass the path of a Chromium or Chrome executable`,
      );
    if (!isExecutable(file)) throw new BackendUnavailableError(`--browser ${explicit}: not executable`);
    return file;
  }
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of BROWSER_NAMES)
    for (const dir of dirs) {
      const file = path.join(dir, name);
      if (isExecutable(file)) return file;
    }
  const found = extraPaths.find(isExecutable);
  if (found) return found;
  throw new BackendUnavailableError(
    `no Chromium or Chrome found (looked for ${BROWSER_NAMES.join(', ')} on PATH): ${INSTALL_HINT}`,
  );
}

// ───────────────────────────── optional packages ─────────────────────────────

type Playwright = typeof import('playwright-core');
type Esbuild = typeof import('esbuild');
type Browser = import('playwright-core').Browser;
type BrowserContext = import('playwright-core').BrowserContext;

const require = createRequire(import.meta.url);

/** playwright-core and esbuild, or one MissingDependencyError that names every one missing. */
async function loadTools(purpose: string): Promise<{ playwright: Playwright; esbuild: Esbuild }> {
  const wanted = [
    { pkg: 'playwright-core', version: TESTED_PLAYWRIGHT },
    { pkg: 'esbuild', version: TESTED_ESBUILD },
  ];
  const missing = wanted.filter(({ pkg }) => {
    try {
      require.resolve(pkg);
      return false;
    } catch (e) {
      if (MissingDependencyError.isNotFound(e, pkg)) return true;
      throw e;
    }
  });
  if (missing.length > 0) throw new MissingDependencyError(purpose, missing);
  const [playwright, esbuild] = await Promise.all([import('playwright-core'), import('esbuild')]);
  return { playwright, esbuild };
}

// ───────────────────────────── bundles ─────────────────────────────

/** The page entry: compiled next to this file (dist), or the TypeScript source when run from src (vitest). */
function pageEntry(): string {
  const js = fileURLToPath(new URL('./page.js', import.meta.url));
  return fs.existsSync(js) ? js : js.replace(/\.js$/, '.ts');
}

const pageBundles = new Map<string, Promise<string>>();

/** One script with TF.js (and tfjs-backend-webgpu for browser-webgpu) and ./page.ts; built once per process. */
function pageBundle(esbuild: Esbuild, webgpu: boolean): Promise<string> {
  const key = webgpu ? 'webgpu' : 'webgl';
  let bundle = pageBundles.get(key);
  if (!bundle) {
    bundle = buildPage(esbuild, webgpu);
    pageBundles.set(key, bundle);
    bundle.catch(() => pageBundles.delete(key));
  }
  return bundle;
}

async function buildPage(esbuild: Esbuild, webgpu: boolean): Promise<string> {
  const entry = pageEntry();
  if (webgpu) {
    try {
      require.resolve('@tensorflow/tfjs-backend-webgpu');
    } catch (e) {
      if (!MissingDependencyError.isNotFound(e, '@tensorflow/tfjs-backend-webgpu')) throw e;
      const version = (require('@tensorflow/tfjs/package.json') as { version: string }).version;
      throw new MissingDependencyError('the browser-webgpu backend', [
        { pkg: '@tensorflow/tfjs-backend-webgpu', version },
      ]);
    }
  }
  // tfjs-backend-webgpu registers itself when imported, after TF.js (which the page imports first).
  const contents = `import ${JSON.stringify(entry)};\n${webgpu ? "import '@tensorflow/tfjs-backend-webgpu';\n" : ''}`;
  try {
    const out = await esbuild.build({
      stdin: { contents, resolveDir: path.dirname(entry), sourcefile: 'vectorize-page.js', loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
    });
    return out.outputFiles[0].text;
  } catch (e) {
    throw new BackendUnavailableError(`the browser page did not bundle: ${buildError(e)}`);
  }
}

/** esbuild's first error, in one line. */
function buildError(e: unknown): string {
  const errors = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
  const first = errors?.[0];
  if (!first) return errorText(e);
  return first.location ? `${first.location.file}:${first.location.line}: ${first.text}` : first.text;
}

const TF_SHIM = 'vectorize-tf';

/**
 * A case's module (../cases.ts transpiled it for Node: TF.js imports point at the runtime's TF.js, relative and bare
 * imports at file URLs) as one ES module for the page: the user's other modules bundled in, TF.js bound to the
 * page's instance. A module that cannot be bundled becomes one that throws when it loads, with esbuild's reason, so
 * the case runner reports it as it reports a module that does not load in Node.
 */
async function bundleCase(esbuild: Esbuild, code: string, file: string, tfUrl: string): Promise<string> {
  const plugin: import('esbuild').Plugin = {
    name: 'vectorize-case',
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData === TF_SHIM) return undefined;
        if (args.path === tfUrl || TF_SPECIFIERS.has(args.path)) return { path: 'tf', namespace: TF_SHIM };
        if (!args.path.startsWith('file:')) return undefined;
        // esbuild's own resolver, for extensionless and `.js`-for-`.ts` specifiers as TypeScript projects write them.
        const target = fileURLToPath(args.path);
        const found = await build.resolve(`./${path.basename(target)}`, {
          resolveDir: path.dirname(target),
          kind: args.kind,
          importer: args.importer,
          pluginData: TF_SHIM,
        });
        return found.errors.length > 0 ? { errors: found.errors } : { path: found.path };
      });
      // CommonJS, so that esbuild's interop gives `import * as tf` and named imports alike from the page's namespace.
      build.onLoad({ filter: /.*/, namespace: TF_SHIM }, () => ({
        contents: 'module.exports = globalThis.__vectorizeTf;',
        loader: 'js',
      }));
    },
  };
  try {
    const out = await esbuild.build({
      stdin: { contents: code, resolveDir: path.dirname(file), sourcefile: path.basename(file), loader: 'js' },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      plugins: [plugin],
    });
    return out.outputFiles[0].text;
  } catch (e) {
    return `throw new Error(${JSON.stringify(`cannot be bundled for the browser: ${buildError(e)}`)});\n`;
  }
}

// ───────────────────────────── the browser ─────────────────────────────

/**
 * Playwright's launch error in one line: what the browser last wrote to stderr (`[pid=…][err] …` in its call log),
 * else its first line, plus the exit code.
 */
function launchError(e: unknown): string {
  // eslint-disable-next-line no-control-regex -- the call log is coloured with ANSI escapes
  const text = (e instanceof Error ? e.message : String(e)).replace(/\u001b\[[0-9;]*m/g, '');
  const stderr = [...text.matchAll(/\[pid=\d+\]\[err\]\s*(.*\S)/g)].map((m) => m[1]);
  const exit = /process did exit: exitCode=(\d+)/.exec(text);
  const first = (text.split('\n')[0] ?? '').replace(/^browserType\.launch:\s*/, '');
  return `${stderr.length > 0 ? stderr[stderr.length - 1] : first}${exit ? ` (exit code ${exit[1]})` : ''}`;
}

/** A page with one backend started in it: a fresh one per worker the runtime would start in Node. */
export interface PageSession {
  info: BackendInfo;
  run(c: Case, mode: 'verify' | 'bench', warmup: number, runs: number): Promise<CaseResult>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** `--browser PATH`; else found by findBrowser(). */
  executablePath?: string;
}

/** One headless browser, shared by the browser backends of a run (each gets its own pages). */
export class BrowserHost {
  private constructor(
    private readonly browser: Browser,
    private readonly tools: { playwright: Playwright; esbuild: Esbuild },
    /** The executable that runs. */
    readonly executable: string,
    /** `Chromium 156.0.8078.114`. */
    readonly name: string,
  ) {}

  /** Finds the browser and starts it headless. Throws MissingDependencyError or BackendUnavailableError (one line). */
  static async launch(options: LaunchOptions = {}, purpose = 'running webgl or browser-webgpu'): Promise<BrowserHost> {
    const tools = await loadTools(purpose);
    const executable = findBrowser(options.executablePath);
    const args = [
      // WebGL on SwiftShader where there is no GPU (Chromium ≥ 137 no longer falls back to it unasked); a GPU
      // that is there is still preferred.
      '--enable-unsafe-swiftshader',
      // WebGPU is behind this flag on Linux.
      '--enable-unsafe-webgpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-domain-reliability',
      '--disable-sync',
      '--no-first-run',
      '--no-default-browser-check',
      '--host-resolver-rules=MAP * ~NOTFOUND',
      // The sandbox guards a machine against web content; the page runs only the user's own code, which the other
      // backends run unsandboxed in Node. It also refuses to start as root and in containers without user namespaces.
      '--no-sandbox',
    ];
    let browser: Browser;
    try {
      browser = await tools.playwright.chromium.launch({
        executablePath: executable,
        headless: true,
        args,
        timeout: 60_000,
      });
    } catch (e) {
      throw new BackendUnavailableError(`the browser ${executable} did not start: ${launchError(e)}`);
    }
    const base = path.basename(executable).toLowerCase();
    const product = /chromium/.test(base) ? 'Chromium' : /chrome/.test(base) ? 'Chrome' : base;
    return new BrowserHost(browser, tools, executable, `${product} ${browser.version()}`);
  }

  get connected(): boolean {
    return this.browser.isConnected();
  }

  /**
   * A fresh page (its own browser context) with `backend` started in it. Throws BackendUnavailableError (or
   * MissingDependencyError) when the backend cannot start there.
   */
  async open(backend: BackendName, onOutput?: (chunk: string) => void): Promise<PageSession> {
    const { esbuild } = this.tools;
    const script = await pageBundle(esbuild, backend === 'browser-webgpu');
    const context: BrowserContext = await this.browser.newContext({ serviceWorkers: 'block' });
    const close = async () => {
      // A page stuck in a user's infinite loop still closes: the browser ends its renderer.
      await context.close().catch(() => undefined);
    };
    try {
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url === PAGE_URL)
          return route.fulfill({ status: 200, contentType: 'text/html', headers: ISOLATED, body: HTML });
        if (url === SCRIPT_URL)
          return route.fulfill({ status: 200, contentType: 'text/javascript', headers: ISOLATED, body: script });
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(errorText(e)));
      page.on('console', (m) => onOutput?.(`${m.text()}\n`));
      await page.goto(PAGE_URL);
      await page
        .waitForFunction(() => '__vectorize' in globalThis, undefined, { timeout: 60_000 })
        .catch((e: unknown) => {
          throw new BackendUnavailableError(
            `${backend}: the page did not load in ${this.name}: ${errors[0] ?? errorText(e)}`,
          );
        });
      const reply: StartReply = await page.evaluate(
        (b) => (globalThis as unknown as { __vectorize: PageApi }).__vectorize.start(b),
        backend,
      );
      if (!reply.ok) throw new BackendUnavailableError(`${reply.message} (in ${this.name})`);
      const info: BackendInfo = { ...reply.info, browser: this.name };
      const tfUrl = tfModuleUrl();
      return {
        info,
        run: async (c, mode, warmup, runs) => {
          const [originalCode, fixedCode] = await Promise.all([
            bundleCase(esbuild, c.originalCode, c.file, tfUrl),
            bundleCase(esbuild, c.fixedCode, c.file, tfUrl),
          ]);
          return page.evaluate(
            ([bundled, m, w, r]) =>
              (globalThis as unknown as { __vectorize: PageApi }).__vectorize.run(bundled, m, w, r),
            [{ ...c, originalCode, fixedCode }, mode, warmup, runs] as const,
          );
        },
        close,
      };
    } catch (e) {
      await close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}
