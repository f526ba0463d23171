import { z } from 'zod';
import { NotificationSeveritySchema } from '@tranche/core';

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** Body formats: the notification as JSON, or ready bodies for Slack, Discord and Telegram bot endpoints. */
export const WebhookFormatSchema = z.enum(['json', 'slack', 'discord', 'telegram']);
/** A body format. */
export type WebhookFormat = z.infer<typeof WebhookFormatSchema>;

/** One endpoint notifications are POSTed to. */
export const WebhookEndpointSchema = z
  .object({
    /** Names the endpoint in logs and errors (its URL holds secrets and is never logged); default `<format>-<n>`. */
    id: z.string().regex(KEBAB, { error: 'must be a kebab-case id' }).optional().describe('Names the endpoint in logs and errors (its URL holds secrets and is never logged); default `<format>-<n>`.'),
    /** http(s) URL; Telegram: `https://api.telegram.org/bot<token>/sendMessage`. */
    url: z
      .string()
      .url({ error: 'must be an http(s) URL' })
      .refine((value) => /^https?:\/\//i.test(value), { error: 'must be an http(s) URL' })
      .describe('http(s) URL; Telegram: `https://api.telegram.org/bot<token>/sendMessage`.'),
    /** Body format. */
    format: WebhookFormatSchema.default('json').describe('Body format: json, slack, discord or telegram.'),
    /** Telegram only: the chat to post to (a numeric id or `@channelname`). */
    chatId: z.union([z.string().min(1), z.number().int()]).optional().describe('Telegram only: the chat to post to (a numeric id or `@channelname`).'),
    /** Extra request headers (e.g. `Authorization` for a JSON endpoint); their values are never logged. */
    headers: z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, { error: 'must be an HTTP header name' }), z.string()).optional().describe('Extra request headers (e.g. `Authorization` for a JSON endpoint); their values are never logged.'),
    /** Event names this endpoint receives (absent: all). */
    events: z.array(z.string().regex(KEBAB, { error: 'must be a kebab-case event name' })).min(1).optional().describe('Event names this endpoint receives (absent: all).'),
    /** Least severity this endpoint receives. */
    minSeverity: NotificationSeveritySchema.default('info').describe('Least severity this endpoint receives.'),
  })
  .strict()
  .superRefine((endpoint, context) => {
    if (endpoint.format === 'telegram' && endpoint.chatId === undefined) {
      context.addIssue({ code: 'custom', path: ['chatId'], message: 'is required for the telegram format' });
    }
    if (endpoint.format !== 'telegram' && endpoint.chatId !== undefined) {
      context.addIssue({ code: 'custom', path: ['chatId'], message: `is only for the telegram format, not ${endpoint.format}` });
    }
  });
/** One endpoint as a user writes it. */
export type WebhookEndpointInput = z.input<typeof WebhookEndpointSchema>;

/** Retry delays: exponential from `baseMs`, at most `maxMs`, with a seeded jitter. */
export const WebhookBackoffSchema = z
  .object({
    /** Delay before the first retry (ms, on the clock). */
    baseMs: z.number().int().positive().default(500).describe('Delay before the first retry (ms, on the clock).'),
    /** Longest delay between two attempts; a `Retry-After` asking for more gives up. */
    maxMs: z.number().int().positive().default(30_000).describe('Longest delay between two attempts; a `Retry-After` asking for more gives up.'),
    /** Share of the delay that is random (0.2 = ±10 %). */
    jitter: z.number().min(0).max(1).default(0.2).describe('Share of the delay that is random (0.2 = ±10 %).'),
    /** Seed of the jitter, so a run's delays are reproducible. */
    seed: z.number().int().default(1).describe('Seed of the jitter, so a run\'s delays are reproducible.'),
  })
  .strict()
  .refine((backoff) => backoff.maxMs >= backoff.baseMs, { error: 'max_ms must be at least base_ms', path: ['maxMs'] });

/** The `notifier-webhook` config section. Strict: unknown keys are errors; every key has a default. */
export const WebhookNotifierConfigSchema = z
  .object({
    /** Where notifications are POSTed. */
    endpoints: z.array(WebhookEndpointSchema).default([]).describe('Where notifications are POSTed.'),
    /** One attempt is aborted after this long (ms, on the clock). */
    timeoutMs: z.number().int().positive().default(5_000).describe('One attempt is aborted after this long (ms, on the clock).'),
    /** Retries after the first attempt (network errors, timeouts, 5xx, 429; never other 4xx). */
    retries: z.number().int().min(0).max(20).default(3).describe('Retries after the first attempt (network errors, timeouts, 5xx, 429; never other 4xx).'),
    /** Retry delays. */
    backoff: WebhookBackoffSchema.prefault({}).describe('Retry delays: exponential from base_ms, at most max_ms, with a seeded jitter.'),
    /** Notifications waiting per endpoint; beyond it the oldest is dropped (and counted). */
    maxQueue: z.number().int().positive().max(100_000).default(100).describe('Notifications waiting per endpoint; beyond it the oldest is dropped (and counted).'),
  })
  .strict()
  .superRefine((config, context) => {
    const seen = new Set<string>();
    config.endpoints.forEach((endpoint, index) => {
      const id = endpoint.id ?? `${endpoint.format}-${index + 1}`;
      if (seen.has(id)) context.addIssue({ code: 'custom', path: ['endpoints', index, 'id'], message: `"${id}" is used by two endpoints` });
      seen.add(id);
    });
  });
/** The parsed `notifier-webhook` config section. */
export type WebhookNotifierConfig = z.infer<typeof WebhookNotifierConfigSchema>;
/** The `notifier-webhook` config section as a user writes it. */
export type WebhookNotifierConfigInput = z.input<typeof WebhookNotifierConfigSchema>;
/** Token under which the parsed `notifier-webhook` config section is bound. */
export const WebhookNotifierConfig = Symbol.for('tranche.notifier-webhook.config');
