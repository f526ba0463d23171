import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { ActiveVenue, MarketDataSource, TrancheError, Venue, VirtualClock, createTranche, definePlugin } from '@tranche/core';
import { ScriptedMarketDataSource } from '@tranche/testkit';
import { CapturingLogger } from '../test/emulator-harness.js';
import { FakeCcxtExchange } from '../test/fake-ccxt-exchange.js';
import ccxtVenuePlugin, { CcxtExchangeFactory, CcxtMarketDataSource, CcxtVenue, CcxtVenueConfig, CcxtVenueConfigSchema, applyUrlOverrides, createCcxtExchange, loadCredentials } from './index.js';

const fakeFactory = (exchange: FakeCcxtExchange) =>
  definePlugin({ name: 'fake-exchange', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(CcxtExchangeFactory).toConstantValue(() => exchange)) });

describe('venue-ccxt plugin', () => {
  it('declares its name, schema and config token', () => {
    expect(ccxtVenuePlugin.name).toBe('venue-ccxt');
    expect(ccxtVenuePlugin.configSchema).toBe(CcxtVenueConfigSchema);
    expect(ccxtVenuePlugin.configToken).toBe(CcxtVenueConfig);
  });

  it('binds CcxtVenue as the Venue (id ccxt) and CcxtMarketDataSource as the source; snake_case keys accepted', async () => {
    const exchange = new FakeCcxtExchange();
    const tranche = createTranche({
      config: { 'venue-ccxt': { poll_interval_ms: 250, symbols: ['BTC/USDT'], market_data: 'poll' } },
      plugins: [ccxtVenuePlugin, fakeFactory(exchange)],
      clock: new VirtualClock(0),
    });
    const venue = tranche.get<Venue>(Venue);
    expect(venue).toBeInstanceOf(CcxtVenue);
    expect(tranche.get<Venue>(ActiveVenue)).toBe(venue);
    expect(venue.id).toBe('ccxt');
    expect(tranche.get(MarketDataSource)).toBeInstanceOf(CcxtMarketDataSource);
    expect(tranche.get<CcxtVenueConfig>(CcxtVenueConfig)).toMatchObject({ pollIntervalMs: 250, marketData: 'poll', exchange: 'binance' });
    await tranche.manager.initialize();
    expect(exchange.count('loadMarkets')).toBe(1);
    await tranche.close();
  });

  it('keeps a market data source bound before it (a replay)', () => {
    const source = new ScriptedMarketDataSource([]);
    const replay = definePlugin({ name: 'replay-stub', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(MarketDataSource).toConstantValue(source)) });
    const tranche = createTranche({ plugins: [replay, ccxtVenuePlugin, fakeFactory(new FakeCcxtExchange())], clock: new VirtualClock(0) });
    expect(tranche.get(MarketDataSource)).toBe(source);
  });

  it('rejects unknown keys and secrets written into the config', () => {
    for (const section of [{ apiKey: 'x' }, { credentials: { apiKey: 'x', secret: 'y' } }, { market_data: 'ws' }]) {
      let error: unknown;
      try {
        createTranche({ config: { 'venue-ccxt': section }, plugins: [ccxtVenuePlugin] });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('validation');
    }
  });

  it('defaults: binance, env credentials TRANCHE_API_KEY / TRANCHE_API_SECRET, auto market data, limiter on', () => {
    expect(CcxtVenueConfigSchema.parse({})).toMatchObject({
      exchange: 'binance',
      sandbox: false,
      credentials: { env: { apiKey: 'TRANCHE_API_KEY', secret: 'TRANCHE_API_SECRET' } },
      marketData: 'auto',
      rateLimit: { enabled: true, backoffMs: 1_000, banBackoffMs: 60_000 },
    });
  });
});

describe('createCcxtExchange', () => {
  it('builds ccxt pro binance with spot-only markets, no quoteOrderQty, and every URL on the override host', async () => {
    const exchange = await createCcxtExchange({
      exchange: 'binance', sandbox: false, baseUrl: 'http://127.0.0.1:9999', wsUrl: 'ws://127.0.0.1:9998/stream/ws', timeoutMs: 1_234,
      rateLimit: { enabled: true }, options: { createOrder: { timeInForce: 'IOC' } }, credentials: { apiKey: 'k', secret: 's' },
    });
    expect(exchange.has['watchOrders']).toBe(true);
    expect(exchange.timeout).toBe(1_234);
    expect(exchange.options).toMatchObject({ fetchMarkets: { types: ['spot'] }, fetchMargins: false, fetchCurrencies: false, createOrder: { quoteOrderQty: false, timeInForce: 'IOC' } });
    const urls = JSON.stringify(exchange.urls?.['api']);
    expect(urls).not.toMatch(/binance\.com/);
    expect(urls).toContain('http://127.0.0.1:9999/api/v3');
    expect(urls).toContain('ws://127.0.0.1:9998/ws-api/v3');
    await exchange.close?.();
  });

  it('refuses an unknown exchange id as a validation error', async () => {
    const error = await createCcxtExchange({ exchange: 'nosuchexchange', sandbox: false, timeoutMs: 1, rateLimit: { enabled: true }, options: {}, credentials: {} }).catch((caught: unknown) => caught);
    expect((error as TrancheError).kind).toBe('validation');
  });

  it('applyUrlOverrides keeps paths and leaves other URLs alone', () => {
    const target = { urls: { api: { rest: 'https://a.example.com/v1/x', ws: { spot: 'wss://s.example.com:9443/ws' } }, www: 'https://www.example.com' } };
    applyUrlOverrides(target, 'http://127.0.0.1:1', 'ws://127.0.0.1:2');
    expect(target.urls).toEqual({ api: { rest: 'http://127.0.0.1:1/v1/x', ws: { spot: 'ws://127.0.0.1:2/ws' } }, www: 'https://www.example.com' });
  });
});

describe('loadCredentials', () => {
  it('reads a key file, warning when group or others can read it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'venue-ccxt-'));
    const file = join(directory, 'keys.json');
    await writeFile(file, JSON.stringify({ apiKey: 'file-key-123', secret: 'file-secret-456' }));
    await chmod(file, 0o644);
    const logger = new CapturingLogger();
    expect(await loadCredentials({ file }, logger)).toEqual({ apiKey: 'file-key-123', secret: 'file-secret-456' });
    expect(logger.lines.some((line) => line.includes('readable by group or others'))).toBe(true);
    await chmod(file, 0o600);
    const quiet = new CapturingLogger();
    await loadCredentials({ file }, quiet);
    expect(quiet.lines).toEqual([]);
    expect(logger.lines.join('\n')).not.toMatch(/file-key-123|file-secret-456/);
  });

  it('a missing or malformed key file is a validation error naming the path only', async () => {
    const error = await loadCredentials({ file: '/nonexistent/keys.json' }, new CapturingLogger()).catch((caught: unknown) => caught);
    expect((error as TrancheError).kind).toBe('validation');
    expect((error as TrancheError).message).toContain('/nonexistent/keys.json');
  });

  it('reads the environment variables the config names', async () => {
    expect(await loadCredentials({ env: { apiKey: 'K_VAR', secret: 'S_VAR', password: 'P_VAR' } }, new CapturingLogger(), { K_VAR: 'k1234', S_VAR: 's1234', P_VAR: 'p1234' })).toEqual({
      apiKey: 'k1234', secret: 's1234', password: 'p1234',
    });
  });
});
