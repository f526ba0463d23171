import { describe, expect, it } from 'vitest';
import { runInitializationExample } from './initialize.js';

describe("the seed's initialization example", () => {
  it('runs the limit order on the replayed data and prints the result', async () => {
    const lines: string[] = [];
    const report = await runInitializationExample((line) => lines.push(line));
    expect(lines[0]).toMatch(/^주문 실행 결과/);
    expect(report.symbol).toBe('BTC/USDT');
    expect(report.status).toBe('expired');
    expect(report.filledQuantity).toBe(0);
    expect(report.childOrders).toHaveLength(1);
    expect(report.childOrders[0]?.price).toBe(50_000);
    expect(report.childOrders[0]?.status).toBe('cancelled');
  });
});
