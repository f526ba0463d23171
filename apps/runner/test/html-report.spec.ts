import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestResult, BacktestRow, BacktestRun } from '../src/backtest/backtest-result.js';
import { thinBacktestResult } from '../src/backtest/html-report-data.js';
import { renderBacktestHtml } from '../src/backtest/html-report.js';
import { quantizePng } from '../src/backtest/screenshot-png.js';
import { checkHtmlReport, defaultChromiumPath } from '../src/backtest/screenshot.js';

const startTs = Date.UTC(2026, 10, 20, 9, 0, 0);
const minute = 60_000;
const strategies = ['twap', 'vwap', 'market'];
const symbols = [
  { symbol: 'BTC/USDT', price: 97_250, quantity: 0.8 },
  { symbol: 'ETH/USDT', price: 3_410, quantity: 12 },
];

/** The price of a symbol at a time: a slow wave, so the charts have a shape. */
function priceAt(base: number, ts: number): number {
  const t = (ts - startTs) / minute;
  return Number((base * (1 + 0.0012 * Math.sin(t / 7) + 0.0004 * Math.cos(t / 2))).toFixed(2));
}

function makeRun(index: number, symbolIndex: number, side: 'buy' | 'sell', strategy: string): BacktestRun {
  const { symbol, price, quantity } = symbols[symbolIndex];
  const runStart = startTs + (5 + 10 * (index % 4)) * minute;
  const durationMs = strategy === 'market' ? minute : 20 * minute;
  const slices = strategy === 'market' ? 2 : 10;
  const filledShare = index % 5 === 4 ? 0.7 : 1;
  const fills = Array.from({ length: slices }, (_, slice) => {
    const ts = runStart + Math.round(((slice + 0.5) * durationMs) / slices);
    return { ts, price: priceAt(price, ts) * (side === 'buy' ? 1.0001 : 0.9999), quantity: (quantity * filledShare) / slices, maker: slice % 3 === 0 };
  });
  const schedule = Array.from({ length: slices + 1 }, (_, slice) => ({
    ts: runStart + Math.round((slice * durationMs) / slices),
    scheduledQuantity: (quantity * slice) / slices,
    filledQuantity: (quantity * filledShare * Math.max(0, slice - 0.5)) / slices,
  }));
  const filledQuantity = quantity * filledShare;
  const averagePrice = fills.reduce((sum, fill) => sum + fill.price * fill.quantity, 0) / filledQuantity;
  const arrivalPrice = priceAt(price, runStart);
  const sign = side === 'buy' ? 1 : -1;
  const shortfall = (sign * (averagePrice - arrivalPrice) * 10_000) / arrivalPrice;
  return {
    id: `bt-${String(index + 1).padStart(3, '0')}`,
    ...(symbolIndex === 0 ? { dataset: 'btc-capture' } : {}),
    symbol,
    side,
    requestedStrategy: strategy,
    strategy,
    quantity,
    shareOfVolume: 0.02,
    startTs: runStart,
    endTs: runStart + durationMs,
    durationMs,
    marketState: index % 3 === 0 ? 'volatile' : 'calm',
    sizeBucket: 'small',
    status: filledShare === 1 ? 'filled' : 'expired',
    filledQuantity,
    averagePrice,
    arrivalPrice,
    implementationShortfallBps: shortfall,
    vwapSlippageBps: shortfall / 2 - 0.4,
    fillRate: filledShare,
    totalCostBps: shortfall + 1.5,
    feeBps: 1,
    participationRate: 0.03,
    childOrders: slices,
    fills,
    schedule,
  };
}

function stat(values: number[]): BacktestRow['fillRate'] {
  const sorted = [...values].sort((a, b) => a - b);
  return { count: values.length, mean: values.reduce((a, b) => a + b, 0) / values.length, p90: sorted[Math.ceil(0.9 * sorted.length) - 1] };
}

/** A small hand-made result: 2 symbols × 2 sides × 3 strategies, with fills and schedules. */
function makeResult(): BacktestResult {
  const runs: BacktestRun[] = [];
  symbols.forEach((_, symbolIndex) =>
    (['buy', 'sell'] as const).forEach((side) => strategies.forEach((strategy) => runs.push(makeRun(runs.length, symbolIndex, side, strategy)))),
  );
  const table: BacktestRow[] = [];
  for (const strategy of strategies) {
    for (const marketState of ['calm', 'volatile']) {
      const group = runs.filter((run) => run.requestedStrategy === strategy && run.marketState === marketState);
      if (group.length === 0) continue;
      table.push({
        strategy,
        marketState,
        sizeBucket: 'small',
        count: group.length,
        filledCount: group.filter((run) => run.fillRate >= 1).length,
        implementationShortfallBps: stat(group.map((run) => run.implementationShortfallBps!)),
        vwapSlippageBps: stat(group.map((run) => run.vwapSlippageBps!)),
        fillRate: stat(group.map((run) => run.fillRate)),
        totalCostBps: stat(group.map((run) => run.totalCostBps!)),
      });
    }
  }
  const ts = Array.from({ length: 61 }, (_, i) => startTs + i * minute);
  return {
    // A source with the sequences that could end the embedding script element early.
    data: { kind: 'ticks', source: 'recordings/</script><!-- & "odd" name', symbols: symbols.map((s) => s.symbol), startTs, endTs: startTs + 60 * minute },
    grid: {
      symbols: symbols.map((s) => s.symbol),
      sides: ['buy', 'sell'],
      sizes: [0.02],
      durationsMs: [minute, 20 * minute],
      strategies,
      startsTs: [0, 1, 2, 3].map((i) => startTs + (5 + 10 * i) * minute),
      seed: 7,
    },
    runs,
    skipped: [{ symbol: 'ETH/USDT', side: 'buy', strategy: 'twap', share: 0.0001, startTs, reason: 'below the minimum quantity' }],
    table,
    // BTC names its data set (as tranche backtest does), ETH does not (as a hand-made result may not).
    prices: symbols.map(({ symbol, price }, index) => ({ symbol, ...(index === 0 ? { dataset: 'btc-capture' } : {}), stepMs: minute, ts, price: ts.map((t) => priceAt(price, t)) })),
    timing: { wallMs: 1234, sessions: 4, replayedEvents: 56_789 },
  };
}

function embeddedJson(html: string): string {
  const match = /<script type="application\/json" id="backtest-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded data');
  return match[1];
}

describe('renderBacktestHtml', () => {
  const result = makeResult();
  const html = renderBacktestHtml(result);

  it('is self-contained: Chart.js inline with its licence banner, nothing fetched from the network', () => {
    // match() rather than toMatch(): a failure prints the offending text, not 200 kB of page.
    expect(html.match(/Chart\.js v4\.\d+\.\d+\s*\*[^*]*\*\s*\(c\)[^*]*\*\s*Released under the MIT License/)).not.toBeNull();
    expect(html.match(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\/[^"'\s>]*/gi)).toBeNull();
    expect(html.match(/<link\b[^>]*>/gi)).toBeNull();
    expect(html.match(/<script[^>]+\bsrc=[^>]*>/gi)).toBeNull();
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
    expect(style.match(/@import|url\(/gi)).toBeNull();
  });

  it('embeds the result as JSON that parses back to it, even with </script and <!-- in a string', () => {
    const json = embeddedJson(html);
    expect(json).not.toMatch(/<\/script|<!--/i);
    expect(JSON.parse(json)).toEqual(result);
  });

  it('renders the header and the summary table as static HTML', () => {
    expect(html).toContain('2026-11-20 09:00:00 → 2026-11-20 10:00:00 UTC (1h)');
    expect(html).toContain('recordings/&lt;/script&gt;&lt;!-- &amp; &quot;odd&quot; name');
    expect(html).toContain('1 run(s) of the grid: 1× below the minimum quantity');
    const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1];
    expect(body.match(/<tr[ >]/g)).toHaveLength(result.table.length);
    const first = result.table[0];
    const mean = first.implementationShortfallBps.mean!;
    expect(body).toContain(`${mean > 0 ? '+' : ''}${mean.toFixed(2)}`);
    expect(html).toMatch(/<select id="run-select"><option value="0" selected>bt-001/);
  });
});

describe('thinBacktestResult', () => {
  it('keeps a small result as it is', () => {
    const result = makeResult();
    expect(thinBacktestResult(result)).toEqual({ result, notes: [] });
  });

  it('thins a huge result to a light page, keeping each run\'s filled quantity and final schedule point', () => {
    const small = makeResult();
    const runs = Array.from({ length: 400 }, (_, index) => {
      const run = small.runs[index % small.runs.length];
      const fills = Array.from({ length: 1_000 }, (_, k) => ({ ts: run.startTs + k * 50, price: 100 + (k % 7), quantity: 0.001 * (1 + (k % 3)), maker: k % 2 === 0 }));
      const schedule = Array.from({ length: 2_001 }, (_, k) => ({ ts: run.startTs + k * 25, scheduledQuantity: k, filledQuantity: k / 2 }));
      return { ...run, id: `big-${index}`, fills, schedule };
    });
    const ts = Array.from({ length: 50_000 }, (_, k) => startTs + k * 10);
    const big: BacktestResult = { ...small, runs, prices: [{ symbol: 'BTC/USDT', stepMs: 10, ts, price: ts.map((_, k) => 100 + (k % 11)) }] };
    const { result, notes } = thinBacktestResult(big);
    expect(notes).toHaveLength(3);
    expect(result.prices[0].ts.length).toBeLessThanOrEqual(2_000);
    expect(result.prices[0].stepMs).toBe(10 * Math.ceil(50_000 / 2_000));
    expect(result.prices[0].ts.at(-1)).toBe(ts.at(-1));
    expect(result.runs.reduce((sum, run) => sum + run.fills.length, 0)).toBeLessThanOrEqual(25_000);
    expect(result.runs.reduce((sum, run) => sum + run.schedule.length, 0)).toBeLessThanOrEqual(25_000 + 400);
    result.runs.forEach((run, index) => {
      const sum = (fills: BacktestRun['fills']) => fills.reduce((total, fill) => total + fill.quantity, 0);
      expect(sum(run.fills)).toBeCloseTo(sum(big.runs[index].fills), 9);
      expect(run.fills.at(-1)!.ts).toBe(big.runs[index].fills.at(-1)!.ts);
      expect(run.schedule.at(-1)).toEqual(big.runs[index].schedule.at(-1));
    });
    expect(renderBacktestHtml(big).length).toBeLessThan(12_000_000);
  });
});

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('the HTML report in headless Chromium', () => {
  let chromiumProblem: string | undefined;
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tranche-html-report-'));
    try {
      execFileSync('bash', [join(root, 'tools/ensure-chromium.sh')], { stdio: ['ignore', 'inherit', 'pipe'], timeout: 300_000 });
    } catch (error) {
      chromiumProblem = String((error as { stderr?: Buffer }).stderr ?? error).trim();
    }
    if (!chromiumProblem && !existsSync(defaultChromiumPath)) chromiumProblem = `${defaultChromiumPath} is missing`;
  }, 320_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws every chart without errors and shows the table', async () => {
    // The project installs the browser itself (tools/ensure-chromium.sh): a missing one is a failure, not a skip.
    if (chromiumProblem) throw new Error(`Chromium is required for this test and could not be installed: ${chromiumProblem}`);
    const result = makeResult();
    const htmlPath = join(dir, 'report.html');
    writeFileSync(htmlPath, renderBacktestHtml(result));
    // Opened on the ETH twap sell (a #run= link), so the chart updates after a selection run too.
    const check = await checkHtmlReport(htmlPath, { screenshotPath: join(dir, 'report.png'), runId: 'bt-010' });

    expect(check.pageErrors).toEqual([]);
    expect(check.consoleErrors).toEqual([]);
    expect(check.externalRequests).toEqual([]);
    expect(check.ready).toBe(true);
    // Two slippage charts, the selected run's cumulative chart, one price chart per symbol.
    expect(check.canvases.map((canvas) => canvas.id).sort()).toEqual(['chart-cumulative', 'chart-price-0', 'chart-price-1', 'chart-shortfall', 'chart-vwap']);
    for (const canvas of check.canvases) {
      expect(canvas.width, canvas.id).toBeGreaterThan(300);
      expect(canvas.inkPixels, canvas.id).toBeGreaterThan(1_000);
      expect(canvas.dataPoints, canvas.id).toBeGreaterThan(0);
    }
    const prices = check.canvases.find((canvas) => canvas.id === 'chart-price-0')!;
    const btcFills = result.runs.filter((run) => run.symbol === 'BTC/USDT').reduce((sum, run) => sum + run.fills.length, 0);
    expect(prices.dataPoints).toBeGreaterThanOrEqual(result.prices[0].ts.length + btcFills);
    expect(check.tableRows).toBe(result.table.length);
    expect(check.selectedRunIndex).toBe(9);
    // Cumulative chart of bt-010: its 11 schedule points, 10 fills plus start and end, 2 points of the requested line.
    expect(check.canvases.find((canvas) => canvas.id === 'chart-cumulative')!.dataPoints).toBe(11 + 12 + 2);

    // The full-page screenshot, and its indexed version for docs: smaller, same size in pixels.
    const png = readFileSync(check.screenshotPath!);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const indexed = quantizePng(png, 256);
    expect(indexed[25]).toBe(3); // IHDR colour type: indexed
    expect(indexed.subarray(16, 24)).toEqual(png.subarray(16, 24)); // width and height
    expect(indexed.length).toBeLessThan(png.length);
  }, 20_000);
});
