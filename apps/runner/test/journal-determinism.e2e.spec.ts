import { ContainerModule } from 'inversify';
import { afterAll, describe, expect, it } from 'vitest';
import busNatsPlugin, { journalNatsPlugin } from '@tranche/bus-nats';
import { ExecutionJournal, createTranche, definePlugin, type ExecutionEvent, type ExecutionReport, type TranchePlugin } from '@tranche/core';
import feedReplayPlugin from '@tranche/feed-replay';
import { startNatsServer, type NatsServerHandle } from '@tranche/testkit';
import twapStrategyPlugin from '@tranche/strategy-twap';
import paperVenuePlugin from '@tranche/venue-paper';

/**
 * A replay in virtual time gives the same execution whether the write-ahead journal
 * answers in a microtask (SQLite) or after a network round trip (JetStream): virtual
 * time does not move while a child order's intent is being journaled, and a slice a
 * timer starts is placed at the timer's time, not after the clock moved on.
 */

/** An in-memory journal whose writes take `delayMs` of wall time (0: a microtask). */
class SlowJournal implements ExecutionJournal {
  readonly recorded: ExecutionEvent[] = [];
  constructor(private readonly delayMs: number) {}
  async record(event: ExecutionEvent): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.recorded.push(event);
  }
  async events(executionId: string): Promise<ExecutionEvent[]> {
    return this.recorded.filter((event) => event.executionId === executionId);
  }
  async unfinished(): Promise<string[]> {
    return [];
  }
  async close(): Promise<void> {}
}

async function run(journal?: SlowJournal | { natsUrl: string; id: string }): Promise<ExecutionReport> {
  const plugins: TranchePlugin<unknown>[] = [feedReplayPlugin, paperVenuePlugin, twapStrategyPlugin] as TranchePlugin<unknown>[];
  const config: Record<string, unknown> = { 'feed-replay': { speed: 'max' } };
  if (journal && 'natsUrl' in journal) {
    plugins.push(busNatsPlugin as TranchePlugin<unknown>, journalNatsPlugin as TranchePlugin<unknown>);
    config['bus-nats'] = { url: journal.natsUrl };
    config['journal-nats'] = { enabled: true };
  } else if (journal) {
    plugins.push(
      definePlugin({
        name: 'test-journal',
        version: '0.0.0',
        module: new ContainerModule(({ bind }) => void bind(ExecutionJournal).toConstantValue(journal)),
      }) as never,
    );
  }
  const tranche = createTranche({ config, plugins });
  try {
    await tranche.manager.initialize();
    return await tranche.manager.executeOrder({
      id: journal && 'natsUrl' in journal ? journal.id : 'determinism',
      symbol: 'ETH/USDT',
      side: 'buy',
      type: 'twap',
      quantity: 20,
      params: { durationMs: 120_000, slices: 8, seed: 3, randomization: 0.3 },
    });
  } finally {
    await tranche.close();
  }
}

const essentials = (report: ExecutionReport): ReturnType<typeof figures> => JSON.parse(JSON.stringify(figures(report))) as ReturnType<typeof figures>;
const figures = (report: ExecutionReport) => ({
  status: report.status,
  filledQuantity: report.filledQuantity,
  averagePrice: report.averagePrice,
  fills: report.fills.map((fill) => [fill.ts, fill.clientOrderId, fill.price, fill.quantity]),
  childOrders: report.childOrders.map((order) => [order.clientOrderId, order.type, order.price, order.quantity, order.status]),
});

describe('journal latency and the replay', () => {
  it('gives the same report without a journal, with an instant one and with one taking 3 ms a write', async () => {
    const bare = essentials(await run());
    const instant = new SlowJournal(0);
    const slow = new SlowJournal(3);
    expect(essentials(await run(instant))).toEqual(bare);
    expect(essentials(await run(slow))).toEqual(bare);
    expect(bare.fills.length).toBeGreaterThan(5);
    // The journal really was in the path: every child order's intent was written before it was sent.
    expect(slow.recorded.filter((event) => event.type === 'child-order-intent').length).toBe(bare.childOrders.length);
  }, 60_000);

  let server: NatsServerHandle | undefined;
  afterAll(async () => server?.stop());

  it('gives the same report with the JetStream journal (a network round trip per write), run after run', async () => {
    server = await startNatsServer();
    const bare = essentials(await run());
    for (const id of ['nats-1', 'nats-2', 'nats-3']) {
      const report = await run({ natsUrl: server.url, id });
      // Client ids carry the execution id: compare the rest.
      const same = JSON.parse(JSON.stringify(essentials(report)).replaceAll(id, 'determinism'));
      expect(same).toEqual(bare);
    }
  }, 120_000);
});
