/**
 * Documented priors: the expected cost (bps of the arrival price, fees included, lower
 * is better) of each seed strategy in each seed market state, used until a state has
 * `min_samples` recorded executions and as the anchor the recorded objective is shrunk
 * towards after that. A state without a row (one a user's classifier added) uses the
 * `normal` row. The reasoning per state:
 *
 * | state    | market | limit | twap | vwap | iceberg | adaptive | why |
 * |----------|-------:|------:|-----:|-----:|--------:|---------:|-----|
 * | normal   | 12 | 9  | 7  | 6  | 8  | 7  | volume-following slicing is the cheap default (the seed's `default_strategy` is vwap) |
 * | volatile | 15 | 20 | 12 | 13 | 17 | 10 | waiting is risky and resting orders get run over: react (adaptive) or finish on a schedule |
 * | trending | 12 | 18 | 12 | 11 | 15 | 9  | the price drifts away: front-load and react; passive orders chase the trend |
 * | illiquid | 30 | 14 | 16 | 13 | 12 | 15 | crossing a thin book is dear: passive with caps (iceberg, vwap) |
 * | ranging  | 12 | 5  | 7  | 7  | 6  | 7  | mean reversion pays the patient: rest at the touch and earn the spread |
 */
export const STRATEGY_PRIORS_BPS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  normal: { market: 12, limit: 9, twap: 7, vwap: 6, iceberg: 8, adaptive: 7 },
  volatile: { market: 15, limit: 20, twap: 12, vwap: 13, iceberg: 17, adaptive: 10 },
  trending: { market: 12, limit: 18, twap: 12, vwap: 11, iceberg: 15, adaptive: 9 },
  illiquid: { market: 30, limit: 14, twap: 16, vwap: 13, iceberg: 12, adaptive: 15 },
  ranging: { market: 12, limit: 5, twap: 7, vwap: 7, iceberg: 6, adaptive: 7 },
};

/** The state whose priors a state uses: itself when documented, otherwise `normal`. */
export function priorStateOf(marketState: string): string {
  return Object.hasOwn(STRATEGY_PRIORS_BPS, marketState) ? marketState : 'normal';
}

/**
 * The prior expected cost of `strategy` in `marketState` (bps). A strategy without a
 * documented prior (a user's own) gets the mean of the state's documented priors.
 */
export function strategyPriorBps(marketState: string, strategy: string): number {
  const row = STRATEGY_PRIORS_BPS[priorStateOf(marketState)]!;
  const known = row[strategy];
  if (known !== undefined) return known;
  const values = Object.values(row);
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
