import type { ESLintUtils } from '@typescript-eslint/utils';
import { name as pkgName, version } from './package-info.js';
import { useVisitorKeys } from './ast/predicates.js';

export interface VectorizeRuleDocs {
  description: string;
  recommended?: boolean;
  requiresTypeChecking?: boolean;
}

/**
 * Each rule's documentation: docs/rules/<name>.md ships in the package, and this URL serves that file of
 * the installed version from the npm registry's tarball (unpkg), so the link matches the rule the editor runs.
 */
export const docsUrl = (name: string): string => `https://unpkg.com/${pkgName}@${version}/docs/rules/${name}.md`;

type NamedRuleCreator = ReturnType<typeof ESLintUtils.RuleCreator<VectorizeRuleDocs>>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of JSON data (options' defaults): cheaper than `structuredClone` on every lint. */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = cloneJson(v);
  return out;
}

/** Objects merged key by key (the user's value wins), as typescript-eslint's applyDefault does. */
function deepMerge(first: Record<string, unknown>, second: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...first };
  for (const [key, value] of Object.entries(second))
    out[key] = key in first && isObject(first[key]) && isObject(value) ? deepMerge(first[key], value) : value;
  return out;
}

/**
 * Rules with a docs URL and their options merged over the defaults — typescript-eslint's
 * `ESLintUtils.RuleCreator`, written out so that the plugin loads without `@typescript-eslint/utils`
 * (whose parser pulls in TypeScript, which a JavaScript project does not need).
 */
export const createRule = (({ meta, name, defaultOptions, create }: Parameters<NamedRuleCreator>[0]) => {
  const defaults = (meta.defaultOptions ?? defaultOptions ?? []) as unknown[];
  return {
    create(context: { options: unknown[]; sourceCode?: { visitorKeys?: unknown } }) {
      useVisitorKeys(context.sourceCode?.visitorKeys);
      const options = defaults.map(cloneJson).map((opt, i) => {
        const user = context.options[i];
        if (user === undefined) return opt;
        return isObject(opt) && isObject(user) ? deepMerge(opt, user) : user;
      });
      return (create as (context: unknown, options: unknown[]) => unknown)(context, options);
    },
    defaultOptions,
    meta: { ...meta, docs: { ...meta.docs, url: docsUrl(name) } },
    name,
  };
}) as unknown as NamedRuleCreator;

/**
 * An analysis bug must never take down the user's lint run: the node is left unreported. Set
 * VECTORIZE_DEBUG=1 to make it throw (the test suites do, so such bugs fail loudly there).
 */
export function internalError(e: unknown): void {
  if (typeof process !== 'undefined' && process.env.VECTORIZE_DEBUG) throw e;
}

/** A listener that reports an analysis bug through internalError instead of throwing. */
export function guarded<N>(listener: (node: N) => void): (node: N) => void {
  return (node) => {
    try {
      listener(node);
    } catch (e) {
      internalError(e);
    }
  };
}
