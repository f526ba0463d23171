import type { Clock } from '../contracts/clock.js';
import type { Lease, LeaseStore } from '../contracts/lease-store.js';
import { TrancheError } from '../errors/tranche-error.js';
import { assertIdToken } from './subject-pattern.js';

/** Options of `InMemoryLeaseStore`. */
export interface InMemoryLeaseStoreOptions {
  /** Time of expiry. */
  clock: Clock;
  /** How long a lease lives without renewal, in ms (default 15 000). */
  ttlMs?: number;
}

interface LeaseRecord {
  readonly owner: string;
  readonly revision: number;
  readonly expiresAt: number;
}

/**
 * The in-process `LeaseStore`: leases in a map, expiring `ttlMs` after their last
 * acquire or renewal on the `Clock` (so virtual-time tests need no waiting). Every
 * write takes a new, store-wide increasing revision; renew and release compare-and-set
 * on it. Exclusive among the users of one instance, i.e. one process.
 */
export class InMemoryLeaseStore implements LeaseStore {
  readonly ttlMs: number;
  private readonly clock: Clock;
  private readonly leases = new Map<string, LeaseRecord>();
  private revision = 0;
  private closed = false;

  constructor(options: InMemoryLeaseStoreOptions) {
    this.clock = options.clock;
    const ttlMs = options.ttlMs ?? 15_000;
    if (!(ttlMs > 0)) throw new TrancheError('validation', `invalid ttlMs ${String(ttlMs)}: must be positive`, { field: 'ttlMs', retryable: false });
    this.ttlMs = ttlMs;
  }

  async acquire(key: string, owner: string): Promise<Lease | null> {
    this.assertOpen();
    assertIdToken(key, 'key');
    assertOwner(owner);
    const current = this.live(key);
    if (current) return current.owner === owner ? { key, owner, revision: current.revision } : null;
    return this.write(key, owner);
  }

  async renew(lease: Lease): Promise<Lease | null> {
    this.assertOpen();
    const current = this.live(lease.key);
    if (!current || current.revision !== lease.revision || current.owner !== lease.owner) return null;
    return this.write(lease.key, lease.owner);
  }

  async release(lease: Lease): Promise<void> {
    this.assertOpen();
    const current = this.live(lease.key);
    if (current && current.revision === lease.revision && current.owner === lease.owner) this.leases.delete(lease.key);
  }

  async holder(key: string): Promise<string | null> {
    this.assertOpen();
    return this.live(key)?.owner ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private live(key: string): LeaseRecord | undefined {
    const record = this.leases.get(key);
    if (!record) return undefined;
    if (this.clock.now() >= record.expiresAt) {
      this.leases.delete(key);
      return undefined;
    }
    return record;
  }

  private write(key: string, owner: string): Lease {
    const revision = ++this.revision;
    this.leases.set(key, { owner, revision, expiresAt: this.clock.now() + this.ttlMs });
    return { key, owner, revision };
  }

  private assertOpen(): void {
    if (this.closed) throw new TrancheError('internal', 'lease store closed', { retryable: false });
  }
}

/** Checks a lease owner: a non-empty string (a worker id), at most 200 characters. */
export function assertOwner(owner: string): void {
  if (typeof owner !== 'string' || owner.length === 0 || owner.length > 200) {
    throw new TrancheError('validation', `invalid owner "${String(owner)}": a non-empty string of at most 200 characters`, { field: 'owner', retryable: false });
  }
}
