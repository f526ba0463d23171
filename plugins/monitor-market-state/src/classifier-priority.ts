import { TrancheError, type MarketFeatures, type MarketStateClassification, type MarketStateClassifier, type MarketStateContext } from '@tranche/core';

/** The id of the default classifier, which goes last (the fallback) unless the config orders otherwise. */
export const DEFAULT_CLASSIFIER_ID = 'regime';

/** A combined verdict and the classifier it came from. */
export interface PrioritizedVerdict extends MarketStateClassification {
  /** Id of the classifier whose verdict won. */
  classifier: string;
}

/** Options of `ClassifierPriority`. */
export interface ClassifierPriorityOptions {
  /** Ids in priority order (empty: registration order, `regime` last). */
  order: readonly string[];
  /** Minimum confidence for a classifier before the last to win. */
  minConfidence: number;
  /** Per-classifier minimum confidence. */
  classifierMinConfidence?: Readonly<Record<string, number>>;
}

/**
 * Combines several classifiers by priority: each is asked in order, and the first
 * whose verdict reaches its minimum confidence wins; the last one is the fallback and
 * always counts. A specialist classifier (say, `news-spike`) put before `regime`
 * therefore overrides it exactly when it fires with enough confidence, and says
 * nothing (confidence below the minimum) otherwise.
 */
export class ClassifierPriority {
  /** The classifiers in priority order. */
  readonly ordered: readonly MarketStateClassifier[];
  private readonly minimums: number[];

  constructor(classifiers: readonly MarketStateClassifier[], options: ClassifierPriorityOptions) {
    const byId = new Map<string, MarketStateClassifier>();
    for (const classifier of classifiers) {
      if (byId.has(classifier.id)) throw new TrancheError('validation', `two market-state classifiers are registered as "${classifier.id}"`, { retryable: false });
      byId.set(classifier.id, classifier);
    }
    let ordered: MarketStateClassifier[];
    if (options.order.length > 0) {
      ordered = options.order.map((id) => {
        const classifier = byId.get(id);
        if (!classifier) {
          throw new TrancheError('validation', `invalid config: monitor-market-state.classifiers names "${id}", which is not installed (installed: ${[...byId.keys()].join(', ') || 'none'})`, {
            field: 'monitor-market-state.classifiers',
            retryable: false,
          });
        }
        return classifier;
      });
    } else {
      ordered = [...classifiers.filter((classifier) => classifier.id !== DEFAULT_CLASSIFIER_ID), ...classifiers.filter((classifier) => classifier.id === DEFAULT_CLASSIFIER_ID)];
    }
    this.ordered = ordered;
    this.minimums = ordered.map((classifier) => options.classifierMinConfidence?.[classifier.id] ?? options.minConfidence);
  }

  /** Every state the classifiers can emit, without duplicates. */
  states(): string[] {
    return [...new Set(this.ordered.flatMap((classifier) => [...classifier.states]))];
  }

  /** The combined verdict; `undefined` when no classifier is installed. */
  classify(features: MarketFeatures, context: MarketStateContext): PrioritizedVerdict | undefined {
    for (let index = 0; index < this.ordered.length; index++) {
      const classifier = this.ordered[index]!;
      const verdict = classifier.classify(features, context);
      if (index === this.ordered.length - 1 || verdict.confidence >= this.minimums[index]!) return { ...verdict, classifier: classifier.id };
    }
    return undefined;
  }
}
