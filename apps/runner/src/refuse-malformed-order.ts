import { ExecutionStrategy, OrderRequestSchema, parseInput, type Tranche } from '@tranche/core';

/**
 * Checks what can be checked of an order request before the engine starts: its shape
 * and, when its strategy is installed, the strategy's params. Throws the same
 * validation error `ExecutionManager.executeOrder` would, so a malformed order is
 * refused before `initialize()` opens the history/journal file or connects a venue.
 * Checks that need the market (symbol known, minimum quantity) stay with the manager.
 */
export function refuseMalformedOrder(tranche: Tranche, order: unknown): void {
  const request = parseInput(OrderRequestSchema, order, 'order');
  const strategies = tranche.container.isBound(ExecutionStrategy) ? tranche.container.getAll<ExecutionStrategy<unknown>>(ExecutionStrategy) : [];
  const strategy = strategies.find((candidate) => candidate.id === request.type);
  if (strategy) parseInput(strategy.paramsSchema, request.params ?? {}, 'order', (path) => ['params', ...path].map(String).join('.'));
}
