import type { JetStreamClient, JetStreamManager, PubAck, StreamConfig } from '@nats-io/jetstream';
import { firstValueFrom, timer, type SchedulerLike } from 'rxjs';
import { TrancheError, type Logger } from '@tranche/core';
import { toTrancheError } from './nats-errors.js';

/** JetStream durations are nanoseconds. */
export function msToNanos(ms: number): number {
  return Math.round(ms * 1_000_000);
}

/**
 * Creates a stream, or updates the one already there to `config` (limits, duplicate
 * window) so a changed setting takes effect on the next start. Settings JetStream
 * cannot change in place (storage, retention) make the update fail with the server's
 * reason, which names them.
 */
export async function ensureStream(manager: JetStreamManager, config: Partial<StreamConfig> & { name: string }, logger: Logger): Promise<void> {
  let exists = true;
  try {
    await manager.streams.info(config.name);
  } catch (error) {
    if (!/not found/i.test((error as Error).message)) throw error;
    exists = false;
  }
  if (!exists) {
    try {
      await manager.streams.add(config);
      logger.info('bus-nats: stream created', { stream: config.name, subjects: config.subjects });
      return;
    } catch (error) {
      // Another process created it meanwhile: update it below like an existing one.
      if (!/already in use|already exists/i.test((error as Error).message)) throw error;
    }
  }
  await manager.streams.update(config.name, config);
}

/** What `publishDurably` needs to know. */
export interface DurablePublish {
  readonly jetstream: JetStreamClient;
  readonly subject: string;
  readonly data: Uint8Array;
  /** `Nats-Msg-Id`: makes every retry safe (the server stores the message once). */
  readonly messageId: string;
  /** Overall time for every attempt together, ms (the config's `requestTimeoutMs`). */
  readonly deadlineMs: number;
  /** Scheduler of the pauses between attempts. */
  readonly scheduler: SchedulerLike;
  /** Names the operation in the error. */
  readonly operation: string;
  /** Optimistic concurrency: the stream sequence of the subject's last message must be this (0: no message yet). */
  readonly lastSubjectSequence?: number;
}

/** Longest wait for one acknowledgement before the same message is sent again, ms. */
const ATTEMPT_TIMEOUT_MS = 1_000;
/** Pause after an attempt that failed at once (no responders: the server is still starting JetStream), ms. */
const RETRY_PAUSE_MS = 100;

/**
 * Publishes to a JetStream stream and resolves with the server's acknowledgement. A
 * message written just before a connection dropped is lost with the socket, so an
 * attempt without an acknowledgement within a second is sent again with the same
 * message id, which the server de-duplicates, until `deadlineMs` is spent; then it
 * rejects with a retryable `timeout-ambiguous` `TrancheError` (the message may be stored:
 * retry with the same id). Never resolves without an acknowledgement.
 */
export async function publishDurably(publish: DurablePublish): Promise<PubAck> {
  const attempts = Math.max(1, Math.ceil(publish.deadlineMs / ATTEMPT_TIMEOUT_MS));
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const started = publish.scheduler.now();
    try {
      return await publish.jetstream.publish(publish.subject, publish.data, {
        msgID: publish.messageId,
        timeout: Math.min(ATTEMPT_TIMEOUT_MS, publish.deadlineMs),
        ...(publish.lastSubjectSequence === undefined ? {} : { expect: { lastSubjectSequence: publish.lastSubjectSequence } }),
      });
    } catch (error) {
      lastError = error;
      if (isWrongLastSequence(error)) throw error;
      if (!retryable(error)) throw toTrancheError(error, publish.operation);
      const elapsed = publish.scheduler.now() - started;
      if (elapsed < ATTEMPT_TIMEOUT_MS) await firstValueFrom(timer(Math.min(RETRY_PAUSE_MS, ATTEMPT_TIMEOUT_MS - elapsed), publish.scheduler));
    }
  }
  const cause = toTrancheError(lastError, publish.operation);
  throw new TrancheError('timeout-ambiguous', `NATS did not acknowledge ${publish.operation} within ${publish.deadlineMs} ms (${attempts} attempts; last: ${cause.message}); it may be stored: retry with the same message id`, {
    cause: lastError,
    retryable: true,
  });
}

/** Timeouts, missing responders and connection trouble are worth another attempt; a refusal by the stream is not. */
function retryable(error: unknown): boolean {
  const kind = toTrancheError(error, '').kind;
  return kind === 'timeout-ambiguous' || kind === 'venue-unavailable';
}

/** True for the server's refusal of a compare-and-set publish ("wrong last sequence", code 10071). */
export function isWrongLastSequence(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /wrong last sequence|10071/i.test(message);
}
