import { describe, expect, it } from 'vitest';
import { natsServerUnavailableReason } from '@tranche/testkit';
import { startTranche } from '../src/cluster/cluster-processes.js';

/**
 * The documented one-command demo (`npm run demo:cluster` = `tranche cluster-demo`) as a
 * user runs it: it starts its own nats-server, a gateway and workers, submits orders,
 * prints one report line per order, who ran what and what the gateway published, and
 * leaves no process behind (it exits by itself).
 */
describe('tranche cluster-demo', () => {
  it('runs a NATS server, a gateway, two workers and four orders, and shuts everything down', async () => {
    // Installs nats-server when missing (root), and fails under CI instead of skipping.
    expect(natsServerUnavailableReason()).toBeUndefined();
    const demo = startTranche('cluster-demo', ['cluster-demo', '--workers', '2', '--orders', '4']);
    const code = await demo.exited;
    expect(code, demo.stderr().slice(-3_000)).toBe(0);
    const out = demo.stdout();
    const lines = out.split('\n').filter((line) => /^d[0-9a-f]{6}-\d+ /.test(line));
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(/(BTC|ETH)\/USDT\s+(buy|sell)\s+\w+\s+[\d.]+\/[\d.]+\s+[\d.]+\s+-?[\d.]+ w[12]$/);
    // Which worker ran how many is up to the queue; together they ran all four.
    const ran = /^who ran what: (.*)$/m.exec(out)?.[1] ?? '';
    expect([...ran.matchAll(/w[12] (\d+) \(/g)].reduce((sum, match) => sum + Number(match[1]), 0)).toBe(4);
    expect(out).toMatch(/^market data received from the gateway meanwhile: [1-9]\d* messages on md\.>$/m);
    expect(out).toMatch(/^gateway published \d+ book, \d+ trades, \d+ ticker, \d+ candles, \d+ state for BTC\/USDT, ETH\/USDT/m);
    expect(demo.stderr()).toMatch(/nats-server with JetStream on nats:\/\/127\.0\.0\.1:\d+/);
  }, 120_000);
});
