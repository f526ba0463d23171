import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TrancheError, type Lease, type LeaseStore } from '@tranche/core';
import { uniqueToken } from './eventually.js';

/** What `leaseStoreContract` needs: store handles on one backend. */
export interface LeaseStoreHarness {
  /** A handle on the harness's store (each call may be another "process"). */
  openStore(): Promise<LeaseStore>;
  /** Moves time on by `ms` (a virtual clock) or waits that long (a real server). */
  advance(ms: number): Promise<void>;
  /**
   * How late after its TTL a lease may still be seen as held, in ms (0 for a virtual
   * clock; a server that expires entries on its own timer needs a margin).
   */
  readonly expiryToleranceMs: number;
  /** Runs of the concurrent-acquire property (fewer on a real server). */
  readonly propertyRuns?: number;
  /** Closes every handle and whatever the harness started. */
  close(): Promise<void>;
}

/**
 * The contract every `LeaseStore` must honour (the in-process default and
 * `@tranche/bus-nats`): exclusivity (also under concurrent acquires from several
 * handles, a fast-check property), re-acquire by the holder, renewal by compare-and-set,
 * expiry and takeover, release, and validation of keys.
 */
export function leaseStoreContract(name: string, makeHarness: () => Promise<LeaseStoreHarness>): void {
  const withHarness = (body: (harness: LeaseStoreHarness, scope: string) => Promise<void>) => async () => {
    const harness = await makeHarness();
    try {
      await body(harness, uniqueToken('k'));
    } finally {
      await harness.close();
    }
  };

  describe(`lease store contract: ${name}`, () => {
    it('gives a free key to the first owner and refuses it to others while held', withHarness(async (harness, key) => {
      const first = await harness.openStore();
      const second = await harness.openStore();
      expect(await first.holder(key)).toBeNull();
      const lease = await first.acquire(key, 'worker-a');
      expect(lease).toMatchObject({ key, owner: 'worker-a' });
      expect(await second.acquire(key, 'worker-b')).toBeNull();
      expect(await second.holder(key)).toBe('worker-a');
      const again = await second.acquire(key, 'worker-a');
      expect(again).toEqual(lease);
    }));

    it('renews by compare-and-set: a stale revision is refused', withHarness(async (harness, key) => {
      const store = await harness.openStore();
      const lease = (await store.acquire(key, 'worker-a'))!;
      const renewed = await store.renew(lease);
      expect(renewed).not.toBeNull();
      expect(renewed!.revision).toBeGreaterThan(lease.revision);
      expect(await store.renew(lease)).toBeNull();
      expect(await store.renew({ ...renewed!, owner: 'worker-b' })).toBeNull();
      expect(await store.holder(key)).toBe('worker-a');
    }));

    it('keeps a lease alive while it is renewed within its TTL', withHarness(async (harness, key) => {
      const store = await harness.openStore();
      const other = await harness.openStore();
      let lease = (await store.acquire(key, 'worker-a'))!;
      for (let step = 0; step < 3; step++) {
        await harness.advance(store.ttlMs * 0.5);
        lease = (await store.renew(lease))!;
        expect(lease, `renewal ${step}`).not.toBeNull();
      }
      expect(await other.acquire(key, 'worker-b')).toBeNull();
      expect(await other.holder(key)).toBe('worker-a');
    }));

    it('lets another owner take an expired lease over; the old holder cannot renew it', withHarness(async (harness, key) => {
      const dead = await harness.openStore();
      const taker = await harness.openStore();
      const old = (await dead.acquire(key, 'worker-a'))!;
      await harness.advance(dead.ttlMs + harness.expiryToleranceMs);
      expect(await taker.holder(key)).toBeNull();
      const taken = await taker.acquire(key, 'worker-b');
      expect(taken).toMatchObject({ key, owner: 'worker-b' });
      expect(await dead.renew(old)).toBeNull();
      await dead.release(old);
      expect(await taker.holder(key)).toBe('worker-b');
    }));

    it('frees a released lease at once; a release by a stale lease does nothing', withHarness(async (harness, key) => {
      const store = await harness.openStore();
      const other = await harness.openStore();
      const lease = (await store.acquire(key, 'worker-a'))!;
      await store.release(lease);
      expect(await other.holder(key)).toBeNull();
      const next = (await other.acquire(key, 'worker-b'))!;
      expect(next).not.toBeNull();
      await store.release(lease);
      expect(await store.holder(key)).toBe('worker-b');
      expect(await store.acquire(key, 'worker-a')).toBeNull();
    }));

    it('gives each key to exactly one of many concurrent acquirers (property)', withHarness(async (harness, scope) => {
      const stores = [await harness.openStore(), await harness.openStore(), await harness.openStore()];
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.nat(), async (owners, keys, seed) => {
          run++;
          const attempts: Array<Promise<{ key: string; owner: string; lease: Lease | null }>> = [];
          for (let k = 0; k < keys; k++) {
            const key = `${scope}-${run}-${k}`;
            for (let o = 0; o < owners; o++) {
              const store = stores[(seed + o + k) % stores.length]!;
              const owner = `worker-${o}`;
              attempts.push(store.acquire(key, owner).then((lease) => ({ key, owner, lease })));
            }
          }
          const results = await Promise.all(attempts);
          for (let k = 0; k < keys; k++) {
            const key = `${scope}-${run}-${k}`;
            const winners = results.filter((result) => result.key === key && result.lease !== null);
            expect(winners).toHaveLength(1);
            expect(await stores[0]!.holder(key)).toBe(winners[0]!.owner);
          }
        }),
        { numRuns: harness.propertyRuns ?? 50 },
      );
    }));

    it('refuses a bad key or owner with a validation error naming it', withHarness(async (harness) => {
      const store = await harness.openStore();
      for (const [key, owner, field] of [['', 'w', 'key'], ['a.b', 'w', 'key'], ['a b', 'w', 'key'], ['ok', '', 'owner']] as const) {
        const error = await store.acquire(key, owner).then(() => undefined, (caught: unknown) => caught);
        expect(error, `${key}/${owner}`).toBeInstanceOf(TrancheError);
        expect((error as TrancheError).kind).toBe('validation');
        expect((error as TrancheError).field).toBe(field);
      }
    }));
  });
}
