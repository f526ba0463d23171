import { Subject, type Observable } from 'rxjs';
import type { MarketDataSource, MarketEvent, VirtualClock } from '@tranche/core';

/**
 * A `MarketDataSource` that tests drive by hand: `emit(event)` advances the virtual
 * clock to the event's time and publishes it; `end()` completes the stream.
 */
export class ScriptedMarketDataSource implements MarketDataSource {
  readonly id = 'scripted';
  private readonly subject = new Subject<MarketEvent>();
  readonly events$: Observable<MarketEvent> = this.subject.asObservable();

  constructor(
    private readonly symbolList: readonly string[],
    private readonly clock?: VirtualClock,
    private readonly initial: readonly MarketEvent[] = [],
  ) {}

  symbols(): readonly string[] {
    return this.symbolList;
  }

  async initialize(): Promise<void> {}

  /** Emits the initial events (e.g. book snapshots) given to the constructor. */
  async start(): Promise<void> {
    for (const event of this.initial) this.emit(event);
  }

  /** Advances the clock to `event.ts` (when a virtual clock was given) and publishes the event. */
  emit(event: MarketEvent): void {
    this.clock?.advanceTo(event.ts);
    this.subject.next(event);
  }

  /** Completes the stream: no more market data. */
  end(): void {
    this.subject.complete();
  }

  async close(): Promise<void> {
    this.subject.complete();
  }
}
