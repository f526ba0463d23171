import { describe, expect, it } from 'vitest';
import { ExecutionLogger } from '@tranche/core';
import { TestBench, testStrategies } from '@tranche/testkit';
import { createPinoLogger } from '../src/index.js';

/**
 * The core ExecutionLogger writing through the pino logger while a paced algorithm runs
 * in virtual time on the testkit's engine: one JSON line per event of interest, each with
 * the execution's ids, filtered by the `execution` component's level.
 */
describe('ExecutionLogger through pino', () => {
  async function run(components: Record<string, 'debug' | 'info' | 'warn'>): Promise<{ lines: Array<Record<string, unknown>>; report: Awaited<ReturnType<TestBench['execute']>> }> {
    const written: string[] = [];
    const logger = createPinoLogger({ level: 'warn', components }, { destination: { write: (line: string) => void written.push(line) } });
    const bench = await TestBench.create({ plugins: [testStrategies()] });
    new ExecutionLogger(logger).follow(bench.manager.events$);
    const report = await bench.execute({ symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity: 1, params: { durationMs: 60_000, slices: 4 } });
    await bench.close();
    return { lines: written.map((line) => JSON.parse(line) as Record<string, unknown>), report };
  }

  it('at debug: started, every intent and fill with its clientOrderId, ended with the report summary', async () => {
    const { lines, report } = await run({ execution: 'debug' });
    for (const line of lines) expect(line).toMatchObject({ component: 'execution', executionId: report.id, symbol: 'BTC/USDT', side: 'buy', strategy: 'paced' });
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'execution started' });
    expect(lines.at(-1)).toMatchObject({ level: 'info', msg: 'execution ended', status: report.status, filledQuantity: report.filledQuantity, fills: report.fills.length });
    const fills = lines.filter((line) => line['msg'] === 'fill');
    expect(fills.map((line) => line['clientOrderId'])).toEqual(report.fills.map((fill) => fill.clientOrderId));
    expect(lines.filter((line) => line['msg'] === 'child order intent')).toHaveLength(report.childOrders.length);
    expect(report.fills.length).toBeGreaterThan(0);
  });

  it('at info: only the start and the end; under the default warn: nothing', async () => {
    expect((await run({ execution: 'info' })).lines.map((line) => line['msg'])).toEqual(['execution started', 'execution ended']);
    expect((await run({})).lines).toEqual([]);
  });
});
