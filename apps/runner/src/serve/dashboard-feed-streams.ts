import { Subject, type Observable } from 'rxjs';
import type { DashboardExecutionUpdate, DashboardKillSwitchUpdate, DashboardMarketUpdate } from './dashboard-feed.js';

/** The three update streams every `DashboardFeed` exposes, and their completion on close. */
export abstract class DashboardFeedStreams {
  /** Execution updates, published by the feed. */
  protected readonly executionSubject = new Subject<DashboardExecutionUpdate>();
  /** Market updates, published by the feed. */
  protected readonly marketSubject = new Subject<DashboardMarketUpdate>();
  /** Kill-switch steps, published by the feed. */
  protected readonly killSubject = new Subject<DashboardKillSwitchUpdate>();

  /** Each execution event with the execution's figures after it. */
  get executionUpdates$(): Observable<DashboardExecutionUpdate> {
    return this.executionSubject.asObservable();
  }

  /** Market facts and price points per symbol. */
  get marketUpdates$(): Observable<DashboardMarketUpdate> {
    return this.marketSubject.asObservable();
  }

  /** The kill switch's steps. */
  get killSwitchUpdates$(): Observable<DashboardKillSwitchUpdate> {
    return this.killSubject.asObservable();
  }

  /** Completes the three streams (the feed is closing). */
  protected completeStreams(): void {
    this.executionSubject.complete();
    this.marketSubject.complete();
    this.killSubject.complete();
  }
}
