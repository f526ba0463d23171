import type { TradeEvent } from '../model/market.schema.js';

/** Default length of the trailing window of `recentVolume`. */
const DEFAULT_RATE_WINDOW_MS = 60_000;

/**
 * Market volume since an execution's start, from the symbol's trades: the basis of
 * participation caps (`maxParticipation` × volume), of the market VWAP of the window
 * and of volume-tracking schedules (recent volume over a trailing window). Feed it
 * every trade with `observe`; trades before the start are ignored.
 */
export class ParticipationTracker {
  private totalVolume = 0;
  private totalValue = 0;
  private readonly recentTimes: number[] = [];
  private readonly recentQuantities: number[] = [];
  private head = 0;
  private recentSum = 0;

  /**
   * @param startTime trades before this time (epoch ms) are not counted.
   * @param rateWindowMs length of the trailing window of `recentVolume`.
   */
  constructor(
    readonly startTime: number,
    readonly rateWindowMs = DEFAULT_RATE_WINDOW_MS,
  ) {}

  /** Counts one market trade. */
  observe(trade: Pick<TradeEvent, 'ts' | 'price' | 'quantity'>): void {
    if (trade.ts < this.startTime || !(trade.quantity > 0)) return;
    this.totalVolume += trade.quantity;
    this.totalValue += trade.price * trade.quantity;
    this.recentTimes.push(trade.ts);
    this.recentQuantities.push(trade.quantity);
    this.recentSum += trade.quantity;
    this.prune(trade.ts);
  }

  /** Base volume traded since the start. */
  get volume(): number {
    return this.totalVolume;
  }

  /** Volume-weighted price of the trades since the start, `null` before the first. */
  get vwap(): number | null {
    return this.totalVolume > 0 ? this.totalValue / this.totalVolume : null;
  }

  /**
   * How much more may be committed (working or filled) under a participation cap:
   * `maxParticipation × volume − committed`, never below 0; `Infinity` without a cap.
   */
  allowance(maxParticipation: number | undefined, committedQuantity: number): number {
    if (maxParticipation === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, maxParticipation * this.totalVolume - committedQuantity);
  }

  /** Volume traded in the trailing window `(now − rateWindowMs, now]` (and since the start). */
  recentVolume(now: number): number {
    this.prune(now);
    return Math.max(0, this.recentSum);
  }

  /** Start of the trailing window at `now`: never before the execution's start. */
  recentWindowStart(now: number): number {
    return Math.max(this.startTime, now - this.rateWindowMs);
  }

  private prune(now: number): void {
    const cutoff = now - this.rateWindowMs;
    while (this.head < this.recentTimes.length && this.recentTimes[this.head]! <= cutoff) {
      this.recentSum -= this.recentQuantities[this.head]!;
      this.head++;
    }
    if (this.head > 1_024 && this.head * 2 > this.recentTimes.length) {
      this.recentTimes.splice(0, this.head);
      this.recentQuantities.splice(0, this.head);
      this.head = 0;
    }
    if (this.head === this.recentTimes.length) this.recentSum = 0;
  }
}
