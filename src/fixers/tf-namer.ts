import type { TSESLint } from '@typescript-eslint/utils';
import type { TfBinding } from '../analysis/tf-binding.js';
import type { OpNamer } from '../emit/tfjs/lower.js';

/**
 * Names TF.js ops with the file's own binding: `tf.sum` through the namespace, or a named import,
 * adding the missing ones to the file's TF.js import.
 */
export class TfNamer implements OpNamer {
  readonly missing = new Set<string>();
  /** Set when an op is needed that the file can reach by neither a namespace nor an import we can extend. */
  unreachable: string | undefined;

  constructor(
    private readonly binding: TfBinding,
    private readonly taken: (name: string) => boolean,
  ) {}

  op(name: string): string {
    if (this.binding.namespace) return `${this.binding.namespace}.${name}`;
    for (const [local, imported] of this.binding.named) if (imported === name) return local;
    if (!this.binding.importDecl || this.taken(name)) this.unreachable ??= name;
    this.missing.add(name);
    return name;
  }

  type(name: string): string | undefined {
    // `const tf = require(…)` binds a value: its types are reached through an import type.
    if (this.binding.namespace && this.binding.requiredFrom) return `import('${this.binding.requiredFrom}').${name}`;
    if (this.binding.namespace) return `${this.binding.namespace}.${name}`;
    for (const [local, imported] of [...this.binding.named, ...this.binding.types]) if (imported === name) return local;
    return undefined;
  }

  importEdits(fixer: TSESLint.RuleFixer): TSESLint.RuleFix[] {
    const decl = this.binding.importDecl;
    if (this.missing.size === 0 || !decl) return [];
    const last = decl.specifiers[decl.specifiers.length - 1];
    return [fixer.insertTextAfter(last, `, ${[...this.missing].sort().join(', ')}`)];
  }
}
