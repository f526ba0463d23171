import { ContainerModule } from 'inversify';
import { NEVER } from 'rxjs';
import {
  ExecutionHistoryStore,
  MarketStateProvider,
  definePlugin,
  type ExecutionHistoryEntry,
  type ExecutionHistoryQuery,
  type ExecutionQualityRecord,
  type MarketStateUpdate,
} from '@tranche/core';

/** An `ExecutionHistoryStore` in memory that records its calls. */
export class MemoryHistoryStore implements ExecutionHistoryStore {
  readonly entries: ExecutionHistoryEntry[] = [];
  initializations = 0;

  async initialize(): Promise<void> {
    this.initializations++;
  }

  async save(entry: ExecutionHistoryEntry): Promise<void> {
    this.entries.push(entry);
  }

  async query(_query?: ExecutionHistoryQuery): Promise<ExecutionHistoryEntry[]> {
    return [...this.entries].reverse();
  }

  async qualityRecords(): Promise<ExecutionQualityRecord[]> {
    return this.entries.map((entry) => entry.quality);
  }

  async close(): Promise<void> {}
}

/** A plugin binding a history store and a market-state provider that always says `state`. */
export function testServices(history: ExecutionHistoryStore, state = 'volatile') {
  const provider: MarketStateProvider = {
    state$: () => NEVER,
    current: (symbol: string): MarketStateUpdate => ({ symbol, ts: 0, state, confidence: 1, features: {} }),
  };
  return definePlugin({
    name: 'test-services',
    version: '0.0.0',
    module: new ContainerModule(({ bind }) => {
      bind(ExecutionHistoryStore).toConstantValue(history);
      bind(MarketStateProvider).toConstantValue(provider);
    }),
  });
}
