import { defineConfig } from 'vitest/config';

/** One run over every package: `npm test` prints a single summary. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'plugins/*', 'apps/*', 'examples', 'tools'],
    reporters: ['default', './tools/summary-reporter.ts'],
  },
});
