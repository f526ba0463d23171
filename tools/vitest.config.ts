import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedVitestConfig } from '../vitest.shared.js';

/** Specs of the repository tools (the configuration reference generator, the docs site checks). */
export default mergeConfig(
  sharedVitestConfig,
  defineConfig({
    test: {
      name: 'tools',
      include: ['*.spec.ts'],
    },
  }),
);
