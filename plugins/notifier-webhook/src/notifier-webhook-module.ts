import { ContainerModule } from 'inversify';
import { Notifier } from '@tranche/core';
import { WebhookNotifier } from './webhook-notifier.js';

/** Bindings of the notifier-webhook plugin: `WebhookNotifier` to itself and as one of the multi-bound `Notifier`s. */
export const notifierWebhookModule = new ContainerModule(({ bind }) => {
  bind(WebhookNotifier).toSelf().inSingletonScope();
  bind(Notifier).toService(WebhookNotifier);
});
