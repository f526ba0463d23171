import { z } from 'zod';

/** A JetStream stream or consumer name: letters, digits, `_` and `-`. */
const NameSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-" (at most 64)');
/** One subject token. */
const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'one subject token: letters, digits, "_" or "-"');
const positiveMs = (fallback: number, description: string) => z.number().int().positive().default(fallback).describe(description);

/** The `bus-nats.events` section: the JetStream stream behind durable bus subjects (execution events). */
export const NatsEventsConfigSchema = z
  .object({
    /** Stream name. Default `TRANCHE_EXEC_EVENTS`. */
    stream: NameSchema.default('TRANCHE_EXEC_EVENTS').describe('Stream name. Default `TRANCHE_EXEC_EVENTS`.'),
    /** Subject patterns stored in the stream (durable, replayable). Default `["exec.events.>"]`. */
    subjects: z.array(z.string().min(1)).min(1).default(['exec.events.>']).describe('Subject patterns stored in the stream (durable, replayable). Default `["exec.events.>"]`.'),
    /** Messages older than this are dropped, ms. Default 7 days. */
    maxAgeMs: positiveMs(7 * 24 * 3_600_000, 'Messages older than this are dropped, ms. Default 7 days.'),
    /** The stream's size limit, bytes (oldest dropped first). Default 1 GiB. */
    maxBytes: z.number().int().positive().default(1024 ** 3).describe("The stream's size limit, bytes (oldest dropped first). Default 1 GiB."),
    /** Window in which a publish with a known message id is a duplicate, ms. Default 2 minutes. */
    duplicateWindowMs: positiveMs(120_000, 'Window in which a publish with a known message id is a duplicate, ms. Default 2 minutes.'),
  })
  .strict();

/** The `bus-nats.orders` section: the JetStream work-queue stream of parent orders. */
export const NatsOrdersConfigSchema = z
  .object({
    /** Stream name. Default `TRANCHE_ORDERS`. */
    stream: NameSchema.default('TRANCHE_ORDERS').describe('Stream name. Default `TRANCHE_ORDERS`.'),
    /** First subject token: jobs go to `<prefix>.<id>`. Default `orders`. */
    subjectPrefix: TokenSchema.default('orders').describe('First subject token: jobs go to `<prefix>.<id>`. Default `orders`.'),
    /** Durable pull consumer shared by every worker. Default `tranche-workers`. */
    consumer: NameSchema.default('tranche-workers').describe('Durable pull consumer shared by every worker. Default `tranche-workers`.'),
    /** Redelivery after this long without ack / progress, ms. Default 30 s. */
    ackWaitMs: positiveMs(30_000, 'Redelivery after this long without ack / progress, ms. Default 30 s.'),
    /** Window in which a re-submitted order id is a duplicate, ms. Default 2 minutes. */
    duplicateWindowMs: positiveMs(120_000, 'Window in which a re-submitted order id is a duplicate, ms. Default 2 minutes.'),
    /** Most unacknowledged orders over all workers (the consumer's max_ack_pending). Default 1000. */
    maxAckPending: z.number().int().positive().default(1_000).describe("Most unacknowledged orders over all workers (the consumer's max_ack_pending). Default 1000."),
  })
  .strict();

/** The `bus-nats.leases` section: the key-value bucket of execution leases. */
export const NatsLeasesConfigSchema = z
  .object({
    /** Bucket name. Default `tranche-leases`. */
    bucket: NameSchema.default('tranche-leases').describe('Bucket name. Default `tranche-leases`.'),
    /** A lease not renewed for this long expires, ms (the bucket TTL). Default 15 s. */
    ttlMs: positiveMs(15_000, 'A lease not renewed for this long expires, ms (the bucket TTL). Default 15 s.'),
  })
  .strict();

/** The `journal-nats` config section: the execution journal on a JetStream stream (plugin `journal-nats` of this package). */
export const NatsJournalConfigSchema = z
  .object({
    /** Journal every execution (write-ahead) and resume unfinished ones at start-up. Default true (installing the plugin is the choice). */
    enabled: z.boolean().default(true).describe('Journal every execution (write-ahead) and resume unfinished ones at start-up. Default true.'),
    /** Stream name. Default `TRANCHE_JOURNAL`. */
    stream: NameSchema.default('TRANCHE_JOURNAL').describe('Stream name. Default `TRANCHE_JOURNAL`.'),
    /** First subject token: events go to `<prefix>.<executionId>`. Default `journal`. */
    subjectPrefix: TokenSchema.default('journal').describe('First subject token: events go to `<prefix>.<executionId>`. Default `journal`.'),
    /** Window in which a re-recorded event (same id) is a duplicate, ms. Default 2 minutes. */
    duplicateWindowMs: positiveMs(120_000, 'Window in which a re-recorded event (same id) is a duplicate, ms. Default 2 minutes.'),
  })
  .strict();

/** The parsed `journal-nats` config section. */
export type NatsJournalConfig = z.infer<typeof NatsJournalConfigSchema>;
/** Token under which the parsed `journal-nats` config section is bound. */
export const NatsJournalConfig = Symbol.for('tranche.journal-nats.config');

/** The `bus-nats` config section. Strict: unknown keys are errors; every key has a default. */
export const BusNatsConfigSchema = z
  .object({
    /** Server URL(s), comma-separated. Default `nats://127.0.0.1:4222`. */
    url: z
      .string()
      .min(1)
      .refine((value) => value.split(',').every((part) => /^(nats|tls|ws|wss):\/\/[^\s/]+$/.test(part.trim()) || /^[^\s/:]+:\d+$/.test(part.trim())), 'nats://host:port, comma-separated')
      .default('nats://127.0.0.1:4222')
      .describe('Server URL(s), comma-separated. Default `nats://127.0.0.1:4222`.'),
    /** Connection name shown by the server (`nats-server` monitoring). Default `tranche`. */
    name: z.string().min(1).max(100).default('tranche').describe('Connection name shown by the server. Default `tranche`.'),
    /** Wait between reconnect attempts, ms. Default 250. */
    reconnectWaitMs: positiveMs(250, 'Wait between reconnect attempts, ms. Default 250.'),
    /** Reconnect attempts before giving up; -1 for ever. Default -1. */
    maxReconnectAttempts: z.number().int().min(-1).default(-1).describe('Reconnect attempts before giving up; -1 for ever. Default -1.'),
    /** Timeout of the first connection, JetStream API calls and publish acknowledgements, ms. Default 5000. */
    requestTimeoutMs: positiveMs(5_000, 'Timeout of the first connection, JetStream API calls and publish acknowledgements, ms. Default 5000.'),
    /** Durable execution events. */
    events: NatsEventsConfigSchema.prefault({}).describe('Durable execution events.'),
    /** The parent-order work queue. */
    orders: NatsOrdersConfigSchema.prefault({}).describe('The parent-order work queue.'),
    /** Execution leases. */
    leases: NatsLeasesConfigSchema.prefault({}).describe('Execution leases.'),
  })
  .strict();
/** The parsed `bus-nats` config section. */
export type BusNatsConfig = z.infer<typeof BusNatsConfigSchema>;
/** The `bus-nats` config section as a user writes it. */
export type BusNatsConfigInput = z.input<typeof BusNatsConfigSchema>;
/** Token under which the parsed `bus-nats` config section is bound. */
export const BusNatsConfig = Symbol.for('tranche.bus-nats.config');
