import { z } from 'zod';

/** The body of `POST /api/kill`: `confirm` must be `true` (the switch stops all trading); an optional reason. Strict. */
export const KillRequestSchema = z
  .object({
    confirm: z.literal(true, { error: 'must be true (the kill switch stops all trading)' }),
    reason: z.string().min(1).max(200).optional(),
  })
  .strict();
/** The body of `POST /api/kill`. */
export type KillRequest = z.infer<typeof KillRequestSchema>;
