import { describe, expect, it } from 'vitest';
import { BalanceLedger } from './balance-ledger.js';

describe('BalanceLedger', () => {
  it('reserves from free, releases back, and refuses what is not free', () => {
    const ledger = new BalanceLedger({ USDT: 100 });
    expect(ledger.reserve('USDT', 60)).toBe(true);
    expect(ledger.reserve('USDT', 60)).toBe(false);
    expect(ledger.snapshot()).toEqual([{ asset: 'USDT', free: 40, locked: 60 }]);
    ledger.release('USDT', 100);
    expect(ledger.snapshot()).toEqual([{ asset: 'USDT', free: 100, locked: 0 }]);
    expect(ledger.reserve('BTC', 1)).toBe(false);
  });

  it('spends from the lock and credits, never going below zero', () => {
    const ledger = new BalanceLedger({ USDT: 10 });
    ledger.reserve('USDT', 10);
    ledger.spendLocked('USDT', 4);
    ledger.credit('BTC', 0.5);
    ledger.credit('USDT', -100);
    expect(ledger.snapshot()).toEqual([
      { asset: 'BTC', free: 0.5, locked: 0 },
      { asset: 'USDT', free: 0, locked: 6 },
    ]);
    ledger.spendLocked('USDT', 50);
    expect(ledger.locked('USDT')).toBe(0);
    expect(ledger.free('ETH')).toBe(0);
  });

  it('treats float dust as zero', () => {
    const ledger = new BalanceLedger({ BTC: 0.3 });
    ledger.reserve('BTC', 0.1 + 0.2);
    expect(ledger.free('BTC')).toBe(0);
    expect(ledger.locked('BTC')).toBeCloseTo(0.3, 15);
  });
});
