import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_INVALID_INPUT, main } from '../src/index.js';
import { captureIo } from './capture-io.js';

/** Every number under `value` (recursively) is finite; collects the paths of the ones that are not. */
function nonFinite(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => nonFinite(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => nonFinite(item, `${path}.${key}`));
  return [];
}

describe('tranche bench', () => {
  it('--quick --json prints every section as one JSON document with positive, finite figures (no timing targets asserted)', async () => {
    const io = captureIo();
    const code = await main(['bench', '--quick', '--json'], io);
    expect(code, io.err.text).toBe(0);
    const document = JSON.parse(io.out.text) as Record<string, Record<string, unknown>>;
    const { replay, latency, memory, scale, decode } = document;
    for (const key of ['eventsPerSecond', 'baselineEventsPerSecond', 'messagesPerSecond', 'baselineMessagesPerSecond', 'slowdown']) expect(replay![key], key).toBeGreaterThan(0);
    expect(replay!['events']).toBeGreaterThan(replay!['messages'] as number);
    for (const key of ['p50Us', 'p99Us', 'p999Us']) expect(latency![key], key).toBeGreaterThan(0);
    expect(latency!['p50Us']).toBeLessThanOrEqual(latency!['p99Us'] as number);
    expect(latency!['p99Us']).toBeLessThanOrEqual(latency!['p999Us'] as number);
    expect(memory!['bytesPerEvent']).toBeGreaterThan(0);
    expect((memory!['longReplay'] as { heapSamples: unknown[] }).heapSamples.length).toBeGreaterThan(0);
    expect(decode!['decodeRowsPerSecond']).toBeGreaterThan(0);
    const events = scale!['events'] as { copies: number; rows: number; eventsPerSecond: number }[];
    const orders = scale!['orders'] as { orders: number; eventsPerSecond: number; childOrders: number }[];
    expect(events.map((entry) => entry.copies)).toEqual([1, 2]);
    expect(events[1]!.rows).toBeGreaterThan(events[0]!.rows * 1.9);
    expect(orders.map((entry) => entry.orders)).toEqual([1, 2]);
    for (const entry of [...events, ...orders]) expect(entry.eventsPerSecond).toBeGreaterThan(0);
    expect(orders[1]!.childOrders).toBeGreaterThan(0);
    expect(nonFinite({ replay, latency, memory, scale, decode })).toEqual([]);
    expect((document['targets'] as unknown as { pass: boolean }[]).length).toBeGreaterThanOrEqual(5);
  }, 120_000);

  it('prints a table with each figure beside its baseline, runs only the sections asked for, and writes the JSON to --out', async () => {
    const io = captureIo();
    const out = join(mkdtempSync(join(tmpdir(), 'tranche-bench-')), 'bench.json');
    const code = await main(['bench', '--quick', '--sections', 'replay', '--out', out], io);
    expect(code, io.err.text).toBe(0);
    expect(io.out.text).toMatch(/== Replay throughput/);
    expect(io.out.text).toMatch(/events\/s \(rows: trades \+ level changes\)\s+[\d,]+ \/s\s+plain loop: [\d,]+ \/s/);
    expect(io.out.text).not.toMatch(/== Scale/);
    expect(io.out.text).toMatch(/Targets met: \d\/2/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Record<string, Record<string, number>>;
    expect(Object.keys(written)).toEqual(['environment', 'replay', 'targets']);
    expect(written['replay']!['eventsPerSecond']).toBeGreaterThan(0);
  }, 60_000);

  it('refuses an unknown section', async () => {
    const io = captureIo();
    expect(await main(['bench', '--sections', 'nope'], io)).toBe(EXIT_INVALID_INPUT);
    expect(io.err.text).toMatch(/unknown section "nope"/);
  });
});
