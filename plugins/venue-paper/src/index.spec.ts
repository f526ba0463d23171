import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { ActiveVenue, MarketDataSource, TrancheError, Venue, VirtualClock, createTranche, definePlugin } from '@tranche/core';
import { ScriptedMarketDataSource } from '@tranche/testkit';
import paperVenuePlugin, { PaperVenue, PaperVenueConfig, PaperVenueConfigSchema } from './index.js';

describe('venue-paper plugin', () => {
  it('declares its name, schema and config token', () => {
    expect(paperVenuePlugin.name).toBe('venue-paper');
    expect(paperVenuePlugin.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(paperVenuePlugin.configSchema).toBe(PaperVenueConfigSchema);
    expect(paperVenuePlugin.configToken).toBe(PaperVenueConfig);
  });

  it('binds PaperVenue once, as the Venue, with its config section (snake_case accepted)', async () => {
    const clock = new VirtualClock(0);
    const tranche = createTranche({ config: { 'venue-paper': { latency_ms: 7, queue_model: 'pro-rata' } }, plugins: [paperVenuePlugin], clock });
    const venue = tranche.get<Venue>(Venue);
    expect(venue).toBeInstanceOf(PaperVenue);
    expect(tranche.get(PaperVenue)).toBe(venue);
    expect(tranche.get<Venue>(ActiveVenue)).toBe(venue);
    expect(venue.id).toBe('paper');
    expect(tranche.get<PaperVenueConfig>(PaperVenueConfig)).toMatchObject({ latencyMs: 7, queueModel: 'pro-rata' });
    await tranche.close();
  });

  it('rejects an unknown key of its section as a validation error naming it', () => {
    let error: unknown;
    try {
      createTranche({ config: { 'venue-paper': { latencyMillis: 7 } }, plugins: [paperVenuePlugin] });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).kind).toBe('validation');
    expect((error as TrancheError).message).toContain('latencyMillis');
  });

  it('follows the bound MarketDataSource from initialize() and speeds up once it ends', async () => {
    const clock = new VirtualClock(1_000);
    const source = new ScriptedMarketDataSource(['BTC/USDT'], clock);
    const sourcePlugin = definePlugin({
      name: 'scripted-source',
      version: '0.0.0',
      module: new ContainerModule(({ bind }) => {
        bind(MarketDataSource).toConstantValue(source);
      }),
    });
    const tranche = createTranche({ plugins: [sourcePlugin, paperVenuePlugin], clock });
    const venue = tranche.get(PaperVenue);
    await venue.initialize();
    await venue.initialize();
    source.emit({ type: 'book-snapshot', symbol: 'BTC/USDT', ts: 1_000, sequence: 1, bids: [[100, 1]], asks: [[101, 2]] });
    expect(venue.book('BTC/USDT')?.bestAsk()).toBe(101);
    source.end();
    const ack = await venue.placeOrder({ clientOrderId: 'a', parentId: 'p', symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.5, timeInForce: 'IOC' });
    expect(ack).toMatchObject({ status: 'filled', filledQuantity: 0.5, averagePrice: 101 });
    await venue.close();
  });
});
