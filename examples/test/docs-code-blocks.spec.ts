import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_COMPILER_OPTIONS, docFiles, isTypeScript, readBlocks, typeCheck, type CodeBlock, type DocDiagnostic } from './docs-code-blocks.js';

/**
 * Every ```ts block of docs/ and the root README compiles against the built packages,
 * as in a user's project; the strategy tutorial's project (its titled blocks) builds,
 * passes its own tests (the testkit strategy contract and runs on recorded data) and
 * runs from the `tranche` CLI and from its own createTranche script to a filled report.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// One directory per run: two runs at once (a developer's and a full `npm test`) must not wipe each other's builds.
const workDir = join(root, '.cache', 'docs-code-blocks', `run-${process.pid}`);
const docs = docFiles(root);
const blocksByDoc = new Map(docs.map((doc) => [doc, readBlocks(root, doc)]));
const slug = (doc: string) => doc.replace(/\.md$/, '').replace(/[^\w-]+/g, '_');
const projectDir = (doc: string) => join(workDir, 'projects', slug(doc));
const tutorial = 'docs/guides/writing-a-strategy.md';

/** Diagnostics of every block, by markdown file. */
const diagnostics = new Map<string, DocDiagnostic[]>();
/** Markdown files that hold a tutorial project (titled blocks). */
const projects = docs.filter((doc) => blocksByDoc.get(doc)!.some((block) => block.title !== undefined));

function childEnv(): NodeJS.ProcessEnv {
  // A nested vitest must not think it is a worker of this one.
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));
}

/** What a child process left: its exit status and its output. */
interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string[], cwd: string): RunResult {
  return spawnSync(process.execPath, command, { cwd, encoding: 'utf8', env: childEnv(), timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
}

/** `run` without blocking, so independent projects' tests overlap with the tutorial's steps. */
function runInBackground(command: string[], cwd: string): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, command, { cwd, env: childEnv(), timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => resolvePromise({ status: null, stdout, stderr: `${stderr}\n${error.message}` }));
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

function output(result: RunResult): string {
  return `exit ${result.status}\n${result.stdout}\n${result.stderr}`.slice(-6_000);
}

const otherProjects = projects.filter((name) => name !== tutorial);
/** The other guides' project test runs, started once their files are written. */
const otherRuns = new Map<string, Promise<RunResult>>();

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  const origins = new Map<string, { doc: string; firstLine: number }>();
  const write = (file: string, block: CodeBlock) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${block.code}\n`);
    origins.set(resolve(file), { doc: block.doc, firstLine: block.line + 1 });
  };
  // Standalone blocks: one module each, in an ESM package of their own.
  const blocksDir = join(workDir, 'blocks');
  mkdirSync(blocksDir, { recursive: true });
  writeFileSync(join(blocksDir, 'package.json'), '{ "type": "module" }\n');
  const standalone: string[] = [];
  for (const [doc, blocks] of blocksByDoc) {
    for (const block of blocks) {
      if (!isTypeScript(block) || block.fragment || block.title !== undefined) continue;
      const file = join(blocksDir, `${slug(doc)}-L${block.line}.ts`);
      write(file, block);
      standalone.push(file);
    }
  }
  // Tutorial projects: every titled block is a file of the guide's project.
  const projectFiles: string[] = [];
  for (const doc of projects) {
    const dir = projectDir(doc);
    const titled = blocksByDoc.get(doc)!.filter((block) => block.title !== undefined);
    for (const block of titled) {
      write(join(dir, block.title!), block);
      if (isTypeScript(block)) projectFiles.push(join(dir, block.title!));
    }
    if (!titled.some((block) => block.title === 'package.json')) writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  }
  const origin = (file: string) => origins.get(resolve(file));
  // Start the other projects' tests now (only where the guide ships a vitest config: without one vitest would climb to the repository's).
  for (const doc of otherProjects) {
    if (blocksByDoc.get(doc)!.some((block) => block.title === 'vitest.config.ts')) {
      otherRuns.set(doc, runInBackground([join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--no-color'], projectDir(doc)));
    }
  }
  // One program for all (the libraries' declarations are read once); each project has its own package.json.
  for (const diagnostic of typeCheck([...standalone, ...projectFiles], USER_COMPILER_OPTIONS, origin)) {
    diagnostics.set(diagnostic.doc, [...(diagnostics.get(diagnostic.doc) ?? []), diagnostic]);
  }
}, 120_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('code blocks of the docs', () => {
  it('finds the guides and their TypeScript blocks', () => {
    const tsBlocks = [...blocksByDoc.values()].flat().filter(isTypeScript);
    expect(docs).toContain(tutorial);
    expect(tsBlocks.length).toBeGreaterThan(20);
    // Fragments are not compiled, so they must stay rare.
    expect(tsBlocks.filter((block) => block.fragment).length).toBeLessThanOrEqual(Math.ceil(tsBlocks.length / 10));
  });

  it('compiles every block without a diagnostic the compiler does not attribute to a doc', () => {
    const stray = [...diagnostics.entries()].filter(([doc]) => !docs.includes(doc));
    expect(stray.map(([doc, list]) => `${doc}: ${list.map((d) => d.message).join('; ')}`)).toEqual([]);
  });

  for (const doc of docs) {
    const count = blocksByDoc.get(doc)!.filter((block) => isTypeScript(block) && !block.fragment).length;
    if (count === 0) continue;
    it(`${doc}: its ${count} TypeScript blocks compile`, () => {
      const list = diagnostics.get(doc) ?? [];
      expect(list.map((diagnostic) => `${diagnostic.doc}:${diagnostic.line}: ${diagnostic.message}`)).toEqual([]);
    });
  }
});

describe('links of the guides', () => {
  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
  const anchors = (markdown: string) =>
    new Set(
      [...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) =>
        match[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-'),
      ),
    );
  for (const doc of docs.filter((name) => name.startsWith('docs/guides/'))) {
    it(`${doc}: every relative link reaches a file (and its heading)`, () => {
      const text = readFileSync(join(root, doc), 'utf8');
      const broken: string[] = [];
      for (const [, target] of text.replace(/^```[\s\S]*?^```/gm, '').matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // http:, mailto:
        const [path, anchor] = target!.split('#');
        const file = path ? resolve(dirname(join(root, doc)), path) : join(root, doc);
        if (!existsSync(file)) broken.push(`${target}: no such file`);
        else if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${target}: no such heading`);
      }
      expect(broken).toEqual([]);
    });
  }
});

describe('the strategy tutorial, followed as a user would', () => {
  const dir = projectDir(tutorial);
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const tranche = join(root, 'apps', 'runner', 'bin', 'tranche.js');

  it('builds with its own tsconfig.json (npx tsc)', () => {
    const result = run([tsc, '-p', 'tsconfig.json'], dir);
    expect(result.status, output(result)).toBe(0);
  }, 120_000);

  it('passes its own tests: the testkit strategy contract and runs on recorded Binance data (npx vitest run)', () => {
    const result = run([vitest, 'run', '--reporter=default', '--no-color'], dir);
    expect(result.status, output(result)).toBe(0);
    const passed = /Tests\s+(\d+) passed/.exec(result.stdout);
    expect(Number(passed?.[1] ?? 0), output(result)).toBeGreaterThanOrEqual(15);
    expect(result.stdout).not.toMatch(/failed|skipped/);
  }, 120_000);

  it('runs from the tranche CLI through the config file`s plugins list to a filled report', () => {
    const result = run([tranche, 'execute', '--config', 'tranche.yaml', '--order', '@order.json', '--json'], dir);
    expect(result.status, output(result)).toBe(0);
    const report = JSON.parse(result.stdout) as { status: string; strategy: string; filledQuantity: number; requestedQuantity: number };
    expect(report.strategy).toBe('pegged');
    expect(report.status).toBe('filled');
    expect(report.filledQuantity).toBeCloseTo(report.requestedQuantity, 9);
  }, 120_000);

  it('backtests against twap from its backtest config (every run of both filled)', () => {
    const result = run([tranche, 'backtest', '--config', 'backtest.yaml', '--strategies', 'twap,pegged', '--sizes', '1%', '--durations', '2m', '--json'], dir);
    expect(result.status, output(result)).toBe(0);
    const { runs } = JSON.parse(result.stdout) as { runs: Array<{ strategy: string; status: string }> };
    const pegged = runs.filter((entry) => entry.strategy === 'pegged');
    expect(pegged.length).toBeGreaterThan(0);
    expect(pegged.every((entry) => entry.status === 'filled')).toBe(true);
  }, 120_000);

  it('runs from its own createTranche script (node dist/run-pegged.js)', () => {
    const result = run([join('dist', 'run-pegged.js')], dir);
    expect(result.status, output(result)).toBe(0);
    expect(result.stdout).toMatch(/^filled: 0\.5 BTC at \d+\.\d{2}/);
  }, 120_000);
});

// Guides other than the strategy tutorial that carry a project (titled blocks) must ship its tests.
if (otherProjects.length > 0) describe('the other guides` projects', () => {
  for (const doc of otherProjects) {
    it(`${doc}: its project's tests pass`, async () => {
      expect(otherRuns.has(doc), `${doc} has titled blocks but no vitest.config.ts block`).toBe(true);
      const result = await otherRuns.get(doc)!;
      expect(result.status, output(result)).toBe(0);
      expect(result.stdout).toMatch(/Tests\s+\d+ passed/);
    }, 120_000);
  }
});
