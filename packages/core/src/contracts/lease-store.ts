/** A held lease: proof that `owner` alone works on `key` until it expires. */
export interface Lease {
  readonly key: string;
  readonly owner: string;
  /** Store revision of the lease record; renewals compare-and-set on it. */
  readonly revision: number;
}

/**
 * Exclusive, expiring ownership of a key (an execution id) among several processes.
 * A holder renews its lease while it works; a holder that dies stops renewing, its lease
 * expires, and another process can take the key over. The default is in-process;
 * `@tranche/bus-nats` backs it with a JetStream key-value bucket (create / compare-and-set,
 * entries expiring after the bucket's TTL).
 */
export interface LeaseStore {
  /** How long a lease lives without renewal, in milliseconds. */
  readonly ttlMs: number;
  /**
   * Takes the lease when it is free or expired; resolves `null` while another owner holds
   * a live one. When `owner` itself holds a live lease on `key` it gets that lease back
   * (same revision), so a restarted process with a stable owner id need not wait out the TTL.
   * `key` is one subject token (letters, digits, `_`, `-`).
   */
  acquire(key: string, owner: string): Promise<Lease | null>;
  /** Extends a held lease (compare-and-set on its revision); resolves `null` when it was lost meanwhile. */
  renew(lease: Lease): Promise<Lease | null>;
  /** Gives a held lease up (only if still held by its owner). */
  release(lease: Lease): Promise<void>;
  /** The current holder of `key`, or `null` when nobody holds a live lease. */
  holder(key: string): Promise<string | null>;
  /** Connects and prepares storage (a networked store); optional, every method also waits for it. */
  initialize?(): Promise<void>;
  /** Releases the store's resources (not the leases: they expire). Idempotent. */
  close(): Promise<void>;
}
/** Token of the `LeaseStore` contract. */
export const LeaseStore = Symbol.for('tranche.LeaseStore');
