import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { TrancheError, VirtualClock, type ExecutionReport } from '@tranche/core';
import type {
  DashboardExecutionUpdate,
  DashboardFeed,
  DashboardHistoryEntry,
  DashboardKillResult,
  DashboardKillSwitchUpdate,
  DashboardMarket,
  DashboardMarketUpdate,
  DashboardSnapshot,
} from './dashboard-feed.js';
import { DashboardServer } from './dashboard-server.js';

/** A feed that is not a Tranche app: the server must need nothing else. */
class StubFeed implements DashboardFeed {
  readonly executionUpdates$ = new Subject<DashboardExecutionUpdate>();
  readonly marketUpdates$ = new Subject<DashboardMarketUpdate>();
  readonly killSwitchUpdates$ = new Subject<DashboardKillSwitchUpdate>();
  readonly calls: unknown[][] = [];
  snapshot(): DashboardSnapshot {
    return {
      now: 0,
      venue: 'stub',
      data: { source: null, ended: false },
      executions: [],
      markets: [],
      metrics: this.metrics(),
      killSwitch: { engaged: false, reason: null, completed: false, stoppedExecutions: 0 },
      strategies: ['twap'],
    };
  }
  metrics() {
    return { stub: { stub_total: { kind: 'counter' as const, value: 1 } } };
  }
  async history(limit: number): Promise<DashboardHistoryEntry[]> {
    this.calls.push(['history', limit]);
    return [];
  }
  async submitOrder(order: unknown): Promise<{ executionId: string }> {
    this.calls.push(['submit', order]);
    if ((order as { quantity?: number }).quantity === 99) throw new TrancheError('risk', 'max parent notional exceeded', { retryable: false });
    return { executionId: 'x1' };
  }
  async cancelExecution(executionId: string): Promise<ExecutionReport> {
    this.calls.push(['cancel', executionId]);
    return { id: executionId, status: 'cancelled', filledQuantity: 0.25 } as ExecutionReport;
  }
  async engageKillSwitch(reason: string): Promise<DashboardKillResult> {
    this.calls.push(['kill', reason]);
    return { reason, engagedAt: 1, completedAt: 2, stopped: [] };
  }
}

function market(symbol: string, ts: number, mid: number): DashboardMarket {
  return { symbol, ts, bid: mid - 0.5, ask: mid + 0.5, mid, spreadBps: 1, lastPrice: mid, state: null, stateConfidence: null };
}

type Received = { event: string; data: Record<string, unknown> };

/** Reads SSE blocks from a streaming response; `next(n)` resolves once n events in total have arrived. */
function sseReader(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Received[] = [];
  let buffer = '';
  return {
    events,
    async until(done: (events: Received[]) => boolean): Promise<void> {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
        }
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe('DashboardServer over any DashboardFeed', () => {
  let server: DashboardServer | undefined;
  afterEach(async () => server?.close());

  it('sends market updates at a bounded rate on its clock, each with every price point since the last, and heartbeats', async () => {
    const feed = new StubFeed();
    const clock = new VirtualClock(0);
    server = new DashboardServer({ feed, clock, port: 0, marketIntervalMs: 500, heartbeatMs: 15_000, metricsIntervalMs: 5_000 });
    const url = await server.listen();
    const stream = sseReader(await fetch(`${url}api/events`));
    await stream.until((events) => events.length >= 1);
    expect(stream.events[0]!.event).toBe('snapshot');
    // Fifty book moves of BTC (ten of them new price points) and thirty of ETH within one period.
    for (let index = 0; index < 50; index++) {
      feed.marketUpdates$.next({ market: market('BTC/USDT', 1_000 + index * 100, 60_000 + index), ...(index % 5 === 0 ? { point: { ts: 1_000 + index * 100, mid: 60_000 + index } } : {}) });
    }
    for (let index = 0; index < 30; index++) feed.marketUpdates$.next({ market: market('ETH/USDT', 1_000 + index, 2_600 + index) });
    clock.advanceTo(499);
    feed.executionUpdates$.next({ event: { type: 'note', executionId: 'x1', ts: 5, message: 'hello' }, execution: { executionId: 'x1' } as DashboardExecutionUpdate['execution'] });
    clock.advanceTo(500);
    feed.marketUpdates$.next({ market: market('BTC/USDT', 9_000, 61_000), point: { ts: 9_000, mid: 61_000 } });
    clock.advanceTo(15_000);
    await stream.until((events) => events.some((event) => event.event === 'heartbeat'));
    await stream.cancel();
    const names = stream.events.map((event) => event.event);
    // Nothing was sent before the first period ended but the execution event, which is never delayed.
    expect(names.slice(0, 2)).toEqual(['snapshot', 'execution']);
    const markets = stream.events.filter((event) => event.event === 'market').map((event) => event.data as unknown as DashboardMarket & { points: Array<{ ts: number; mid: number }> });
    expect(markets.map((entry) => entry.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'BTC/USDT']);
    expect(markets[0]!.mid).toBe(60_049);
    expect(markets[0]!.points.map((point) => point.mid)).toEqual([60_000, 60_005, 60_010, 60_015, 60_020, 60_025, 60_030, 60_035, 60_040, 60_045]);
    expect(markets[1]).toMatchObject({ mid: 2_629, points: [] });
    expect(markets[2]!.points).toEqual([{ ts: 9_000, mid: 61_000 }]);
    expect(names.filter((name) => name === 'metrics')).toHaveLength(3);
    expect(stream.events.find((event) => event.event === 'heartbeat')!.data).toEqual({ ts: 15_000 });
  });

  it('says plainly when the port is taken or the host is not this machine', async () => {
    server = new DashboardServer({ feed: new StubFeed(), clock: new VirtualClock(0), port: 0 });
    const port = Number(new URL(await server.listen()).port);
    const second = new DashboardServer({ feed: new StubFeed(), clock: new VirtualClock(0), port });
    await expect(second.listen()).rejects.toThrow(`invalid --port: ${port} is already in use on 127.0.0.1`);
    const foreign = new DashboardServer({ feed: new StubFeed(), clock: new VirtualClock(0), port: 0, host: '192.0.2.1', token: 'a-token-of-enough-length' });
    await expect(foreign.listen()).rejects.toThrow('invalid --host: "192.0.2.1" is not an address of this machine');
  });

  it('routes the actions to the feed and maps its errors to statuses', async () => {
    const feed = new StubFeed();
    server = new DashboardServer({ feed, clock: new VirtualClock(0), port: 0 });
    const url = await server.listen();
    const post = (path: string, body: unknown) => fetch(url + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect(await (await post('api/executions', { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1 })).json()).toEqual({ executionId: 'x1' });
    // The order's shape is the server's to check, whatever the feed: a malformed one never reaches it.
    const malformed = await post('api/executions', { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0 });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'invalid order: quantity must be greater than 0, got 0', kind: 'validation', field: 'quantity' });
    const refused = await post('api/executions', { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 99 });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({ error: 'max parent notional exceeded', kind: 'risk' });
    expect(await (await post('api/executions/x1/cancel', {})).json()).toMatchObject({ executionId: 'x1', status: 'cancelled', filledQuantity: 0.25 });
    expect(await (await post('api/kill', { confirm: true, reason: 'desk closed' })).json()).toEqual({ engaged: true, reason: 'desk closed', engagedAt: 1, completedAt: 2, stopped: [] });
    expect((await post('api/kill', { confirm: true, extra: 1 })).status).toBe(400);
    await fetch(`${url}api/history?limit=7`);
    expect(feed.calls).toEqual([
      ['submit', { symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 1 }],
      ['submit', { symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 99 }],
      ['cancel', 'x1'],
      ['kill', 'desk closed'],
      ['history', 7],
    ]);
  });
});
