import { AssetCacheManager, MarketDataSource, decimalsOf, type ExecutionReport, type Logger, type MarketInfo } from '@tranche/core';
import { composeRunner, type ComposeOptions } from './compose.js';
import { ProgressBar, foldProgress, type ProgressState } from './progress-bar.js';
import { formatReport } from './report-format.js';
import { installKillSignals } from './kill-signals.js';
import { registerRunner } from './runner-registry.js';
import { refuseMalformedOrder } from './refuse-malformed-order.js';

/** Where the runner writes. */
export interface RunnerIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** Options of `runExecution`. */
export interface RunExecutionOptions extends Omit<ComposeOptions, 'logger'> {
  /** The order request, or a function building it once the market is known (the demo). */
  order: unknown | ((context: { mid: (symbol: string) => number }) => unknown);
  /** Print only the report as JSON. */
  json: boolean;
  logger: Logger;
  io: RunnerIo;
  /** Text shown before the run (human mode). */
  banner?: string;
}

/**
 * Composes the runner, executes one parent order with a live progress bar (human mode)
 * and prints the report (text or JSON). Resolves with the report; throws
 * `TrancheError`s for bad input.
 */
export async function runExecution(options: RunExecutionOptions): Promise<ExecutionReport> {
  const { io, json } = options;
  const orderSymbol = typeof options.order === 'object' && options.order !== null && typeof (options.order as { symbol?: unknown }).symbol === 'string' ? (options.order as { symbol: string }).symbol : undefined;
  const tranche = await composeRunner({ ...options, ...(orderSymbol === undefined ? {} : { symbols: [orderSymbol] }) });
  const { manager } = tranche;
  // SIGINT / SIGTERM engage the kill switch.
  const releaseSignals = installKillSignals(tranche, io);
  let unregister = (): void => undefined;
  try {
    // A malformed request is refused before initialize() opens the history file or connects the venue: bad input leaves nothing behind.
    if (typeof options.order !== 'function') refuseMalformedOrder(tranche, options.order);
    await manager.initialize();
    // Recorded once it runs (bad input leaves nothing behind): `tranche kill` sends this process SIGTERM.
    const journal = (options as { journal?: unknown }).journal;
    unregister = registerRunner({ argv: process.argv.slice(2), ...(typeof journal === 'string' ? { journal } : {}) });
    const cache = tranche.get(AssetCacheManager);
    const order = typeof options.order === 'function' ? (options.order as (context: { mid: (symbol: string) => number }) => unknown)({ mid: (symbol) => cache.book(symbol).mid() }) : options.order;
    const source = tranche.container.isBound(MarketDataSource) ? tranche.get<MarketDataSource>(MarketDataSource) : undefined;
    let bar: ProgressBar | undefined;
    let market: MarketInfo | undefined;
    const state: ProgressState = { requested: 0, filled: 0, working: 0, fills: 0, ts: 0 };
    const seenFills = new Set<string>();
    if (!json) {
      if (options.banner) io.stderr.write(`${options.banner}\n`);
      const subscription = manager.events$.subscribe((event) => {
        switch (event.type) {
          case 'execution-started': {
            market = event.market;
            const request = event.request;
            state.requested = request.quantity;
            state.ts = event.ts;
            io.stderr.write(
              `Executing ${request.side} ${request.quantity} ${request.symbol} with the ${event.strategy} strategy on the ${tranche.config.venue ?? 'paper'} venue` +
                `${source ? ` (market data: ${source.id}, ${source.symbols().join(', ')})` : ''}\n` +
                `  arrival mid ${event.arrivalPrice === null ? '-' : event.arrivalPrice.toFixed(decimalsOf(event.market.tickSize) + 1)} at ${new Date(event.ts).toISOString()}; tick ${event.market.tickSize}, step ${event.market.stepSize}, min notional ${event.market.minNotional} ${event.market.quote}\n`,
            );
            bar = new ProgressBar(io.stderr, `${request.side} ${request.symbol}`);
            bar.update(state, true);
            break;
          }
          default: {
            const step = foldProgress(state, event, seenFills);
            bar?.show(step, state);
            if (step === 'ended') subscription.unsubscribe();
          }
        }
      });
      // Market data moves the clock even when the order does nothing: keep the bar's time current.
      const ticker = cache.events$(typeof order === 'object' && order !== null && 'symbol' in order ? String((order as { symbol: unknown }).symbol) : '').subscribe((event) => {
        state.ts = event.ts;
        if (event.type === 'trade') state.lastPrice = event.price;
        bar?.update(state);
      });
      subscription.add(ticker);
    }
    const report = await manager.executeOrder(order);
    if (json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout.write(`${formatReport(report, market)}\n`);
    return report;
  } finally {
    await releaseSignals();
    unregister();
    await tranche.close();
  }
}
