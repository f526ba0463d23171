import { Observable, type OperatorFunction, type SchedulerAction, type SchedulerLike, type Subscription } from 'rxjs';
import type { MarketFeatures } from '../contracts/market-state-classifier.js';
import type { MarketEvent } from '../model/market.schema.js';
import { MarketFeatureWindow, type MarketFeatureWindowOptions } from './market-feature-window.js';

/** Options of the `marketFeatures` operator: a window per symbol with these settings. */
export interface MarketFeaturesOptions extends Omit<MarketFeatureWindowOptions, 'symbol'> {
  /** Symbols to follow (default: every symbol that appears). */
  symbols?: readonly string[];
}

/** The features of one symbol's window after a bar closed. */
export interface MarketFeatureSnapshot {
  symbol: string;
  /** End of the newest bar in the window (epoch ms). */
  ts: number;
  features: MarketFeatures;
}

/**
 * Turns market events into rolling-window features: one `MarketFeatureWindow` per
 * symbol, one snapshot each time an event closes at least one bar of its symbol.
 * With a `scheduler`, trade and book bars also close on time at every bar boundary
 * (a quiet market still yields zero-volume bars); without one, the data's own events
 * close them. Candle data needs no scheduler.
 */
export function marketFeatures(options: MarketFeaturesOptions = {}, scheduler?: SchedulerLike): OperatorFunction<MarketEvent, MarketFeatureSnapshot> {
  const { symbols, ...windowOptions } = options;
  const follow = symbols ? new Set(symbols) : undefined;
  return (source) =>
    new Observable<MarketFeatureSnapshot>((subscriber) => {
      const windows = new Map<string, MarketFeatureWindow>();
      const emit = (window: MarketFeatureWindow): void =>
        subscriber.next({ symbol: window.symbol, ts: window.lastBarEndMs, features: window.features() });
      let timer: Subscription | undefined;
      if (scheduler) {
        const barMs = windowOptions.barMs ?? 60_000;
        const untilBoundary = (now: number): number => barMs - (((now % barMs) + barMs) % barMs);
        timer = scheduler.schedule(function tick(this: SchedulerAction<unknown>) {
          const now = scheduler.now();
          for (const window of windows.values()) if (window.advanceTo(now) > 0) emit(window);
          this.schedule(undefined, untilBoundary(now));
        }, untilBoundary(scheduler.now()));
      }
      const subscription = source.subscribe({
        next: (event) => {
          if (follow && !follow.has(event.symbol)) return;
          let window = windows.get(event.symbol);
          if (!window) {
            window = new MarketFeatureWindow({ ...windowOptions, symbol: event.symbol });
            windows.set(event.symbol, window);
          }
          if (window.push(event) > 0) emit(window);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        timer?.unsubscribe();
      };
    });
}
