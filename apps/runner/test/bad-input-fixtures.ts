import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { EXIT_INVALID_INPUT, main } from '../src/index.js';
import { captureIo } from './capture-io.js';

/** A valid order the bad cases start from. */
export const GOOD_ORDER = { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.01 } as const;

/** What a refused CLI run left behind. */
export interface RefusedRun {
  code: number;
  out: string;
  err: string;
}

/**
 * A scratch directory for one CLI case: a config file pointing the history/journal
 * database inside it, so a case can prove nothing was created on disk.
 */
export function scratch(prefix = 'tranche-bad-'): { dir: string; db: string; config: (extra?: Record<string, unknown>, ext?: 'json' | 'yaml', text?: string) => string; files: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = join(dir, 'state', 'tranche.db');
  let configs = 0;
  return {
    dir,
    db,
    config: (extra = {}, ext = 'json', text) => {
      const file = join(dir, `config-${++configs}.${ext}`);
      writeFileSync(file, text ?? JSON.stringify({ 'journal-sqlite': { path: db }, ...extra }));
      return file;
    },
    files: () => readdirSync(dir, { recursive: true }).map(String).sort(),
  };
}

/** Runs `tranche …args` in-process and checks the bad-input contract: exit 2, one `error:` line matching `message`, nothing on stdout, no stack. */
export async function expectRefused(args: readonly string[], message: RegExp): Promise<RefusedRun> {
  const io = captureIo();
  const code = await main(args, io);
  const run = { code, out: io.out.text, err: io.err.text };
  expect(code, run.err).toBe(EXIT_INVALID_INPUT);
  expect(run.out).toBe('');
  const lines = run.err.trim().split('\n');
  expect(lines, run.err).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(message);
  expect(run.err).not.toMatch(/\n\s+at /);
  return run;
}

/** A copy of the bundled BTC/USDT captures in a new directory, with `change` applied to the file whose name contains `kind`. */
export function capturesWith(root: string, name: string, kind: 'trades' | 'depth' | 'bookticker', change: (content: Buffer) => Buffer): string {
  const bundled = fileURLToPath(new URL('../../../plugins/feed-replay/data/', import.meta.url));
  const target = join(root, name);
  mkdirSync(target, { recursive: true });
  for (const file of readdirSync(bundled).filter((candidate) => candidate.startsWith('binance-spot_BTCUSDT_'))) {
    const content = readFileSync(join(bundled, file));
    writeFileSync(join(target, file), file.includes(`_${kind}.`) ? change(content) : content);
  }
  return target;
}
