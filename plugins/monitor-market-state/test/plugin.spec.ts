import { describe, expect, it } from 'vitest';
import { MarketStateProvider, TrancheError, VirtualClock, createTranche } from '@tranche/core';
import monitorMarketState, { MarketStateMonitor, MarketStateMonitorConfigSchema } from '../src/index.js';
import { newsSpikePlugin, steadyRegimePlugin } from './news-spike-plugin.js';

describe('monitor-market-state plugin', () => {
  it('binds the monitor as the MarketStateProvider, configured from its section (snake_case accepted)', () => {
    const tranche = createTranche({
      plugins: [monitorMarketState, steadyRegimePlugin, newsSpikePlugin],
      clock: new VirtualClock(0),
      config: { 'monitor-market-state': { window_minutes: 60, hysteresis: { confirm_evaluations: 3 }, classifiers: ['news-spike', 'regime'] } },
    });
    const monitor = tranche.get<MarketStateMonitor>(MarketStateProvider);
    expect(monitor).toBeInstanceOf(MarketStateMonitor);
    expect(monitor).toBe(tranche.get(MarketStateMonitor));
    expect(monitor.classifierIds()).toEqual(['news-spike', 'regime']);
    expect(tranche.pluginConfig['monitor-market-state']).toMatchObject({ windowMinutes: 60, hysteresis: { confirmEvaluations: 3, confidenceMargin: 0.3 } });
  });

  it('rejects unknown keys with a validation error', () => {
    expect(() => createTranche({ plugins: [monitorMarketState], config: { 'monitor-market-state': { window: 5 } } })).toThrow(TrancheError);
  });

  it('defaults every key', () => {
    expect(MarketStateMonitorConfigSchema.parse({})).toEqual({
      windowMinutes: 1440,
      barSeconds: 60,
      evaluateEverySeconds: 0,
      baselineDays: 30,
      depthBandBps: 10,
      hysteresis: { confirmEvaluations: 5, confidenceMargin: 0.3 },
      classifiers: [],
      minConfidence: 0.5,
      classifierMinConfidence: {},
      historyLimit: 1000,
      publish: 'changes',
      symbols: [],
    });
  });
});
