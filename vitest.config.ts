import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Scratch space of the fixture harness (transpiled modules, virtual type-check files).
    exclude: ['**/node_modules/**', 'tests/.tmp/**'],
    // Analysis bugs throw in tests instead of being swallowed (src/rules/no-element-loop.ts).
    env: { VECTORIZE_DEBUG: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
