// Command-line file arguments → the source files to check: files as given, folders searched
// recursively, anything else read as a glob (tinyglobby). Missing inputs are errors, not silence.
import fs from 'node:fs';
import path from 'node:path';
import { glob } from 'tinyglobby';

export const SOURCE_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs', '.cjs', '.jsx'];
const IGNORE = ['**/node_modules/**', '**/dist/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts', '**/.git/**'];

export interface ExpandedFiles {
  files: string[];
  /** One line per argument that matched nothing. */
  problems: string[];
}

const isSource = (f: string) => SOURCE_EXTENSIONS.includes(path.extname(f)) && !/\.d\.[cm]?ts$/.test(f);

export async function expandFiles(args: readonly string[], cwd: string): Promise<ExpandedFiles> {
  const files = new Set<string>();
  const problems: string[] = [];
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(abs);
    } catch {
      stat = undefined;
    }
    let found: string[];
    if (stat?.isFile()) {
      found = [abs];
    } else if (stat?.isDirectory()) {
      found = await glob(
        SOURCE_EXTENSIONS.map((e) => `**/*${e}`),
        { cwd: abs, absolute: true, ignore: IGNORE },
      );
      if (found.length === 0) problems.push(`${arg}: no .ts/.js files in this folder`);
    } else {
      found = (await glob([arg], { cwd, absolute: true, ignore: IGNORE })).filter(isSource);
      if (found.length === 0) problems.push(`${arg}: no such file, folder, or matching .ts/.js files`);
    }
    for (const f of found) files.add(path.normalize(f));
  }
  return { files: [...files].sort(), problems };
}
