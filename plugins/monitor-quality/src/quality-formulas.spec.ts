import { describe, expect, it } from 'vitest';
import {
  averageFillPrice,
  feeBps,
  feeInQuote,
  filledNotional,
  fillRate,
  impactCostBps,
  implementationShortfallBps,
  makerShare,
  markoutBps,
  participationRate,
  sampleMean,
  sampleQuantile,
  signedBps,
  sizeReferenceVolume,
  spreadCostBps,
  totalCostBps,
  totalFees,
  vwapSlippageBps,
  type QualityFill,
} from './quality-formulas.js';

const market = { base: 'BTC', quote: 'USDT' };

// Fill set A, a buy of 2 with the arrival mid at 100.00:
//   0.5 @ 100.02 maker, rebate −0.005, mid 100.03  (rested below the mid: earned 1 bp)
//   1.0 @ 100.06 taker, fee 0.10006,    mid 100.05  (paid ~1 bp)
//   0.5 @ 100.10 taker, fee 0.05005,    mid 100.08  (paid ~2 bp)
const buyFills: QualityFill[] = [
  { ts: 1_000, price: 100.02, quantity: 0.5, feeQuote: -0.005, liquidity: 'maker', mid: 100.03 },
  { ts: 2_000, price: 100.06, quantity: 1.0, feeQuote: 0.10006, liquidity: 'taker', mid: 100.05 },
  { ts: 3_000, price: 100.1, quantity: 0.5, feeQuote: 0.05005, liquidity: 'taker', mid: 100.08 },
];

// Fill set B, a sell of 1 (half filled) with the arrival mid at 200.00:
//   0.3 @ 199.90 taker, fee 0.0003 BTC = 0.05997 USDT at 199.90, mid 200.00 (paid 5 bp)
//   0.2 @ 200.10 maker, no fee,                                  mid 200.05 (earned 2.5 bp)
const sellFills: QualityFill[] = [
  { ts: 1_000, price: 199.9, quantity: 0.3, feeQuote: feeInQuote(0.0003, 'BTC', 199.9, market), liquidity: 'taker', mid: 200 },
  { ts: 2_000, price: 200.1, quantity: 0.2, feeQuote: 0, liquidity: 'maker', mid: 200.05 },
];

describe('quality formulas on fill set A (buy 2, arrival 100.00)', () => {
  it('average price: Σpq / Σq = (50.01 + 100.06 + 50.05) / 2 = 100.06', () => {
    expect(filledNotional(buyFills)).toBeCloseTo(200.12, 10);
    expect(averageFillPrice(buyFills)).toBeCloseTo(100.06, 10);
  });

  it('implementation shortfall: (100.06 − 100) / 100 × 10⁴ = 6 bps', () => {
    expect(implementationShortfallBps('buy', 100.06, 100)).toBeCloseTo(6, 9);
  });

  it('VWAP slippage against a market VWAP of 100.04: 0.02 / 100.04 × 10⁴ = 1.99920 bps', () => {
    expect(vwapSlippageBps('buy', 100.06, 100.04)).toBeCloseTo(1.999200320, 8);
  });

  it('maker share: 0.5 of 2 = 0.25; fill rate 2 / 2 = 1', () => {
    expect(makerShare(buyFills)).toBe(0.25);
    expect(fillRate(2, 2)).toBe(1);
  });

  it('fees: −0.005 + 0.10006 + 0.05005 = 0.14511; over 200.12 notional = 7.25115 bps', () => {
    expect(totalFees(buyFills)).toBeCloseTo(0.14511, 12);
    expect(feeBps(0.14511, 200.12)).toBeCloseTo(7.251149310, 8);
  });

  it('spread: (0.5 × −0.99970 + 1 × 0.99950 + 0.5 × 1.99840) / 2 = 0.74943 bps', () => {
    // Per fill: (100.02 − 100.03)/100.03, (100.06 − 100.05)/100.05, (100.10 − 100.08)/100.08, × 10⁴.
    expect(signedBps('buy', 100.02, 100.03)).toBeCloseTo(-0.999700090, 8);
    expect(spreadCostBps('buy', buyFills)).toBeCloseTo(0.749425422, 8);
  });

  it('impact = shortfall − spread = 6 − 0.74943 = 5.25057 bps; total = fees + shortfall = 13.25115 bps', () => {
    expect(impactCostBps(6, 0.749425422)).toBeCloseTo(5.250574578, 8);
    expect(totalCostBps(7.251149310, 6)).toBeCloseTo(13.25114931, 8);
    // fee + spread + impact adds up to the same total.
    expect(7.251149310 + 0.749425422 + 5.250574578).toBeCloseTo(13.25114931, 8);
  });

  it('participation: 2 of a market volume of 40 = 0.05', () => {
    expect(participationRate(2, 40)).toBe(0.05);
  });

  it('markouts: mid 100.10 a minute later is +3.998 bps (favourable), 99.90 five minutes later −15.990 bps (adverse)', () => {
    expect(markoutBps('buy', 100.06, 100.1)).toBeCloseTo(3.997601439, 8);
    expect(markoutBps('buy', 100.06, 99.9)).toBeCloseTo(-15.990405757, 8);
  });
});

describe('quality formulas on fill set B (sell 1, half filled, arrival 200.00)', () => {
  it('converts a fee paid in the base asset at the fill price: 0.0003 × 199.90 = 0.05997', () => {
    expect(feeInQuote(0.0003, 'BTC', 199.9, market)).toBeCloseTo(0.05997, 12);
    expect(feeInQuote(0.1, 'USDT', 199.9, market)).toBe(0.1);
    expect(feeInQuote(0.01, 'BNB', 199.9, market)).toBeNull();
  });

  it('average (59.97 + 40.02) / 0.5 = 199.98; shortfall −(199.98 − 200) / 200 × 10⁴ = +1 bps (sold below arrival)', () => {
    const average = averageFillPrice(sellFills)!;
    expect(average).toBeCloseTo(199.98, 10);
    expect(implementationShortfallBps('sell', average, 200)).toBeCloseTo(1, 8);
  });

  it('spread: (0.3 × 5 + 0.2 × −2.49938) / 0.5 = 2.00025 bps; impact 1 − 2.00025 = −1.00025 bps', () => {
    expect(spreadCostBps('sell', sellFills)).toBeCloseTo(2.000249938, 8);
    expect(impactCostBps(1, 2.000249938)).toBeCloseTo(-1.000249938, 8);
  });

  it('maker share 0.2 / 0.5 = 0.4; fill rate 0.5; fees 0.05997 over 99.99 = 5.99760 bps', () => {
    expect(makerShare(sellFills)).toBeCloseTo(0.4, 12);
    expect(fillRate(0.5, 1)).toBe(0.5);
    expect(feeBps(totalFees(sellFills), filledNotional(sellFills))).toBeCloseTo(5.997599760, 8);
  });

  it('selling above the market VWAP (199.95) is negative slippage: −0.03 / 199.95 × 10⁴ = −1.50038 bps', () => {
    expect(vwapSlippageBps('sell', 199.98, 199.95)).toBeCloseTo(-1.500375094, 8);
  });

  it('a price fall after a sale is a favourable markout: −(199.50 − 199.98) / 199.98 × 10⁴ = +24.0024 bps', () => {
    expect(markoutBps('sell', 199.98, 199.5)).toBeCloseTo(24.002400240, 8);
  });
});

describe('where the data does not allow a value', () => {
  it('gives null without fills, without an arrival price, without a mid, without market volume', () => {
    expect(averageFillPrice([])).toBeNull();
    expect(makerShare([])).toBeNull();
    expect(feeBps(0, 0)).toBeNull();
    expect(implementationShortfallBps('buy', null, 100)).toBeNull();
    expect(implementationShortfallBps('buy', 100, null)).toBeNull();
    expect(spreadCostBps('buy', [{ ...buyFills[0]!, mid: null }])).toBeNull();
    expect(impactCostBps(5, null)).toBeNull();
    expect(totalCostBps(null, 5)).toBeNull();
    expect(participationRate(1, 0)).toBeNull();
    expect(participationRate(1, null)).toBeNull();
    expect(markoutBps('buy', 100, null)).toBeNull();
    expect(fillRate(1, 0)).toBe(0);
  });

  it('weights the spread over the fills that had a mid only', () => {
    const fills = [buyFills[1]!, { ...buyFills[2]!, mid: null }];
    expect(spreadCostBps('buy', fills)).toBeCloseTo(0.99950025, 7);
  });
});

describe('size reference volume', () => {
  it('is the window volume for executions of at least the horizon', () => {
    expect(sizeReferenceVolume({ windowMs: 120_000, windowVolume: 30, horizonMs: 60_000, lookbackVolume: 5, observedMs: 60_000 })).toBe(30);
  });

  it('is the volume of the horizon before the end for shorter ones (the minute before an instant order)', () => {
    expect(sizeReferenceVolume({ windowMs: 0, windowVolume: 0, horizonMs: 60_000, lookbackVolume: 12, observedMs: 60_000 })).toBe(12);
  });

  it('scales a partly observed look-back to the horizon: 3 in 15 s → 12 a minute; null when nothing was seen', () => {
    expect(sizeReferenceVolume({ windowMs: 5_000, windowVolume: 1, horizonMs: 60_000, lookbackVolume: 3, observedMs: 15_000 })).toBe(12);
    expect(sizeReferenceVolume({ windowMs: 0, windowVolume: 0, horizonMs: 60_000, lookbackVolume: 0, observedMs: 0 })).toBeNull();
  });
});

describe('sample statistics', () => {
  it('mean and type-7 quantiles: p90 of 1..10 = 9 + 0.1 × (10 − 9) = 9.1', () => {
    const values = [7, 3, 10, 1, 5, 2, 9, 4, 8, 6];
    expect(sampleMean(values)).toBe(5.5);
    expect(sampleQuantile(values, 0.9)).toBeCloseTo(9.1, 12);
    expect(sampleQuantile(values, 0.5)).toBe(5.5);
    expect(sampleQuantile([4], 0.9)).toBe(4);
    expect(sampleQuantile([], 0.9)).toBeNull();
    expect(sampleMean([])).toBeNull();
  });
});
