import type { Clock } from '../contracts/clock.js';
import type { ExecutionJournal } from '../contracts/execution-journal.js';
import type { ExecutionStrategy } from '../contracts/execution-strategy.js';
import type { Logger } from '../contracts/logger.js';
import type { Venue } from '../contracts/venue.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { ExecutionEvent } from '../model/execution.schema.js';
import type { OrderRequest } from '../model/order.schema.js';
import { foldJournal, reconcileExecution, type ExecutionResumeState, type JournaledExecution } from './recovery.js';

/**
 * Event types the engine journals (write-ahead for intents, which the router records
 * itself before sending; the others as they are observed). Notes, progress and alerts
 * are not needed to continue and are left out.
 */
export const JOURNALED_EVENT_TYPES: ReadonlySet<ExecutionEvent['type']> = new Set<ExecutionEvent['type']>([
  'execution-started',
  'checkpoint',
  'child-order-updated',
  'fill',
  'child-order-error',
  'execution-ended',
]);

/** What `ExecutionRecovery` needs from the engine. */
export interface ExecutionRecoveryDeps {
  readonly journal: ExecutionJournal;
  readonly venue: Venue;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly strategies: ReadonlyMap<string, ExecutionStrategy<unknown>>;
}

/** One journaled execution, reconciled and ready to continue. */
export interface ResumedExecution {
  readonly state: JournaledExecution;
  /** The order request to continue (the journaled one; a sweep after the deadline carries the algorithm's limit price as its price). */
  readonly request: OrderRequest;
  readonly strategy: ExecutionStrategy<unknown>;
  readonly params: unknown;
  readonly resume: ExecutionResumeState;
}

/**
 * Crash recovery: reads the unfinished executions from the journal, replays each into
 * its state (`foldJournal`), reconciles its non-terminal child orders with the venue by
 * client id (`reconcileExecution`: working ones are cancelled, missed fills recorded,
 * unknown ones marked), journals what it found, and hands back what the engine
 * continues. An execution whose strategy is not installed, or whose params no longer
 * parse, is ended at once with the reason.
 */
export class ExecutionRecovery {
  constructor(private readonly deps: ExecutionRecoveryDeps) {}

  /** Reconciles every unfinished journaled execution, oldest first. */
  async recover(): Promise<ResumedExecution[]> {
    const { journal, logger } = this.deps;
    const resumed: ResumedExecution[] = [];
    for (const executionId of await journal.unfinished()) {
      const state = foldJournal(await journal.events(executionId));
      if (!state || state.ended) continue;
      resumed.push(await this.reconcile(state));
      logger.info('execution resumed from the journal', { executionId, filledQuantity: resumed.at(-1)!.resume.fills.reduce((sum, fill) => sum + fill.quantity, 0) });
    }
    return resumed;
  }

  private async reconcile(state: JournaledExecution): Promise<ResumedExecution> {
    const { journal, venue, clock, strategies } = this.deps;
    const reconciled = await reconcileExecution(state, venue, () => clock.now());
    // Durable before acting on it: the next resume starts from what this one found.
    for (const event of reconciled.events) await journal.record(event);
    let endReason = reconciled.resume.endReason;
    let params = reconciled.params;
    let strategy = strategies.get(state.strategy);
    let request = state.request;
    const sweeper = strategies.get('market');
    if (endReason !== undefined && completionOf(params) === 'sweep' && sweeper) {
      // The order's policy at its deadline is to sweep the remainder: it does so now, within the parent's limit price.
      this.deps.logger.warn('resume: the deadline passed while the runner was down; sweeping the remainder as the order asks', { executionId: state.executionId });
      const limitPrice = (params as Record<string, unknown>)['limitPrice'];
      if (request.price === undefined && typeof limitPrice === 'number') request = { ...request, price: limitPrice };
      strategy = sweeper;
      params = sweeper.paramsSchema.parse({});
      endReason = undefined;
    } else if (!strategy) {
      endReason ??= `cannot continue: strategy ${state.strategy} is not installed`;
      strategy = placeholderStrategy(state.strategy);
    } else if (endReason === undefined) {
      const parsed = strategy.paramsSchema.safeParse(params);
      if (parsed.success) params = parsed.data;
      else endReason = `cannot continue: the journaled params no longer parse (${parsed.error.issues[0]?.message ?? 'invalid'})`;
    }
    const { endReason: _deadline, ...continued } = reconciled.resume;
    const resume: ExecutionResumeState = endReason === undefined ? continued : { ...continued, endReason };
    return { state, request, strategy, params, resume };
  }
}

function completionOf(params: unknown): unknown {
  return params && typeof params === 'object' ? (params as Record<string, unknown>)['completion'] : undefined;
}

function placeholderStrategy(id: string): ExecutionStrategy<unknown> {
  return {
    id,
    paramsSchema: undefined as never,
    execute: () => {
      throw new TrancheError('internal', `strategy ${id} is not installed`, { retryable: false });
    },
  } as unknown as ExecutionStrategy<unknown>;
}
