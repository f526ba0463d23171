import { randomBytes } from 'node:crypto';
import { parseInput } from '@tranche/core';
import { ClusterJobSchema, type ClusterJob } from './cluster-job.schema.js';

/** What `clusterJobOf` adds to an order request. */
export interface ClusterJobSettings {
  /** Execution id (overrides the order's; default the order's, else a new random one). */
  readonly id?: string;
  /** The venue the order is for (default paper). */
  readonly venue?: string;
  /** Recorded data sets the paper venue replays. */
  readonly datasets?: readonly string[];
}

/** A new random execution id (`c` + 18 hex digits): not time-based, as the clock may be virtual. */
export function newClusterExecutionId(): string {
  return `c${randomBytes(9).toString('hex')}`;
}

/**
 * The work-queue job of an order request, as `tranche submit` and the dashboard on the bus
 * put it on the queue: the id filled in, validated with `ClusterJobSchema` (one validation
 * error naming the order's field, or the flag: `--venue`, `--datasets`).
 */
export function clusterJobOf(order: unknown, settings: ClusterJobSettings = {}): ClusterJob {
  const request = order !== null && typeof order === 'object' && !Array.isArray(order) ? { ...(order as Record<string, unknown>) } : order;
  if (request !== null && typeof request === 'object' && !Array.isArray(request)) {
    const record = request as Record<string, unknown>;
    if (settings.id !== undefined) record['id'] = settings.id;
    // Re-run with --id to follow the same execution.
    record['id'] ??= newClusterExecutionId();
  }
  return parseInput(
    ClusterJobSchema,
    { order: request, ...(settings.venue === undefined ? {} : { venue: settings.venue }), ...(settings.datasets === undefined ? {} : { datasets: [...settings.datasets] }) },
    'order',
    (path) => (path[0] === 'order' ? path.slice(1).map(String).join('.') || 'order' : `--${String(path[0])}`),
  );
}
