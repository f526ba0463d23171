/**
 * A notification channel for the terminal: one readable line per notification (time,
 * severity, title, message) on stderr, warnings and critical ones by default.
 *
 * @packageDocumentation
 */
import { definePlugin } from '@tranche/core';
import { ConsoleNotifierConfig, ConsoleNotifierConfigSchema } from './console-notifier-config.schema.js';
import { consoleStreamModule, notifierConsoleModule } from './notifier-console-module.js';
import type { WritableText } from './console-notifier.js';

export { ConsoleNotifier, ConsoleNotifierStream, formatNotificationLine, type WritableText } from './console-notifier.js';
export { ConsoleNotifierConfig, ConsoleNotifierConfigSchema, type ConsoleNotifierConfigInput } from './console-notifier-config.schema.js';
export { notifierConsoleModule, consoleStreamModule } from './notifier-console-module.js';

/** Package version (kept in step with package.json). */
const VERSION = '0.1.0';

/** The plugin: binds `ConsoleNotifier` as a `Notifier`; config section `notifier-console`. */
const notifierConsolePlugin = definePlugin<ConsoleNotifierConfig>({
  name: 'notifier-console',
  version: VERSION,
  description: 'Notifications as one readable line each on the terminal (stderr)',
  configSchema: ConsoleNotifierConfigSchema,
  configToken: ConsoleNotifierConfig,
  module: notifierConsoleModule,
});
export default notifierConsolePlugin;

/**
 * A companion plugin that makes the console notifier write to `stream` (an app's
 * injected stderr, a test buffer) instead of the process's stderr. Install it next to
 * the notifier-console plugin.
 */
export function consoleStreamPlugin(stream: WritableText) {
  return definePlugin({ name: 'notifier-console-stream', version: VERSION, module: consoleStreamModule(stream) });
}
