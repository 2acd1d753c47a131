// Module hooks for the runtime's worker (registered with node:module's register()): the user's modules
// that a case imports — `import { EPS } from './consts'`, `'./norm.js'` meaning norm.ts — load the way
// TypeScript projects write them. Relative specifiers without an extension, or with `.js` standing for
// a `.ts` file, resolve to the TypeScript file; TypeScript files are transpiled with the TypeScript
// compiler API; and `@tensorflow/tfjs` / `-core` imported from the user's files bind to the runtime's
// TF.js, so every module of a case shares one engine (two copies would each keep their own tensors).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type ts from 'typescript';

export interface LoaderData {
  /** The URL of the runtime's TF.js (tfModuleUrl()). */
  tfUrl: string;
}

interface ResolveContext {
  parentURL?: string;
  conditions?: string[];
  importAttributes?: Record<string, string>;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}
interface LoadResult {
  format: string;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}

/** The imports that must bind to the runtime's TF.js (also rewritten by cases.ts when it transpiles a case). */
export const TF_SPECIFIERS: ReadonlySet<string> = new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-core']);
/** TypeScript files: transpiled here, linted with the typescript-eslint parser by cases.ts. */
export const TS_FILE = /\.(?:[cm]?ts|tsx)$/;
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
  '.jsx': ['.tsx'],
};

let tfUrl = '';
let tsMod: typeof ts | undefined;

export function initialize(data: LoaderData): void {
  tfUrl = data.tfUrl;
}

/** A file of the user's (not a package's). */
const isUserFile = (url: string | undefined): url is string =>
  !!url && url.startsWith('file:') && !url.includes('/node_modules/');

const isFile = (p: string) => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** Where a relative import that Node cannot find may point in a TypeScript project, in TypeScript's order. */
function candidates(file: string): string[] {
  const ext = path.extname(file);
  if (JS_TO_TS[ext]) return JS_TO_TS[ext].map((e) => file.slice(0, -ext.length) + e);
  const exts = ['.ts', '.tsx', '.mts', '.js', '.mjs'];
  return [...exts.map((e) => file + e), ...exts.map((e) => path.join(file, `index${e}`))];
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  next: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  if (TF_SPECIFIERS.has(specifier) && isUserFile(context.parentURL) && tfUrl) return { url: tfUrl, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (e) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (!relative || !isUserFile(context.parentURL)) throw e;
    const target = fileURLToPath(new URL(specifier, context.parentURL));
    const found = candidates(target).find(isFile);
    if (!found) throw e;
    return { url: pathToFileURL(found).href, shortCircuit: true };
  }
}

export async function load(
  url: string,
  context: { format?: string | null },
  next: (url: string, context: { format?: string | null }) => Promise<LoadResult>,
): Promise<LoadResult> {
  if (!isUserFile(url) || !TS_FILE.test(new URL(url).pathname)) return next(url, context);
  tsMod ??= (await import('typescript')).default;
  const file = fileURLToPath(url);
  const out = tsMod.transpileModule(fs.readFileSync(file, 'utf8'), {
    fileName: path.basename(file),
    compilerOptions: {
      module: tsMod.ModuleKind.ESNext,
      target: tsMod.ScriptTarget.ES2022,
      jsx: tsMod.JsxEmit.ReactJSX,
      sourceMap: false,
    },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
