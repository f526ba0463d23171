import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrancheError } from '@tranche/core';
import { ClusterJobSchema } from './cluster-job.schema.js';
import { SubmitFlagsSchema, WorkerFlagsSchema, parseFlags } from './cluster-flags.schema.js';
import { sampleClusterJobs } from './cluster-orders.js';
import { executionEventsSubject, marketDataSubject, symbolToken } from './cluster-subjects.js';

function refusal(run: () => unknown): TrancheError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TrancheError);
    return error as TrancheError;
  }
  throw new Error('expected a refusal');
}

describe('cluster flags', () => {
  it('applies the defaults: the local NATS server, one order at a time', () => {
    expect(parseFlags(WorkerFlagsSchema, {})).toMatchObject({ nats: 'nats://127.0.0.1:4222', concurrency: 1 });
    expect(parseFlags(WorkerFlagsSchema, { nats: 'nats://a:4222, nats://b:4222', concurrency: '4', leaseTtl: '2000' })).toMatchObject({ concurrency: 4, leaseTtl: 2_000 });
  });

  it.each([
    [{ nats: 'http://127.0.0.1:4222' }, /^invalid flags: --nats must be a NATS URL .*, got "http:\/\/127\.0\.0\.1:4222"$/],
    [{ nats: 'nats://a:4222,' }, /^invalid flags: --nats must be a NATS URL/],
    [{ concurrency: '0' }, /^invalid flags: --concurrency must be at least 1, got "0"$/],
    [{ concurrency: '1.5' }, /^invalid flags: --concurrency must be a whole number, got "1\.5"$/],
    [{ leaseTtl: '10' }, /^invalid flags: --lease-ttl must be at least 300, got "10"$/],
    [{ ackWait: 'soon' }, /^invalid flags: --ack-wait must be a number, got "soon"$/],
    [{ id: 'w.1' }, /^invalid flags: --id must be 1-64 letters, digits, "_" or "-", got "w\.1"$/],
    [{ journalNats: true, journalDir: '/tmp/x' }, /^invalid flags: --journal-nats cannot be given with --journal-dir/],
  ])('refuses worker flags %j with one error naming the flag and the value', (flags, message) => {
    const error = refusal(() => parseFlags(WorkerFlagsSchema, flags));
    expect(error.kind).toBe('validation');
    expect(error.message).toMatch(message);
  });

  it('refuses a submit timeout that is not a positive number of seconds', () => {
    expect(refusal(() => parseFlags(SubmitFlagsSchema, { timeout: '-3' })).message).toBe('invalid flags: --timeout must be a positive number of seconds, got "-3"');
  });
});

describe('cluster subjects and sample orders', () => {
  it('turns any symbol into one subject token', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('book', 'trades', 'ticker', 'candles') as fc.Arbitrary<'book' | 'trades' | 'ticker' | 'candles'>, (symbol, kind) => {
        expect(symbolToken(symbol)).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(marketDataSubject('paper', symbol, kind).split('.')).toHaveLength(4);
      }),
    );
    expect(marketDataSubject('paper', 'BTC/USDT', 'trades')).toBe('md.paper.BTC-USDT.trades');
    expect(executionEventsSubject('o1')).toBe('exec.events.o1');
  });

  it('gives valid, distinct, reproducible jobs for any count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), (count) => {
        const jobs = sampleClusterJobs(count, 'p');
        expect(jobs).toHaveLength(count);
        expect(new Set(jobs.map((job) => job.order.id)).size).toBe(count);
        for (const job of jobs) expect(ClusterJobSchema.parse(job)).toEqual(job);
        expect(sampleClusterJobs(count, 'p')).toEqual(jobs);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a job without an id: the id is the execution id', () => {
    const { order } = sampleClusterJobs(1)[0]!;
    const { id: _id, ...withoutId } = order;
    expect(ClusterJobSchema.safeParse({ order: withoutId }).success).toBe(false);
  });
});
