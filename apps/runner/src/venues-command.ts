import type { Command } from 'commander';
import { ActiveVenue, decimalsOf, type MarketInfo, type Venue } from '@tranche/core';
import { VENUE_PLUGINS, composeRunner, type CcxtOverrides } from './compose.js';
import type { RunnerIo } from './run-execution.js';
import { StderrLogger } from './stderr-logger.js';

/** Options of `runMarkets`. */
export interface MarketsCommandOptions {
  venue?: string;
  ccxt?: CcxtOverrides;
  configFile?: string;
  /** Only this symbol (default: every market of the venue). */
  symbol?: string;
  json: boolean;
  io: RunnerIo;
  verbose?: boolean;
}

/**
 * Prints the trading rules of a venue's markets (tick, step, minimums, fees): one symbol,
 * or all of them. Loads the venue's markets only (no market data, no orders).
 */
export async function runMarkets(options: MarketsCommandOptions): Promise<MarketInfo[]> {
  const tranche = await composeRunner({
    logger: new StderrLogger(options.verbose ? 'debug' : 'warn'),
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    ...(options.venue === undefined ? {} : { venue: options.venue }),
    ...(options.ccxt === undefined ? {} : { ccxt: options.ccxt }),
  });
  const venue = tranche.get<Venue>(ActiveVenue);
  try {
    await venue.initialize();
    const markets = options.symbol === undefined ? await venue.markets() : [await venue.market(options.symbol)];
    if (options.json) options.io.stdout.write(`${JSON.stringify(options.symbol === undefined ? markets : markets[0], null, 2)}\n`);
    else options.io.stdout.write(`${formatMarkets(venue.id, markets)}\n`);
    return markets;
  } finally {
    await venue.close();
    await tranche.close();
  }
}

/** Markets as a table. */
export function formatMarkets(venueId: string, markets: readonly MarketInfo[]): string {
  const headers = ['symbol', 'tick', 'step', 'min qty', 'max qty', 'min notional', 'maker bps', 'taker bps'];
  const number = (value: number | undefined, increment?: number): string => (value === undefined ? '-' : increment === undefined ? String(value) : value.toFixed(decimalsOf(increment)));
  const rows = markets.map((market) => [
    market.symbol,
    String(market.tickSize),
    String(market.stepSize),
    number(market.minQuantity, market.stepSize),
    number(market.maxQuantity),
    `${market.minNotional} ${market.quote}`,
    String(market.makerFeeBps),
    String(market.takerFeeBps),
  ]);
  const widths = headers.map((header, index) => Math.max(header.length, ...rows.map((row) => row[index]!.length)));
  const render = (cells: string[]): string => `  ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ')}`;
  return [`Markets of the ${venueId} venue (${markets.length}):`, render(headers), ...rows.map(render)].join('\n');
}

/** Registers `tranche venues` and `tranche markets` on the CLI. */
export function registerVenueCommands(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  program
    .command('venues')
    .description('list the venue plugins the runner can trade on (--venue <id>)')
    .action(() => {
      for (const [id, plugin] of Object.entries(VENUE_PLUGINS)) io.stdout.write(`${id.padEnd(8)} ${plugin.name.padEnd(14)} ${plugin.version.padEnd(8)} ${plugin.description ?? ''}\n`);
    });

  program
    .command('markets')
    .description("print a venue's market rules: tick, step, minimums, fees")
    .option('--venue <id>', `venue: ${Object.keys(VENUE_PLUGINS).join(' | ')} (default paper)`)
    .option('--exchange <id>', 'ccxt exchange id (venue ccxt)')
    .option('--base-url <url>', 'REST base URL of the exchange (venue ccxt: proxies, testnets, local emulators)')
    .option('--ws-url <url>', 'websocket base URL of the exchange (venue ccxt)')
    .option('--symbol <symbol>', 'only this market')
    .option('--config <file>', 'config file (JSON or YAML)')
    .option('--json', 'print the MarketInfo as JSON')
    .option('--verbose', 'debug logs and stack traces')
    .action(async (flags: { venue?: string; exchange?: string; baseUrl?: string; wsUrl?: string; symbol?: string; config?: string; json?: boolean; verbose?: boolean }) => {
      setVerbose(flags.verbose ?? false);
      await runMarkets({
        json: flags.json ?? false,
        io,
        verbose: flags.verbose ?? false,
        ccxt: { exchange: flags.exchange, baseUrl: flags.baseUrl, wsUrl: flags.wsUrl },
        ...(flags.venue === undefined ? {} : { venue: flags.venue }),
        ...(flags.symbol === undefined ? {} : { symbol: flags.symbol }),
        ...(flags.config === undefined ? {} : { configFile: flags.config }),
      });
    });
}
