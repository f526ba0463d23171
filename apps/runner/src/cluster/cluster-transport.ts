import type { LeaseStore, Logger, MessageBus, WorkQueue } from '@tranche/core';

/** The three NATS-backed pieces a cluster command uses, and how to let go of them. */
export interface ClusterTransport {
  readonly bus: MessageBus;
  /** The parent-order work queue. */
  readonly queue: WorkQueue;
  /** Execution leases. */
  readonly leases: LeaseStore;
  /** Closes the queue, the leases and the bus (in that order). */
  close(): Promise<void>;
}

/** Options of `connectCluster`. */
export interface ConnectClusterOptions {
  /** NATS server URL(s), comma-separated (`nats://127.0.0.1:4222`). */
  readonly url: string;
  readonly logger: Logger;
  /** Lease TTL, ms (workers). */
  readonly leaseTtlMs?: number;
  /** Work-queue ack wait, ms (workers). */
  readonly ackWaitMs?: number;
}
