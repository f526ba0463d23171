import { z } from 'zod';
import { NotificationSeveritySchema } from '@tranche/core';

/** The `notifier-console` config section. Strict: unknown keys are errors; every key has a default. */
export const ConsoleNotifierConfigSchema = z
  .object({
    /** Least severity written (`warning` by default: the terminal shows what needs attention). */
    minSeverity: NotificationSeveritySchema.default('warning').describe('Least severity written (`warning` by default: the terminal shows what needs attention).'),
    /** Where lines go when no stream is bound under `ConsoleNotifierStream`. */
    stream: z.enum(['stderr', 'stdout']).default('stderr').describe('Where lines go when no stream is bound under `ConsoleNotifierStream`.'),
    /** Also write the notification's `data` as JSON after the message. */
    includeData: z.boolean().default(false).describe('Also write the notification\'s `data` as JSON after the message.'),
  })
  .strict();
/** The parsed `notifier-console` config section. */
export type ConsoleNotifierConfig = z.infer<typeof ConsoleNotifierConfigSchema>;
/** The `notifier-console` config section as a user writes it. */
export type ConsoleNotifierConfigInput = z.input<typeof ConsoleNotifierConfigSchema>;
/** Token under which the parsed `notifier-console` config section is bound. */
export const ConsoleNotifierConfig = Symbol.for('tranche.notifier-console.config');
