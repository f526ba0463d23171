import { z } from 'zod';
import { parseInput } from '@tranche/core';
import { DEFAULT_NATS_URL } from './cluster-subjects.js';

const NATS_PROTOCOLS = new Set(['nats:', 'tls:', 'ws:', 'wss:']);

/** `--nats`: one NATS URL or several comma-separated (the servers of a cluster). */
export const NatsUrlSchema = z
  .string()
  .refine(
    (value) =>
      value.split(',').every((part) => {
        try {
          const url = new URL(part.trim());
          return NATS_PROTOCOLS.has(url.protocol) && url.hostname !== '';
        } catch {
          return false;
        }
      }),
    { error: 'must be a NATS URL such as nats://127.0.0.1:4222 (several comma-separated for a cluster)' },
  );

const integerFlag = (min: number, max: number) =>
  z.coerce
    .number()
    .int({ error: 'must be a whole number' })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

/** The id of a worker: one subject token (it owns leases and signs events). */
export const WorkerIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1-64 letters, digits, "_" or "-"' });

/** Flags of `tranche worker`. */
export const WorkerFlagsSchema = z
  .object({
    nats: NatsUrlSchema.default(DEFAULT_NATS_URL),
    id: WorkerIdSchema.optional(),
    concurrency: integerFlag(1, 64).default(1),
    journalDir: z.string().min(1).optional(),
    journalNats: z.boolean().optional(),
    leaseTtl: integerFlag(300, 600_000).optional(),
    ackWait: integerFlag(1_000, 3_600_000).optional(),
  })
  .loose()
  .refine((flags) => !(flags.journalNats && flags.journalDir !== undefined), { error: 'cannot be given with --journal-dir (one journal or the other)', path: ['journalNats'] });
/** Flags of `tranche worker`, validated. */
export type WorkerFlags = z.infer<typeof WorkerFlagsSchema>;

/** Flags of `tranche submit`. */
export const SubmitFlagsSchema = z
  .object({
    nats: NatsUrlSchema.default(DEFAULT_NATS_URL),
    id: z.string().regex(/^[A-Za-z0-9_-]{1,24}$/, { error: 'must be 1-24 characters of letters, digits, "_" or "-"' }).optional(),
    timeout: z.coerce.number().positive({ error: 'must be a positive number of seconds' }).optional(),
    datasets: z.array(z.string().min(1)).min(1).optional(),
  })
  .loose();
/** Flags of `tranche submit`, validated. */
export type SubmitFlags = z.infer<typeof SubmitFlagsSchema>;

/** Flags of `tranche gateway`. */
export const GatewayFlagsSchema = z.object({ nats: NatsUrlSchema.default(DEFAULT_NATS_URL) }).loose();

/** Parses a command's flags; one validation error naming the flag (`--lease-ttl`) and its value. */
export function parseFlags<S extends z.ZodType>(schema: S, flags: unknown): z.output<S> {
  return parseInput(schema, flags, 'flags', (path) => `--${String(path[0] ?? '').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`);
}
