import type { Venue } from '../contracts/venue.js';
import { TrancheError } from '../errors/tranche-error.js';
import type { ExecutionEvent } from '../model/execution.schema.js';
import type { Fill } from '../model/fill.schema.js';
import type { MarketInfo } from '../model/market.schema.js';
import { TERMINAL_CHILD_STATUSES, type ChildOrder, type OrderRequest } from '../model/order.schema.js';

/** A journaled execution's reconciled state, from which an `Execution` continues. */
export interface ExecutionResumeState {
  readonly startedAt: number;
  readonly arrivalPrice: number | null;
  /** Client ids continue after this sequence number. */
  readonly lastClientOrderSequence: number;
  /** Every child order so far, all terminal. */
  readonly children: readonly ChildOrder[];
  /** Every fill so far (journaled and recovered). */
  readonly fills: readonly Fill[];
  /** The merged checkpoint state. */
  readonly checkpoint: Record<string, unknown>;
  /** Set when the execution must end at once (its deadline passed while the runner was down). */
  readonly endReason?: string;
}

/** An execution's state as its journal says it was: what recovery continues from. */
export interface JournaledExecution {
  readonly executionId: string;
  readonly request: OrderRequest;
  readonly strategy: string;
  readonly market: MarketInfo;
  readonly arrivalPrice: number | null;
  readonly startedAt: number;
  /** The merged state of every `checkpoint` event (later keys win); the engine's holds `params`. */
  readonly checkpoint: Record<string, unknown>;
  /** Latest journaled state of every child order, in first-seen order. */
  readonly children: Map<string, ChildOrder>;
  /** Journaled fills, each `fillId` once. */
  readonly fills: Fill[];
  /** Highest `n` of the client ids `{executionId}-{n}` ever journaled (0 if none). */
  readonly lastClientOrderSequence: number;
  /** Time of the latest journaled event. */
  readonly lastEventAt: number;
  /** True when the journal holds its `execution-ended` event. */
  readonly ended: boolean;
}

/**
 * Replays an execution's journaled events into its state (pure). Returns undefined when
 * the events hold no `execution-started` (nothing to continue).
 */
export function foldJournal(events: readonly ExecutionEvent[]): JournaledExecution | undefined {
  const started = events.find((event) => event.type === 'execution-started');
  if (!started || started.type !== 'execution-started') return undefined;
  const prefix = `${started.executionId}-`;
  const children = new Map<string, ChildOrder>();
  const fills: Fill[] = [];
  const fillIds = new Set<string>();
  let checkpoint: Record<string, unknown> = {};
  let lastClientOrderSequence = 0;
  let lastEventAt = started.ts;
  let ended = false;
  const sequenceOf = (clientOrderId: string): void => {
    if (!clientOrderId.startsWith(prefix)) return;
    const n = Number(clientOrderId.slice(prefix.length));
    if (Number.isInteger(n) && n > lastClientOrderSequence) lastClientOrderSequence = n;
  };
  for (const event of events) {
    if (event.executionId !== started.executionId) continue;
    lastEventAt = Math.max(lastEventAt, event.ts);
    switch (event.type) {
      case 'checkpoint':
        checkpoint = { ...checkpoint, ...event.state };
        break;
      case 'child-order-intent':
      case 'child-order-updated': {
        sequenceOf(event.order.clientOrderId);
        const known = children.get(event.order.clientOrderId);
        // A terminal state is final; fills only grow.
        if (known && TERMINAL_CHILD_STATUSES.has(known.status) && event.order.filledQuantity <= known.filledQuantity) break;
        children.set(event.order.clientOrderId, known ? { ...event.order, filledQuantity: Math.max(known.filledQuantity, event.order.filledQuantity) } : event.order);
        break;
      }
      case 'fill':
        if (fillIds.has(event.fill.fillId)) break;
        fillIds.add(event.fill.fillId);
        fills.push(event.fill);
        break;
      case 'execution-ended':
        ended = true;
        break;
      default:
        break;
    }
  }
  // A fill is journaled as it arrives, the child's status update may not be: the fills are the floor.
  for (const [clientOrderId, order] of children) {
    const byFills = filledByFills(fills, clientOrderId);
    if (byFills.quantity <= order.filledQuantity) continue;
    const status = byFills.quantity >= order.quantity * (1 - 1e-9) ? 'filled' : TERMINAL_CHILD_STATUSES.has(order.status) ? order.status : 'partially_filled';
    children.set(clientOrderId, { ...order, filledQuantity: byFills.quantity, averagePrice: byFills.value / byFills.quantity, status });
  }
  return {
    executionId: started.executionId,
    request: started.request,
    strategy: started.strategy,
    market: started.market,
    arrivalPrice: started.arrivalPrice,
    startedAt: started.ts,
    checkpoint,
    children,
    fills,
    lastClientOrderSequence,
    lastEventAt,
    ended,
  };
}

/** Sum of the fills of one child order. */
function filledByFills(fills: readonly Fill[], clientOrderId: string): { quantity: number; value: number } {
  let quantity = 0;
  let value = 0;
  for (const fill of fills) {
    if (fill.clientOrderId !== clientOrderId) continue;
    quantity += fill.quantity;
    value += fill.price * fill.quantity;
  }
  return { quantity, value };
}

/** What reconciling one child order with the venue found. */
export interface ChildReconciliation {
  /** The child's final state (always terminal). */
  readonly order: ChildOrder;
  /** Fills the venue reports that the journal lacked (one per child, at the implied price). */
  readonly missedFills: Fill[];
  /** `open` (cancelled now), `done` (terminal at the venue), `unknown` (the venue never had it or lost it). */
  readonly found: 'open' | 'done' | 'unknown';
}

/**
 * Reconciles one non-terminal journaled child with the venue by client id: an order
 * still working is cancelled (the strategy re-plans what is left); its final fill
 * quantity is the venue's, and what the journal missed becomes one recovered fill.
 * An order the venue does not know was never sent (`rejected`) or, if it had been
 * acknowledged, was lost with a simulated venue (`cancelled`). Throws a retryable
 * `TrancheError` when the venue cannot answer: nothing is continued on a guess.
 */
export async function reconcileChild(venue: Venue, child: ChildOrder, journaledFills: readonly Fill[], now: number, market: MarketInfo): Promise<ChildReconciliation> {
  const halfStep = market.stepSize / 2;
  let remote: ChildOrder | undefined;
  try {
    remote = await venue.fetchOrder(child.symbol, child.clientOrderId);
  } catch (error) {
    const failure = TrancheError.from(error);
    throw new TrancheError('venue-unavailable', `resume: cannot look up ${child.clientOrderId} at ${venue.id}: ${failure.message}`, { retryable: true, cause: error });
  }
  if (!remote) {
    const acknowledged = child.status !== 'pending';
    const order: ChildOrder = {
      ...child,
      status: acknowledged ? 'cancelled' : 'rejected',
      reason: acknowledged ? `unknown to ${venue.id} after the restart (lost with the venue)` : `never arrived at ${venue.id} (the runner stopped before sending it)`,
      updatedAt: now,
    };
    return { order, missedFills: [], found: 'unknown' };
  }
  let found: ChildReconciliation['found'] = 'done';
  if (!TERMINAL_CHILD_STATUSES.has(remote.status)) {
    found = 'open';
    try {
      remote = await venue.cancelOrder(child.symbol, child.clientOrderId);
    } catch (error) {
      // The cancel may have raced a fill: the venue's state after it is the truth.
      const after = await venue.fetchOrder(child.symbol, child.clientOrderId).catch(() => undefined);
      if (!after || !TERMINAL_CHILD_STATUSES.has(after.status)) {
        throw new TrancheError('venue-unavailable', `resume: cannot cancel ${child.clientOrderId} at ${venue.id}: ${TrancheError.from(error).message}`, { retryable: true, cause: error });
      }
      remote = after;
    }
  }
  const journaled = filledByFills(journaledFills, child.clientOrderId);
  const venueFilled = Math.max(remote.filledQuantity, journaled.quantity);
  const missing = venueFilled - journaled.quantity;
  const missedFills: Fill[] = [];
  if (missing > halfStep) {
    const impliedValue = remote.averagePrice * remote.filledQuantity - journaled.value;
    const price = impliedValue > 0 ? impliedValue / missing : remote.averagePrice || child.price || 0;
    if (price > 0) {
      missedFills.push({
        fillId: `${child.clientOrderId}:recovered:${venueFilled}`,
        clientOrderId: child.clientOrderId,
        symbol: child.symbol,
        side: child.side,
        ts: now,
        price,
        quantity: missing,
        fee: 0,
        feeCurrency: market.quote,
        liquidity: 'taker',
      });
    }
  }
  const order: ChildOrder = {
    ...child,
    status: TERMINAL_CHILD_STATUSES.has(remote.status) ? remote.status : 'cancelled',
    filledQuantity: venueFilled,
    averagePrice: venueFilled > 0 ? (journaled.value + missedFills.reduce((sum, fill) => sum + fill.price * fill.quantity, 0)) / venueFilled : 0,
    updatedAt: Math.max(child.updatedAt, now),
    ...(remote.venueOrderId === undefined ? {} : { venueOrderId: remote.venueOrderId }),
    reason: found === 'open' ? 'cancelled on resume (the strategy re-plans the remainder)' : (remote.reason ?? 'terminal at the venue while the runner was down'),
  };
  return { order, missedFills, found };
}

/**
 * The params an algorithm continues with: the journaled (pinned) params, or the request's
 * with the window start pinned to the original start, so a restart keeps the deadline.
 */
export function pinnedParams(params: unknown, startedAt: number): unknown {
  if (!params || typeof params !== 'object' || Array.isArray(params)) return params;
  const record = params as Record<string, unknown>;
  if (typeof record['durationMs'] === 'number' && record['startTime'] === undefined && record['endTime'] === undefined) return { ...record, startTime: startedAt };
  return params;
}

/** The end of an algorithm's window from its (pinned) params, if it has one. */
export function deadlineOf(params: unknown): number | undefined {
  if (!params || typeof params !== 'object') return undefined;
  const record = params as Record<string, unknown>;
  if (typeof record['endTime'] === 'number') return record['endTime'];
  if (typeof record['durationMs'] === 'number' && typeof record['startTime'] === 'number') return record['startTime'] + record['durationMs'];
  return undefined;
}

/** A resumed algorithm whose window ends within this many ms is treated as past its deadline. */
export const RESUME_DEADLINE_MARGIN_MS = 1_000;

/** The outcome of reconciling a journaled execution with its venue. */
export interface ReconciledExecution {
  /** The state the `Execution` continues from. */
  readonly resume: ExecutionResumeState;
  /** Params to run the strategy with (the journaled, pinned ones). */
  readonly params: unknown;
  /** Events to journal before continuing (children's final states, recovered fills). */
  readonly events: ExecutionEvent[];
  /** Children that were still working at the venue (and were cancelled). */
  readonly cancelled: number;
  /** Children the venue did not know. */
  readonly unknown: number;
}

/**
 * Reconciles every non-terminal child of a journaled execution with the venue by
 * client id (sequentially), and decides how it continues: with the pinned params, or
 * ended at once when its deadline has passed (`now()` after the look-ups, with
 * `RESUME_DEADLINE_MARGIN_MS`).
 */
export async function reconcileExecution(state: JournaledExecution, venue: Venue, now: () => number): Promise<ReconciledExecution> {
  const events: ExecutionEvent[] = [];
  const fills = [...state.fills];
  const children: ChildOrder[] = [];
  let cancelled = 0;
  let unknown = 0;
  for (const child of state.children.values()) {
    if (TERMINAL_CHILD_STATUSES.has(child.status)) {
      children.push(child);
      continue;
    }
    const result = await reconcileChild(venue, child, fills, now(), state.market);
    if (result.found === 'open') cancelled++;
    if (result.found === 'unknown') unknown++;
    for (const fill of result.missedFills) {
      fills.push(fill);
      events.push({ type: 'fill', executionId: state.executionId, ts: fill.ts, fill });
    }
    events.push({ type: 'child-order-updated', executionId: state.executionId, ts: result.order.updatedAt, order: result.order });
    children.push(result.order);
  }
  const params = state.checkpoint['params'] ?? pinnedParams(state.request.params ?? {}, state.startedAt);
  const deadline = deadlineOf(params);
  // Decided after the venue round trips, with a margin: a window that ends while the strategy starts is no window.
  const endReason = deadline !== undefined && deadline <= now() + RESUME_DEADLINE_MARGIN_MS ? `its deadline ${new Date(deadline).toISOString()} passed while the runner was down` : undefined;
  const resume: ExecutionResumeState = {
    startedAt: state.startedAt,
    arrivalPrice: state.arrivalPrice,
    lastClientOrderSequence: state.lastClientOrderSequence,
    children,
    fills,
    checkpoint: state.checkpoint,
    ...(endReason === undefined ? {} : { endReason }),
  };
  return { resume, params, events, cancelled, unknown };
}
