import { defineConfig } from 'vitest/config';

/**
 * Shared Vitest settings for every package: run TypeScript sources directly (the
 * `@tranche/source` export condition points at `src/`), with legacy decorators so
 * inversify's `@injectable`/`@inject` work in specs that no tsconfig includes.
 */
export const sharedVitestConfig = defineConfig({
  resolve: {
    conditions: ['@tranche/source'],
  },
  ssr: {
    resolve: {
      conditions: ['@tranche/source'],
    },
  },
  oxc: {
    decorator: { legacy: true, emitDecoratorMetadata: false },
  },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'threads',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
