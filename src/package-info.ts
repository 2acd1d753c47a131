import { createRequire } from 'node:module';

// Read at load time so meta.version never drifts from package.json.
const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };
export const name = pkg.name;
export const version = pkg.version;
