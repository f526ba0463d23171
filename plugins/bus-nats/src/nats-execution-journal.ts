import { createHash } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { DiscardPolicy, RetentionPolicy, StorageType, type StoredMsg } from '@nats-io/jetstream';
import { Clock, ExecutionEventSchema, TrancheError, assertIdToken, parseInput, type ExecutionEvent, type ExecutionJournal, type Logger } from '@tranche/core';
import { BusNatsConfig, NatsJournalConfig } from './bus-nats-config.schema.js';
import { ConnectionUse, NatsConnection, type NatsHandles } from './nats-connection.js';
import { toTrancheError } from './nats-errors.js';
import { ensureStream, isWrongLastSequence, msToNanos, publishDurably } from './nats-streams.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** How long one read of a journal waits for the next batch before giving up, ms. */
const READ_EXPIRES_MS = 2_000;

/** What this process knows of one execution's journal: the last stored message. */
interface Tail {
  sequence: number;
  count: number;
}

/**
 * `ExecutionJournal` on a JetStream stream (`TRANCHE_JOURNAL`, subjects
 * `journal.<executionId>`, file storage, no age limit), so a worker on another machine
 * can take an execution over and resume it through the same reconciliation path as
 * `tranche resume`. `record` resolves only once the server has stored the event
 * (write-ahead); an execution's events are written one at a time, in call order, each
 * with message id `<executionId>-<n>-<content hash>` (a re-sent attempt is stored once) and the
 * expected last sequence of the execution's subject: a process that lost the execution
 * to another (its lease expired and the journal moved on) has its next write refused
 * with an `internal` error instead of interleaving with the new owner's.
 */
@injectable()
export class NatsExecutionJournal implements ExecutionJournal {
  readonly enabled: boolean;
  private readonly log: Logger;
  private readonly tails = new Map<string, Tail>();
  private readonly writing = new Map<string, Promise<void>>();
  private readonly use: ConnectionUse<NatsHandles>;

  constructor(
    @inject(NatsConnection) private readonly connection: NatsConnection,
    @inject(BusNatsConfig) private readonly busConfig: BusNatsConfig,
    @inject(NatsJournalConfig) private readonly config: NatsJournalConfig,
    @inject(Clock) private readonly clock: Clock,
  ) {
    this.enabled = config.enabled;
    this.log = connection.logger;
    this.use = new ConnectionUse(connection, 'journal', (handles) => this.setUp(handles), `create or update the journal stream ${config.stream}`);
  }

  /** Connects and creates or updates the journal stream (nothing when disabled). */
  async initialize(): Promise<void> {
    if (this.enabled) await this.ready();
  }

  record(event: ExecutionEvent): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    let valid: ExecutionEvent;
    try {
      valid = parseInput(ExecutionEventSchema, event, 'journal event');
      assertIdToken(valid.executionId, 'executionId');
    } catch (error) {
      return Promise.reject(TrancheError.from(error));
    }
    // One write at a time per execution, in call order: the expected-sequence check needs it.
    const previous = this.writing.get(valid.executionId) ?? Promise.resolve();
    const write = previous.catch(() => undefined).then(() => this.write(valid));
    this.writing.set(valid.executionId, write);
    void write.finally(() => {
      if (this.writing.get(valid.executionId) === write) this.writing.delete(valid.executionId);
    }).catch(() => undefined);
    return write;
  }

  async events(executionId: string): Promise<ExecutionEvent[]> {
    if (!this.enabled) return [];
    assertIdToken(executionId, 'executionId');
    const { jetstream } = await this.ready();
    const subject = this.subject(executionId);
    const count = (await this.subjectCounts(subject))[subject] ?? 0;
    if (count === 0) return [];
    const events: ExecutionEvent[] = [];
    try {
      const consumer = await jetstream.consumers.get(this.config.stream, { filter_subjects: subject });
      while (events.length < count) {
        const before = events.length;
        const batch = await consumer.fetch({ max_messages: count - events.length, expires: READ_EXPIRES_MS });
        for await (const msg of batch) events.push(this.parse(msg.data, executionId, msg.seq));
        if (events.length === before) throw new TrancheError('venue-unavailable', `journal of ${executionId}: read ${before} of ${count} events, then nothing`, { retryable: true });
      }
    } catch (error) {
      throw toTrancheError(error, `read the journal of ${executionId}`);
    }
    return events;
  }

  async unfinished(): Promise<string[]> {
    if (!this.enabled) return [];
    const { manager } = await this.ready();
    const prefix = `${this.config.subjectPrefix}.`;
    const counts = await this.subjectCounts(`${prefix}*`);
    const open: Array<{ executionId: string; lastSequence: number }> = [];
    for (const subject of Object.keys(counts)) {
      const executionId = subject.slice(prefix.length);
      const last = await this.lastMessage(manager, subject);
      if (!last) continue;
      const event = this.parse(last.data, executionId, last.seq);
      if (event.type !== 'execution-ended') open.push({ executionId, lastSequence: last.seq });
    }
    return open.sort((a, b) => a.lastSequence - b.lastSequence).map((entry) => entry.executionId);
  }

  /**
   * Removes the events of ended executions (a resumed execution never needs them);
   * resolves with how many executions were purged.
   */
  async compact(): Promise<{ executions: number; events: number }> {
    if (!this.enabled) return { executions: 0, events: 0 };
    const { manager } = await this.ready();
    const prefix = `${this.config.subjectPrefix}.`;
    const counts = await this.subjectCounts(`${prefix}*`);
    let executions = 0;
    let events = 0;
    for (const [subject, count] of Object.entries(counts)) {
      const executionId = subject.slice(prefix.length);
      if (this.writing.has(executionId)) continue;
      const last = await this.lastMessage(manager, subject);
      if (!last || this.parse(last.data, executionId, last.seq).type !== 'execution-ended') continue;
      await manager.streams.purge(this.config.stream, { filter: subject });
      this.tails.delete(executionId);
      executions++;
      events += count;
    }
    this.log.info('bus-nats: journal compacted', { stream: this.config.stream, executions, events });
    return { executions, events };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled([...this.writing.values()]);
    await this.use.close();
  }

  private get closed(): boolean {
    return this.use.closed;
  }

  private async write(event: ExecutionEvent): Promise<void> {
    const { jetstream, manager } = await this.ready();
    const subject = this.subject(event.executionId);
    let tail = this.tails.get(event.executionId);
    if (!tail) {
      const last = await this.lastMessage(manager, subject);
      tail = { sequence: last?.seq ?? 0, count: last ? ((await this.subjectCounts(subject))[subject] ?? 0) : 0 };
    }
    const data = encoder.encode(JSON.stringify(event));
    // Position and content: a re-sent attempt is the same id (stored once); another process's
    // different event at the same position is not, so the expected-sequence check refuses it.
    const messageId = `${event.executionId}-${tail.count + 1}-${createHash('sha256').update(data).digest('hex').slice(0, 16)}`;
    try {
      const ack = await publishDurably({
        jetstream,
        subject,
        data,
        messageId,
        lastSubjectSequence: tail.sequence,
        deadlineMs: this.busConfig.requestTimeoutMs,
        scheduler: this.clock.scheduler,
        operation: `journal ${event.type} of ${event.executionId}`,
      });
      this.tails.set(event.executionId, { sequence: ack.seq, count: tail.count + 1 });
    } catch (error) {
      this.tails.delete(event.executionId);
      if (!isWrongLastSequence(error)) throw error;
      // An attempt of ours may have been stored before its acknowledgement got lost: then it is the last message.
      const last = await this.lastMessage(manager, subject);
      if (last && last.header?.get('Nats-Msg-Id') === messageId) return;
      throw new TrancheError('internal', `journal of ${event.executionId} was written by another process (this one lost the execution, e.g. its lease expired): ${event.type} not recorded`, {
        cause: error,
        retryable: false,
      });
    }
  }

  private subject(executionId: string): string {
    return `${this.config.subjectPrefix}.${executionId}`;
  }

  private parse(data: Uint8Array, executionId: string, sequence: number): ExecutionEvent {
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(data));
    } catch (error) {
      throw this.damaged(executionId, sequence, 'is not JSON', error);
    }
    const parsed = ExecutionEventSchema.safeParse(value);
    if (!parsed.success) throw this.damaged(executionId, sequence, `does not match the event schema (${parsed.error.issues[0]?.message ?? 'invalid'})`);
    return parsed.data;
  }

  private damaged(executionId: string, sequence: number, detail: string, cause?: unknown): TrancheError {
    return new TrancheError('validation', `invalid journal stream ${this.config.stream}: event ${sequence} of ${executionId} ${detail}`, {
      field: 'journal-nats.stream',
      retryable: false,
      ...(cause === undefined ? {} : { cause }),
    });
  }

  private async lastMessage(manager: NatsHandles['manager'], subject: string): Promise<StoredMsg | null> {
    try {
      return await manager.streams.getMessage(this.config.stream, { last_by_subj: subject });
    } catch (error) {
      if (/no message found|not found|10037/i.test((error as Error).message)) return null;
      throw toTrancheError(error, `read the last journal event on ${subject}`);
    }
  }

  private async subjectCounts(filter: string): Promise<Record<string, number>> {
    const { manager } = await this.ready();
    try {
      const info = await manager.streams.info(this.config.stream, { subjects_filter: filter });
      return info.state.subjects ?? {};
    } catch (error) {
      throw toTrancheError(error, `list the journal subjects ${filter}`);
    }
  }

  private ready(): Promise<NatsHandles> {
    return this.use.ready();
  }

  private async setUp(handles: NatsHandles): Promise<NatsHandles> {
    await ensureStream(
      handles.manager,
      {
        name: this.config.stream,
        subjects: [`${this.config.subjectPrefix}.*`],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        duplicate_window: msToNanos(this.config.duplicateWindowMs),
        num_replicas: 1,
      },
      this.log,
    );
    return handles;
  }
}
