import { z } from 'zod';
import { symbolToken } from './cluster-subjects.js';

/** Subject a dashboard publishes to cancel one execution: `control.cancel.<executionId>` (fan-out; only its worker answers). */
export function cancelControlSubject(executionId: string): string {
  return `control.cancel.${symbolToken(executionId)}`;
}

/** Subject of the cluster-wide kill switch: every worker engages it. */
export const KILL_CONTROL_SUBJECT = 'control.kill';

/** Subject a worker answers a control request on: `control.ack.<requestId>`. */
export function controlAckSubject(requestId: string): string {
  return `control.ack.${symbolToken(requestId)}`;
}

const RequestIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1-64 letters, digits, "_" or "-"' });
const ReasonSchema = z.string().min(1).max(200);

/** `control.cancel.<executionId>`: cancel the execution (its working child orders cancelled, the parent ends `cancelled`). */
export const CancelControlSchema = z
  .object({
    type: z.literal('cancel'),
    /** Answers go to `control.ack.<requestId>`. */
    requestId: RequestIdSchema,
    executionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be an execution id' }),
    reason: ReasonSchema,
  })
  .strict();
/** A cancel request on the bus. */
export type CancelControl = z.infer<typeof CancelControlSchema>;

/** `control.kill`: every worker stops pulling orders and cancels every execution it runs (until it restarts). */
export const KillControlSchema = z
  .object({
    type: z.literal('kill'),
    requestId: RequestIdSchema,
    reason: ReasonSchema,
  })
  .strict();
/** A kill-switch request on the bus. */
export type KillControl = z.infer<typeof KillControlSchema>;

/**
 * A worker's answer on `control.ack.<requestId>`: `accepted` once it asked its engine to
 * cancel (the execution's end follows on `exec.events.<id>`); for a kill, the executions it
 * is stopping. A worker that does not run the execution does not answer a cancel.
 */
export const ControlAckSchema = z
  .object({
    requestId: RequestIdSchema,
    worker: z.string().min(1),
    type: z.enum(['cancel', 'kill']),
    accepted: z.boolean(),
    /** The executions this worker is stopping (the cancelled one, or all of its own for a kill). */
    executionIds: z.array(z.string()),
    detail: z.string().optional(),
  })
  .strict();
/** A worker's answer to a control request. */
export type ControlAck = z.infer<typeof ControlAckSchema>;

/** What a worker asks one running job to do. */
export type JobControlCommand = { readonly type: 'cancel' | 'kill'; readonly reason: string };
