import busNatsPlugin from '@tranche/bus-nats';
import { LeaseStore, LiveClock, MessageBus, WorkQueue, createTranche, type TranchePlugin } from '@tranche/core';
import type { ClusterTransport, ConnectClusterOptions } from './cluster-transport.js';

/**
 * Connects to NATS through `@tranche/bus-nats` (one connection shared by the bus, the
 * work queue and the lease store, on the live clock) and resolves once the server
 * answered: a wrong `--nats` fails here, with the server named, not on the first order.
 */
export async function connectCluster(options: ConnectClusterOptions): Promise<ClusterTransport> {
  const section: Record<string, unknown> = { url: options.url, name: 'tranche-cluster' };
  if (options.ackWaitMs !== undefined) section['orders'] = { ackWaitMs: options.ackWaitMs };
  if (options.leaseTtlMs !== undefined) section['leases'] = { ttlMs: options.leaseTtlMs };
  // Only the bus-nats bindings are used: the composed app's engine (no venue here) is never created.
  const tranche = createTranche({ config: { 'bus-nats': section }, plugins: [busNatsPlugin as TranchePlugin<unknown>], logger: options.logger, clock: new LiveClock() });
  const bus = tranche.get<MessageBus>(MessageBus);
  const queue = tranche.get<WorkQueue>(WorkQueue);
  const leases = tranche.get<LeaseStore>(LeaseStore);
  const close = async (): Promise<void> => {
    await queue.close();
    await leases.close();
    await bus.close();
  };
  try {
    await bus.initialize?.();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  return { bus, queue, leases, close };
}
