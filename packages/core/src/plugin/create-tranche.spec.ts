import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Clock } from '../contracts/clock.js';
import { TrancheError } from '../errors/tranche-error.js';
import { RunLoop } from '../time/run-loop.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { parseConfigText } from './config-file.js';
import { createTranche, parseTrancheConfig } from './create-tranche.js';
import { definePlugin, pluginConfigToken } from './define-plugin.js';

const seedConfig = {
  default_strategy: 'vwap',
  max_retries: 3,
  strategy_optimizer: { strategies: ['twap', 'vwap', 'market', 'limit', 'iceberg', 'adaptive'], optimization_interval: 24, min_samples: 10 },
  asset_cache: { cache_ttl: 60, refresh_interval: 5, default_symbols: ['BTC/USDT', 'ETH/USDT'] },
};

const examplePlugin = definePlugin({
  name: 'example-plugin',
  version: '1.0.0',
  configSchema: z.object({ depthLevels: z.number().int().positive().default(20) }).strict(),
  module: new ContainerModule(() => undefined),
});

function errorOf(run: () => unknown): TrancheError {
  try {
    run();
  } catch (error) {
    return error as TrancheError;
  }
  throw new Error('expected an error');
}

describe('config', () => {
  it("accepts the seed's snake_case config", () => {
    const { config } = parseTrancheConfig(seedConfig, []);
    expect(config.defaultStrategy).toBe('vwap');
    expect(config.strategyOptimizer.minSamples).toBe(10);
    expect(config.assetCache.defaultSymbols).toEqual(['BTC/USDT', 'ETH/USDT']);
  });

  it('accepts camelCase and fills defaults', () => {
    const { config } = parseTrancheConfig({ maxRetries: 5 }, []);
    expect(config.maxRetries).toBe(5);
    expect(config.defaultStrategy).toBe('market');
    expect(config.assetCache.cacheTtl).toBe(60);
  });

  it('rejects unknown keys, naming them as written', () => {
    expect(errorOf(() => parseTrancheConfig({ max_retires: 3 }, [])).message).toBe('invalid config: unknown key "max_retires"');
    expect(errorOf(() => parseTrancheConfig({ asset_cache: { cache_tll: 1 } }, [])).message).toBe('invalid config: unknown key "asset_cache.cache_tll"');
  });

  it('names the field and value of a wrong value', () => {
    const error = errorOf(() => parseTrancheConfig({ strategy_optimizer: { min_samples: -1 } }, []));
    expect(error.kind).toBe('validation');
    expect(error.message).toMatch(/strategy_optimizer\.min_samples .*got -1/);
    expect(errorOf(() => parseTrancheConfig({ max_retries: 'three' }, [])).message).toMatch(/max_retries must be a number, got "three"/);
  });

  it('rejects a key given in both spellings', () => {
    expect(errorOf(() => parseTrancheConfig({ max_retries: 1, maxRetries: 2 }, [])).message).toMatch(/given twice/);
  });

  it("validates and binds each plugin's section", () => {
    const { pluginConfig } = parseTrancheConfig({ 'example-plugin': { depth_levels: 5 } }, [examplePlugin as never]);
    expect(pluginConfig['example-plugin']).toEqual({ depthLevels: 5 });
    expect(errorOf(() => parseTrancheConfig({ 'example-plugin': { depth: 5 } }, [examplePlugin as never])).message).toBe(
      'invalid config: unknown key "example-plugin.depth"',
    );
    expect(parseTrancheConfig({}, [examplePlugin as never]).pluginConfig['example-plugin']).toEqual({ depthLevels: 20 });
  });

  it('parses JSON and YAML, with one clear error for malformed text', () => {
    expect(parseConfigText('max_retries: 2\n', 'a.yaml')).toEqual({ max_retries: 2 });
    expect(parseConfigText('{"max_retries": 2}', 'a.json')).toEqual({ max_retries: 2 });
    expect(errorOf(() => parseConfigText('{"max_retries": ', 'a.json')).message).toMatch(/^invalid config file "a.json": malformed JSON/);
  });
});

describe('createTranche', () => {
  it('binds plugin config, a live clock by default, and one RunLoop', () => {
    const tranche = createTranche({ config: {}, plugins: [examplePlugin as never] });
    expect(tranche.container.get(pluginConfigToken('example-plugin'))).toEqual({ depthLevels: 20 });
    expect(tranche.get<Clock>(Clock).virtual).toBe(false);
    expect(tranche.get(RunLoop)).toBe(tranche.get(RunLoop));
  });

  it('uses the clock it is given', () => {
    const clock = new VirtualClock(42);
    const tranche = createTranche({ plugins: [], clock });
    expect(tranche.get<Clock>(Clock).now()).toBe(42);
  });

  it('needs a venue to run orders, and says so', async () => {
    const tranche = createTranche({ plugins: [] });
    expect(() => tranche.manager).toThrow(/no venue plugin is installed/);
  });
});
