import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/vitest-results.json' },
    coverage: {
      provider: 'v8',
      include: ['src/core/**', 'src/engines/**'],
    },
  },
});
