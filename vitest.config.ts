import { defineConfig } from 'vitest/config';
import SlowFirstSequencer from './tools/slow-first-sequencer.js';

/** One run over every package: `npm test` prints a single summary. */
export default defineConfig({
  test: {
    projects: ['packages/*', 'plugins/*', 'apps/*', 'examples', 'tools'],
    reporters: ['default', './tools/summary-reporter.ts'],
    // The minutes-long e2e files first, so they overlap with the rest (CI has 2 cores).
    sequence: { sequencer: SlowFirstSequencer },
  },
});
