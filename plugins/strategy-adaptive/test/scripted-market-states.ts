import { ContainerModule, inject, injectable } from 'inversify';
import { Subject, defer, startWith, timer, type Observable, type Subscription } from 'rxjs';
import { Clock, MarketStateProvider, definePlugin, type MarketFeatures, type MarketStateUpdate, type TranchePlugin } from '@tranche/core';

/** One scripted market state: from `atMs` after the script's origin (by default the bench's start time). */
export interface ScriptedState {
  readonly atMs: number;
  readonly state: string;
  readonly confidence?: number;
  readonly features?: MarketFeatures;
}

/**
 * A `MarketStateProvider` that publishes scripted states at scripted times on the
 * engine's clock (virtual time in a `TestBench`): the stand-in for the market-state
 * monitor in plugin tests (plugins may not import each other). States due at or before
 * subscription come first, as the monitor replays its current state.
 */
function scriptedProvider(script: readonly ScriptedState[], originMs: number | undefined) {
  @injectable()
  class ScriptedMarketStates implements MarketStateProvider {
    private readonly subject = new Subject<MarketStateUpdate>();
    private latest: MarketStateUpdate | undefined;
    private readonly timers: Subscription[] = [];

    constructor(@inject(Clock) private readonly clock: Clock) {
      const sorted = [...script].sort((a, b) => a.atMs - b.atMs);
      const origin = originMs ?? clock.now();
      for (const step of sorted) {
        const ts = origin + step.atMs;
        const publish = (): void => {
          this.latest = { symbol: 'BTC/USDT', ts, state: step.state, confidence: step.confidence ?? 0.8, features: step.features ?? {} };
          this.subject.next(this.latest);
        };
        if (ts <= clock.now()) publish();
        else this.timers.push(timer(ts - clock.now(), clock.scheduler).subscribe(publish));
      }
    }

    state$(_symbol: string): Observable<MarketStateUpdate> {
      return defer(() => (this.latest ? this.subject.pipe(startWith(this.latest)) : this.subject.asObservable()));
    }

    current(): MarketStateUpdate | undefined {
      return this.latest;
    }

    async close(): Promise<void> {
      for (const subscription of this.timers) subscription.unsubscribe();
      this.subject.complete();
    }
  }
  return ScriptedMarketStates;
}

/** A plugin binding a scripted `MarketStateProvider`: states at `atMs` after `originMs` (default: the clock when the engine is built, i.e. the market snapshot's time). */
export function scriptedMarketStates(script: readonly ScriptedState[], originMs?: number): TranchePlugin<unknown> {
  const Provider = scriptedProvider(script, originMs);
  return definePlugin({
    name: 'scripted-market-states',
    version: '0.0.0',
    module: new ContainerModule(({ bind }) => {
      bind(Provider).toSelf().inSingletonScope();
      bind(MarketStateProvider).toService(Provider);
    }),
  }) as TranchePlugin<unknown>;
}
