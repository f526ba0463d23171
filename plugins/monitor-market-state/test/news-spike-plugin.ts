import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { ContainerModule } from 'inversify';
import {
  MarketFeature,
  MarketStateClassifier,
  definePlugin,
  type MarketFeatures,
  type MarketStateClassification,
} from '@tranche/core';

/**
 * The `news-spike` config section: a burst of volume above this many base units per
 * minute (over the monitor's window) is a news spike.
 */
export const NewsSpikeConfigSchema = z.object({ minVolumePerMinute: z.number().positive().default(60) }).strict();
/** Parsed `news-spike` config. */
export type NewsSpikeConfig = z.infer<typeof NewsSpikeConfigSchema>;
/** Token of the parsed `news-spike` config. */
export const NewsSpikeConfig = Symbol.for('example.news-spike.config');

/**
 * A user's own classifier adding the state `news-spike`. It speaks only when it fires
 * (confidence 0.95); otherwise it returns confidence 0, which the monitor treats as
 * "nothing to say" and asks the next classifier (the default `regime`).
 */
@injectable()
export class NewsSpikeClassifier implements MarketStateClassifier {
  readonly id = 'news-spike';
  readonly states: readonly string[] = ['news-spike'];

  constructor(@inject(NewsSpikeConfig) private readonly config: NewsSpikeConfig) {}

  classify(features: MarketFeatures): MarketStateClassification {
    const volume = features[MarketFeature.volumePerMinute] ?? Number.NaN;
    return volume >= this.config.minVolumePerMinute
      ? { state: 'news-spike', confidence: 0.95, features: { ...features, newsSpikeVolumeRatio: volume / this.config.minVolumePerMinute } }
      : { state: 'normal', confidence: 0, features };
  }
}

/** The custom-state plugin, registered through DI like any classifier. */
export const newsSpikePlugin = definePlugin<NewsSpikeConfig>({
  name: 'news-spike',
  version: '0.0.0',
  configSchema: NewsSpikeConfigSchema,
  configToken: NewsSpikeConfig,
  module: new ContainerModule(({ bind }) => {
    bind(NewsSpikeClassifier).toSelf().inSingletonScope();
    bind(MarketStateClassifier).toService(NewsSpikeClassifier);
  }),
});

/** Stands in for `@tranche/market-state-regime` (plugins may not import each other): always `normal`. */
export const steadyRegimePlugin = definePlugin({
  name: 'steady-regime',
  version: '0.0.0',
  module: new ContainerModule(({ bind }) => {
    bind(MarketStateClassifier).toConstantValue({
      id: 'regime',
      states: ['normal', 'volatile', 'trending', 'illiquid', 'ranging'],
      classify: (features: MarketFeatures): MarketStateClassification => ({ state: 'normal', confidence: 0.6, features }),
    });
  }),
});
