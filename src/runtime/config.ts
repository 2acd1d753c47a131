// The options of `vectorize/no-element-loop` in the user's eslint.config.* (for `vectorize fix`): ESLint's
// own lookup (`loadESLint`, then `calculateConfigForFile`) from `cwd`. A file whose config turns the rule
// on with options gets those options; a file without a config, outside it, ignored by it, or whose
// config leaves the rule off or without options, gets the rule's defaults.
import { loadESLint } from 'eslint';
import { RULE_ID } from './cases.js';

export interface ConfigOptions {
  /** The options to lint each file with (after the severity); undefined: the rule's defaults. */
  options: Map<string, unknown[] | undefined>;
  /** Set when a config was found but could not be loaded (the rule's defaults are used): one line. */
  problem?: string;
}

export async function ruleOptionsFromConfig(files: readonly string[], cwd: string): Promise<ConfigOptions> {
  const options = new Map<string, unknown[] | undefined>();
  let problem: string | undefined;
  let eslint: { calculateConfigForFile(file: string): Promise<unknown> } | undefined;
  try {
    const ESLint = await loadESLint();
    eslint = new ESLint({ cwd });
  } catch (e) {
    problem = `cannot load ESLint's configuration (${(e as Error).message}); using the rule's defaults`;
  }
  for (const file of files) {
    let entry: unknown;
    try {
      const config = (await eslint?.calculateConfigForFile(file)) as { rules?: Record<string, unknown> } | undefined;
      entry = config?.rules?.[RULE_ID];
    } catch (e) {
      const message = (e as Error).message;
      // No eslint.config.* above the file: not a problem, the rule's defaults apply.
      if (!/Could not find config file/i.test(message))
        problem ??= `cannot read the ESLint configuration for ${file} (${message.split('\n')[0]}); using the rule's defaults`;
      entry = undefined;
    }
    // Calculated configs write each rule as [severity, ...options] with a numeric severity.
    const on = Array.isArray(entry) && entry[0] !== 0 && entry[0] !== 'off' && entry.length > 1;
    options.set(file, on ? (entry as unknown[]).slice(1) : undefined);
  }
  return { options, ...(problem ? { problem } : {}) };
}
