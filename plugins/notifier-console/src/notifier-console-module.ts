import { ContainerModule } from 'inversify';
import { Notifier } from '@tranche/core';
import { ConsoleNotifier } from './console-notifier.js';

/**
 * Bindings of the notifier-console plugin: `ConsoleNotifier` to itself and as one of the
 * multi-bound `Notifier`s. Bind `ConsoleNotifierStream` to write somewhere else.
 */
export const notifierConsoleModule = new ContainerModule(({ bind }) => {
  bind(ConsoleNotifier).toSelf().inSingletonScope();
  bind(Notifier).toService(ConsoleNotifier);
});
