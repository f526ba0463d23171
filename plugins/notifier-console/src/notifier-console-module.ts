import { ContainerModule } from 'inversify';
import { Notifier } from '@tranche/core';
import { ConsoleNotifier, ConsoleNotifierStream, type WritableText } from './console-notifier.js';

/**
 * Bindings of the notifier-console plugin: `ConsoleNotifier` to itself and as one of the
 * multi-bound `Notifier`s. Bind `ConsoleNotifierStream` to write somewhere else.
 */
export const notifierConsoleModule = new ContainerModule(({ bind }) => {
  bind(ConsoleNotifier).toSelf().inSingletonScope();
  bind(Notifier).toService(ConsoleNotifier);
});

/** A module that binds `stream` as the console notifier's stream (see `consoleStreamPlugin`). */
export function consoleStreamModule(stream: WritableText): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(ConsoleNotifierStream).toConstantValue(stream);
  });
}
