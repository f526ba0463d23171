import { ContainerModule } from 'inversify';
import {
  Clock,
  ExecutionManager,
  MarketDataSource,
  MemoryLogger,
  RunLoop,
  Venue,
  VirtualClock,
  createTranche,
  definePlugin,
  yieldToEventLoop,
  type BookSnapshotEvent,
  type ExecutionEvent,
  type ExecutionReport,
  type MarketEvent,
  type MarketInfo,
  type Tranche,
  type TranchePlugin,
} from '@tranche/core';
import { InMemoryVenue } from './in-memory-venue.js';
import { ScriptedMarketDataSource } from './scripted-market-data-source.js';
import { syntheticMarket, syntheticMarketInfo, type SyntheticMarketOptions } from './synthetic-market.js';

/** How far virtual time may run past the end of the data to let pending timers fire. */
const DRAIN_HORIZON_MS = 10 * 60_000;

/** Options of `TestBench.create`. */
export interface TestBenchOptions {
  /** Plugins under test (strategies, collectors, …). */
  plugins: readonly TranchePlugin<unknown>[];
  /** Config object passed to `createTranche`. */
  config?: unknown;
  /** Recorded or synthetic market: a snapshot and the events after it. Default: `syntheticMarket()`. */
  market?: { snapshot: BookSnapshotEvent; events: MarketEvent[] } | SyntheticMarketOptions;
  /** Market rules; default BTC/USDT-like rules for the snapshot's symbol. */
  markets?: MarketInfo[];
  /** Use this venue instead of the in-memory one (it must read market data itself). */
  venue?: (clock: VirtualClock, source: ScriptedMarketDataSource) => Venue;
}

/** Options of `TestBench.execute`. */
export interface TestBenchExecuteOptions {
  /** Cancel the parent order when the data reaches this time (ms after its start). */
  cancelAfterMs?: number;
}

/**
 * A whole engine in virtual time for tests: the plugins under test, a scripted market
 * (synthetic by default), an in-memory venue and a `VirtualClock`. `execute(request)`
 * replays market events until the parent order ends (or the data does) and resolves
 * with its report; a one-hour TWAP takes milliseconds.
 */
export class TestBench {
  /** Every execution event, in order. */
  readonly events: ExecutionEvent[] = [];
  /** Log lines written by library code. */
  readonly logger = new MemoryLogger();
  private cursor = 0;

  private constructor(
    readonly tranche: Tranche,
    readonly clock: VirtualClock,
    readonly source: ScriptedMarketDataSource,
    readonly venue: Venue,
    private readonly script: MarketEvent[],
  ) {
    tranche.manager.events$.subscribe((event) => this.events.push(event));
  }

  /** Builds and initializes the engine; the market's snapshot is applied. */
  static async create(options: TestBenchOptions): Promise<TestBench> {
    const market = options.market && 'snapshot' in options.market ? options.market : syntheticMarket(options.market as SyntheticMarketOptions | undefined);
    const symbol = market.snapshot.symbol;
    const markets = options.markets ?? [syntheticMarketInfo(symbol)];
    const clock = new VirtualClock(market.snapshot.ts);
    const source = new ScriptedMarketDataSource([symbol], clock, [market.snapshot]);
    const venue = options.venue ? options.venue(clock, source) : new InMemoryVenue(markets, clock, source);
    const harness = definePlugin({
      name: 'test-bench',
      version: '0.0.0',
      module: new ContainerModule(({ bind }) => {
        bind(Venue).toConstantValue(venue);
        bind(MarketDataSource).toConstantValue(source);
      }),
    });
    const logger = new MemoryLogger();
    const tranche = createTranche({ config: options.config ?? {}, plugins: [harness, ...options.plugins], clock, logger });
    const bench = new TestBench(tranche, clock, source, venue, market.events);
    (bench as { logger: MemoryLogger }).logger = logger;
    await tranche.manager.initialize();
    return bench;
  }

  /** The engine's manager. */
  get manager(): ExecutionManager {
    return this.tranche.manager;
  }

  /** The run loop shared by the engine and the bench. */
  get runLoop(): RunLoop {
    return this.tranche.get(RunLoop);
  }

  /** The clock bound in the container (the bench's virtual clock). */
  get boundClock(): Clock {
    return this.tranche.get<Clock>(Clock);
  }

  /** Market events not replayed yet. */
  get remainingEvents(): number {
    return this.script.length - this.cursor;
  }

  /**
   * Executes one parent order, replaying market events until it ends; when the data
   * runs out first, the source completes and the engine ends the order.
   */
  async execute(request: unknown, options: TestBenchExecuteOptions = {}): Promise<ExecutionReport> {
    let finished = false;
    const done = this.manager.executeOrder(request);
    done.then(
      () => (finished = true),
      () => (finished = true),
    );
    const runLoop = this.runLoop;
    for (let round = 0; round < 50 && !finished && runLoop.active === 0; round++) await yieldToEventLoop();
    const startedAt = this.clock.now();
    const executionId = this.manager.activeExecutions().at(-1);
    let cancelled = false;
    await runLoop.settle();
    while (!finished && this.cursor < this.script.length) {
      const event = this.script[this.cursor++]!;
      if (options.cancelAfterMs !== undefined && !cancelled && executionId && event.ts - startedAt >= options.cancelAfterMs) {
        cancelled = true;
        this.clock.advanceTo(event.ts);
        void this.manager.cancel(executionId).catch(() => undefined);
        await runLoop.settle();
        if (finished) break;
      }
      this.source.emit(event);
      if (runLoop.needsSettle) await runLoop.settle();
    }
    if (!finished) {
      this.source.end();
      await runLoop.settle();
      // After the data, time still passes: let pending timers (retry delays, venue latency) fire.
      const horizon = this.clock.now() + DRAIN_HORIZON_MS;
      while (!finished && this.clock.pending > 0 && this.clock.nextDue() <= horizon) {
        this.clock.advanceTo(this.clock.nextDue());
        await runLoop.settle();
      }
    }
    return done;
  }

  /** Closes the engine. */
  async close(): Promise<void> {
    await this.tranche.close();
  }
}
