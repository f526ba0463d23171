/**
 * A notification channel that POSTs JSON to webhooks, with ready formats for Slack,
 * Discord and Telegram bot endpoints, per-endpoint filters, and retries with backoff on
 * the clock.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { WebhookNotifierConfig, WebhookNotifierConfigSchema } from './webhook-notifier-config.schema.js';
import { notifierWebhookModule } from './notifier-webhook-module.js';

export { WebhookNotifier, type WebhookEndpointStats } from './webhook-notifier.js';
export { webhookBody, truncate, escapeHtmlWithin, DISCORD_COLORS } from './webhook-formats.js';
export { displayUrl, endpointSecrets, redact } from './webhook-redaction.js';
export {
  WebhookNotifierConfig,
  WebhookNotifierConfigSchema,
  WebhookEndpointSchema,
  WebhookBackoffSchema,
  WebhookFormatSchema,
  type WebhookFormat,
  type WebhookEndpointInput,
  type WebhookNotifierConfigInput,
} from './webhook-notifier-config.schema.js';
export { notifierWebhookModule } from './notifier-webhook-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `WebhookNotifier` as a `Notifier`; config section `notifier-webhook`. */
const notifierWebhookPlugin = definePlugin<WebhookNotifierConfig>({
  name: 'notifier-webhook',
  version: VERSION,
  description: 'Notifications POSTed to webhooks: JSON, Slack, Discord, Telegram; retries with backoff',
  configSchema: WebhookNotifierConfigSchema,
  configToken: WebhookNotifierConfig,
  module: notifierWebhookModule,
});
export default notifierWebhookPlugin;
