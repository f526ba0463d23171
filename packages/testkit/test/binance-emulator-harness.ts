import * as ccxt from 'ccxt';
import { ccxtBinanceConfig, startBinanceEmulator, type BinanceEmulator, type BinanceEmulatorOptions } from '../src/index.js';

export const API_KEY = 'emulator-test-key';
export const API_SECRET = 'emulator-test-secret';

/** An emulator and a ccxt pro binance pointed at it, closed together. */
export interface EmulatorHarness {
  emulator: BinanceEmulator;
  exchange: InstanceType<typeof ccxt.pro.binance>;
  close(): Promise<void>;
}

export async function startHarness(options: Partial<BinanceEmulatorOptions> = {}, secret = API_SECRET): Promise<EmulatorHarness> {
  const emulator = await startBinanceEmulator({ apiKey: API_KEY, apiSecret: API_SECRET, ...options });
  const exchange = new ccxt.pro.binance(ccxtBinanceConfig(emulator, { apiKey: API_KEY, secret }));
  exchange.timeout = 1_000;
  await exchange.loadHttpProxyAgent();
  return {
    emulator,
    exchange,
    close: async () => {
      await exchange.close();
      await emulator.close();
    },
  };
}

/** The class name of what a promise rejects with (and the error, to check `instanceof`). */
export async function rejection(promise: Promise<unknown>): Promise<{ name: string; error: Error }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).constructor.name, error: error as Error };
  }
  throw new Error('expected a rejection');
}
