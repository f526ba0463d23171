import type { Balance } from '@tranche/core';

/** Amounts this close to zero are float noise, not money. */
const DUST = 1e-9;

interface Account {
  free: number;
  locked: number;
}

/**
 * Free and locked amounts per asset. Orders lock what they may spend (`reserve`),
 * settle from the lock as they fill, and give back the rest when they end (`release`).
 * Nothing here can go below zero: a `reserve` larger than the free amount returns
 * `false`, and a settlement never takes more than was locked.
 */
export class BalanceLedger {
  private readonly accounts = new Map<string, Account>();

  /** @param initial starting free amounts, asset → amount. */
  constructor(initial: Readonly<Record<string, number>>) {
    for (const [asset, amount] of Object.entries(initial)) this.accounts.set(asset, { free: amount, locked: 0 });
  }

  /** Free amount of an asset (0 when unknown). */
  free(asset: string): number {
    return this.accounts.get(asset)?.free ?? 0;
  }

  /** Locked amount of an asset (0 when unknown). */
  locked(asset: string): number {
    return this.accounts.get(asset)?.locked ?? 0;
  }

  /** Moves `amount` from free to locked; `false` (and nothing moved) when the free amount is short. */
  reserve(asset: string, amount: number): boolean {
    if (amount <= 0) return true;
    const account = this.account(asset);
    if (account.free + DUST < amount) return false;
    account.free = clean(account.free - amount);
    account.locked = clean(account.locked + amount);
    return true;
  }

  /** Moves `amount` from locked back to free. */
  release(asset: string, amount: number): void {
    if (amount <= 0) return;
    const account = this.account(asset);
    const moved = Math.min(amount, account.locked);
    account.locked = clean(account.locked - moved);
    account.free = clean(account.free + moved);
  }

  /** Spends `amount` out of the locked amount (a fill paid from a reservation). */
  spendLocked(asset: string, amount: number): void {
    if (amount <= 0) return;
    const account = this.account(asset);
    account.locked = clean(account.locked - Math.min(amount, account.locked));
  }

  /** Adds `amount` (negative: removes, never below zero) to the free amount. */
  credit(asset: string, amount: number): void {
    const account = this.account(asset);
    account.free = clean(Math.max(0, account.free + amount));
  }

  /** Every asset with its free and locked amounts, sorted by asset. */
  snapshot(): Balance[] {
    return [...this.accounts.entries()]
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([asset, account]) => ({ asset, free: account.free, locked: account.locked }));
  }

  private account(asset: string): Account {
    let account = this.accounts.get(asset);
    if (!account) {
      account = { free: 0, locked: 0 };
      this.accounts.set(asset, account);
    }
    return account;
  }
}

/** Removes float noise around zero and never returns a negative amount. */
function clean(value: number): number {
  return value < DUST ? 0 : value;
}
