import { Subscription, firstValueFrom, type Observable } from 'rxjs';
import { MarketDataSource, MarketStateProvider, RunLoop, TrancheError, type Logger, type MarketEvent, type MessageBus } from '@tranche/core';
import { composeRunner, type CcxtOverrides } from '../compose.js';
import { marketDataSubject, marketStateSubject, type MarketDataKind } from './cluster-subjects.js';

/** Options of `runGateway`. */
export interface GatewayOptions {
  readonly bus: MessageBus;
  /** `paper` (default: the recorded data replayed) or `ccxt` (the exchange's streams). */
  readonly venue?: string;
  readonly ccxt?: CcxtOverrides;
  readonly configFile?: string;
  readonly data?: string;
  /** Replay speed of the paper venue's data (default 1: as recorded). */
  readonly speed?: 'max' | number;
  /** Symbols to stream from a live venue. */
  readonly symbols?: readonly string[];
  readonly logger: Logger;
  /** Completes (or emits) when the gateway should stop; otherwise it runs until the data ends. */
  readonly stop$?: Observable<unknown>;
  /** Wall-clock reader for the throughput figure (default `performance.now`). */
  readonly wallNow?: () => number;
}

/** What a gateway published. */
export interface GatewayStats {
  /** Market-data messages published, by kind. */
  readonly published: Record<MarketDataKind | 'state', number>;
  /** Publishes the bus refused. */
  readonly failed: number;
  readonly symbols: readonly string[];
  readonly wallMs: number;
  /** Market-data and state messages per second of wall time. */
  readonly messagesPerSecond: number;
}

const KIND: Record<MarketEvent['type'], MarketDataKind> = { trade: 'trades', 'book-snapshot': 'book', 'book-delta': 'book', ticker: 'ticker', candle: 'candles' };

/**
 * `tranche gateway`: composes a runner on the venue (the replay of recorded data for the
 * paper venue, the exchange's streams for ccxt), starts its market data and publishes
 * every event on `md.<venue>.<symbol>.<kind>` and every market-state change on
 * `state.<symbol>` (fan-out subjects for monitors and dashboards). Resolves with what it
 * published when the data ends or `stop$` fires.
 */
export async function runGateway(options: GatewayOptions): Promise<GatewayStats> {
  const wallNow = options.wallNow ?? (() => performance.now());
  const venue = options.venue ?? 'paper';
  const tranche = await composeRunner({
    logger: options.logger,
    venue,
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    ...(options.ccxt === undefined ? {} : { ccxt: options.ccxt }),
    ...(options.symbols === undefined ? {} : { symbols: options.symbols }),
    ...(venue === 'paper' ? { speed: options.speed ?? 1, ...(options.data === undefined ? {} : { data: options.data }) } : {}),
  });
  const published: Record<MarketDataKind | 'state', number> = { book: 0, trades: 0, ticker: 0, candles: 0, state: 0 };
  let failed = 0;
  const send = (subject: string, message: unknown, kind: MarketDataKind | 'state'): void => {
    published[kind]++;
    options.bus.publish(subject, message).catch((error: unknown) => {
      if (failed++ === 0) options.logger.warn('gateway publish failed', { subject, error: TrancheError.from(error).message });
    });
  };
  const subscription = new Subscription();
  const runLoop = tranche.get(RunLoop);
  const began = wallNow();
  try {
    if (!tranche.container.isBound(MarketDataSource)) throw new TrancheError('validation', `invalid --venue: ${venue} has no market data source to publish`, { field: '--venue', retryable: false });
    const source = tranche.get<MarketDataSource>(MarketDataSource);
    const sourceEnded = new Promise<void>((resolve, reject) => {
      subscription.add(
        source.events$.subscribe({
          next: (event) => send(marketDataSubject(venue, event.symbol, KIND[event.type]), event, KIND[event.type]),
          complete: resolve,
          error: reject,
        }),
      );
    });
    // A replay runs while something demands it: the gateway does, for as long as it runs.
    runLoop.begin();
    await tranche.manager.initialize();
    const symbols = source.symbols();
    if (tranche.container.isBound(MarketStateProvider)) {
      const states = tranche.get<MarketStateProvider>(MarketStateProvider);
      for (const symbol of symbols) subscription.add(states.state$(symbol).subscribe((update) => send(marketStateSubject(symbol), update, 'state')));
    }
    const stopped = options.stop$ ? firstValueFrom(options.stop$, { defaultValue: undefined }) : new Promise<never>(() => undefined);
    await Promise.race([sourceEnded, stopped]);
    const wallMs = wallNow() - began;
    const total = Object.values(published).reduce((sum, n) => sum + n, 0);
    return { published, failed, symbols, wallMs, messagesPerSecond: wallMs > 0 ? (total * 1000) / wallMs : 0 };
  } finally {
    subscription.unsubscribe();
    runLoop.end();
    await tranche.close();
  }
}
