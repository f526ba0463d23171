import nx from '@nx/eslint-plugin';

/**
 * Lint rules of the monorepo. The important one is Nx's module-boundary check:
 * a plugin may import only @tranche/core (and @tranche/testkit in its tests), never
 * another plugin; core imports no other Tranche package; apps compose plugins.
 */
const boundaries = (testkitForPlugins) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    allow: [],
    depConstraints: [
      { sourceTag: 'type:core', onlyDependOnLibsWithTags: [] },
      { sourceTag: 'type:testkit', onlyDependOnLibsWithTags: ['type:core'] },
      { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: testkitForPlugins ? ['type:core', 'type:testkit'] : ['type:core'] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:plugin', 'type:testkit'] },
    ],
  },
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', 'docs/api', '.nx', '**/vitest.config.ts', 'vitest.shared.ts'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['packages/*/src/**/*.ts', 'plugins/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(true),
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
];
