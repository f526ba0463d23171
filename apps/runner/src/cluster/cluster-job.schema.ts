import { z } from 'zod';
import { OrderRequestSchema } from '@tranche/core';

/**
 * A parent order on the work queue: the order request (its `id` is the execution id,
 * required so that a re-submission is de-duplicated and a takeover resumes the same
 * execution) and, for a worker on the paper venue, the recorded data sets to replay.
 * Everything a worker needs is in the job, so the outcome is a function of (order,
 * seed, data): the same as `tranche execute --speed max` of the same order.
 */
export const ClusterJobSchema = z
  .object({
    order: OrderRequestSchema.extend({ id: OrderRequestSchema.shape.id.unwrap() }),
    /**
     * The venue the order is for (default `paper`): a worker runs only the orders of its own
     * venue, so a paper order can never reach a worker that trades a real exchange.
     */
    venue: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/, { error: 'must be a venue id such as "paper" or "ccxt"' })
      .default('paper'),
    /** Capture names the paper venue replays (default: the worker's data, as `tranche execute` picks it). */
    datasets: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();
/** A parent order on the work queue. */
export type ClusterJob = z.infer<typeof ClusterJobSchema>;

/** What a worker publishes on `exec.events.<executionId>`: one execution event, numbered, with the worker that ran it. */
export const ClusterEventSchema = z
  .object({
    /** The publishing worker's id. */
    worker: z.string(),
    /** 1-based number of the event within the worker's run of the execution (`attempt`). */
    seq: z.number().int().positive(),
    /** Delivery number of the job this run came from (1 for the first worker; higher after a takeover). */
    attempt: z.number().int().positive(),
    /** The execution event (see `ExecutionEventSchema`), or a job the worker refused. */
    event: z.record(z.string(), z.unknown()),
  })
  .strict();
/** A message on `exec.events.<executionId>`. */
export type ClusterEvent = z.infer<typeof ClusterEventSchema>;
