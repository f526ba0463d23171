import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The spec files that run for minutes (each drives many child processes), started first so
 * that they overlap with everything else instead of running alone at the end: on a fresh
 * clone (no timing cache) vitest would otherwise order them by file size.
 */
const LONG_RUNNING = [
  'apps/runner/test/crash-resume.e2e.spec.ts',
  'apps/runner/test/cluster-kill-worker.e2e.spec.ts',
  'apps/runner/test/kill-switch-emulator.e2e.spec.ts',
  'examples/test/docs-code-blocks.spec.ts',
];

/** Vitest's default order, with the long-running spec files first. */
export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification): number => {
      const index = LONG_RUNNING.findIndex((path) => file.moduleId.endsWith(path));
      return index === -1 ? LONG_RUNNING.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
