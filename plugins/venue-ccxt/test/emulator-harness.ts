import { LiveClock, MemoryLogger, type Clock, type Logger } from '@tranche/core';
import { startBinanceEmulator, type BinanceEmulator, type BinanceEmulatorOptions } from '@tranche/testkit';
import { CcxtConnection, CcxtVenue, CcxtVenueConfigSchema, type CcxtVenueConfigInput } from '../src/index.js';

/** Credentials of the emulator account: long and distinctive, so a leak is easy to grep for. */
export const TEST_API_KEY = 'tk-API-KEY-5f0c1d2e3a4b5c6d7e8f9a0b';
/** The emulator account's secret. */
export const TEST_API_SECRET = 'ts-SECRET-9a8b7c6d5e4f3a2b1c0d9e8f';
/** Environment variables the tests load the credentials from. */
export const KEY_VARIABLE = 'VENUE_CCXT_TEST_API_KEY';
/** Environment variable of the secret. */
export const SECRET_VARIABLE = 'VENUE_CCXT_TEST_API_SECRET';

/** The core's MemoryLogger, with every line (and its fields) as text, for grepping. */
export class CapturingLogger extends MemoryLogger {
  /** Each record as `level message {fields}`. */
  get lines(): string[] {
    return this.records.map((record) => `${record.level} ${record.message} ${JSON.stringify(record.fields)}`);
  }
}

/** Starts an emulator with the test credentials and sets the environment variables the venue reads. */
export async function startEmulator(options: Partial<BinanceEmulatorOptions> = {}): Promise<BinanceEmulator> {
  process.env[KEY_VARIABLE] = TEST_API_KEY;
  process.env[SECRET_VARIABLE] = TEST_API_SECRET;
  return startBinanceEmulator({ apiKey: TEST_API_KEY, apiSecret: TEST_API_SECRET, ...options });
}

/** The `venue-ccxt` config section that points at an emulator. */
export function emulatorConfig(emulator: BinanceEmulator, overrides: CcxtVenueConfigInput = {}): CcxtVenueConfigInput {
  return {
    exchange: 'binance',
    baseUrl: emulator.restUrl,
    wsUrl: emulator.wsUrl,
    credentials: { env: { apiKey: KEY_VARIABLE, secret: SECRET_VARIABLE } },
    pollIntervalMs: 100,
    timeoutMs: 1_000,
    reconnectDelayMs: 50,
    symbols: ['BTC/USDT'],
    // A short receive window keeps the wait before the look-up of a lost submit short.
    options: { recvWindow: 1_200 },
    ...overrides,
  };
}

/** A ccxt venue on an emulator, without a container. */
export function venueOn(emulator: BinanceEmulator, logger: Logger, overrides: CcxtVenueConfigInput = {}, clock: Clock = new LiveClock()): CcxtVenue {
  const config = CcxtVenueConfigSchema.parse(emulatorConfig(emulator, overrides));
  return new CcxtVenue(new CcxtConnection(config, clock, logger));
}

/** Waits `ms` of wall time (the emulator and ccxt run on real sockets). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition` holds, up to `timeoutMs` of wall time. */
export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs && !condition(); waited += 20) await pause(20);
  return condition();
}
