import type { ExecutionContext } from '../contracts/execution-context.js';
import type { StrategyAction } from '../contracts/execution-strategy.js';
import type { ExecutionCompletion } from '../model/execution.schema.js';
import type { CompletionPolicy } from './algo-params.schema.js';
import type { ChildOrderTracker } from './child-order-tracker.js';
import { formatAlgoNumber } from './format-algo.js';
import { toFixedNumber } from '../util/to-fixed-number.js';

/** What `EndTimeCompletion` needs from the algorithm that owns it. */
export interface EndTimeCompletionOptions {
  readonly ctx: ExecutionContext<unknown>;
  readonly policy: CompletionPolicy;
  readonly children: ChildOrderTracker;
  /** Sends an action to the engine. */
  readonly emit: (action: StrategyAction) => void;
  /** Completes the algorithm's action stream. */
  readonly complete: () => void;
  /** Name of the algorithm in notes (`TWAP`). */
  readonly label: string;
}

/**
 * The end of an algorithm's window: cancel every working child, wait until none works,
 * then either sweep the remainder with one child order (a market IOC, or a limit IOC at
 * the limit price — never beyond it) or leave it unfilled (`best-effort`), and report
 * which happened (`ExecutionContext.reportCompletion`, the report's `completion`). If the
 * execution ends before the end time, `settle()` (from the teardown) reports `completed`
 * or `interrupted`.
 */
export class EndTimeCompletion {
  private started = false;
  private decided = false;

  constructor(private readonly options: EndTimeCompletionOptions) {}

  /** True once the end time came. */
  get active(): boolean {
    return this.started;
  }

  /** The end time came: cancel what works, then finish when nothing does. */
  begin(): void {
    if (this.started) return;
    this.started = true;
    const { ctx, label, policy } = this.options;
    const progress = ctx.progress();
    const remaining = Math.max(0, ctx.request.quantity - progress.filledQuantity);
    this.options.emit({
      kind: 'note',
      message: `${label} end time reached with ${formatAlgoNumber(remaining)} unfilled: ${policy === 'sweep' ? 'cancel working orders, then sweep the remainder' : 'cancel working orders and leave the remainder (best-effort)'}`,
      data: { remaining, completion: policy },
    });
    this.step();
  }

  /** Call on every child-order update after `begin()`. */
  onChildUpdate(): void {
    if (this.started && !this.decided) this.step();
  }

  /** From the teardown: reports `completed` or `interrupted` if the end time never decided anything. */
  settle(): void {
    if (this.decided) return;
    const { ctx } = this.options;
    const remaining = Math.max(0, ctx.request.quantity - ctx.progress().filledQuantity);
    this.report(remaining <= ctx.market.stepSize / 2 ? 'completed' : 'interrupted', remaining);
  }

  private step(): void {
    const { ctx, children, label, policy } = this.options;
    const progress = ctx.progress();
    const working = children.working(progress);
    if (working.length > 0) {
      for (const child of working) {
        const cancel = children.cancel(child.order.clientOrderId, `${label} end time reached`);
        if (cancel) this.options.emit(cancel);
      }
      return;
    }
    const remaining = Math.max(0, ctx.request.quantity - progress.filledQuantity);
    if (remaining <= ctx.market.stepSize / 2) {
      this.report('completed', 0);
      this.options.complete();
      return;
    }
    const quantity = ctx.roundQuantity(remaining);
    const book = ctx.book();
    const side = ctx.request.side;
    const touch = side === 'buy' ? book.bestAsk() : book.bestBid();
    const reference = ctx.limitPrice ?? touch;
    const tooSmall = quantity < ctx.market.minQuantity || quantity <= 0 || (Number.isFinite(reference) && quantity * reference < ctx.market.minNotional);
    if (policy === 'best-effort' || tooSmall) {
      const why = tooSmall && policy === 'sweep' ? `the remainder ${formatAlgoNumber(quantity)} is below the venue minimum, so it cannot be swept` : 'completion is best-effort';
      this.report('left-unfilled', remaining);
      this.options.emit({ kind: 'finish', status: 'expired', reason: `${label} end time reached: ${formatAlgoNumber(remaining)} left unfilled (${why})` });
      return;
    }
    const clientOrderId = ctx.nextClientOrderId();
    children.register(clientOrderId, 'sweep');
    this.report('swept', remaining);
    const limit = ctx.limitPrice;
    this.options.emit({
      kind: 'place',
      clientOrderId,
      type: limit === undefined ? 'market' : 'limit',
      quantity,
      timeInForce: 'IOC',
      ...(limit === undefined ? {} : { price: ctx.roundPrice(limit) }),
      reason:
        `${label} end time reached: sweep the remaining ${formatAlgoNumber(quantity)} (completion: sweep)` +
        (limit === undefined
          ? ` with a market order against the visible book (best ${side === 'buy' ? 'ask' : 'bid'} ${touch})`
          : ` with a limit IOC at the limit price ${limit} (best ${side === 'buy' ? 'ask' : 'bid'} ${touch}); whatever the book cannot fill within it stays unfilled`),
    });
    this.options.complete();
  }

  private report(outcome: ExecutionCompletion['outcome'], remainingQuantity: number): void {
    this.decided = true;
    const { ctx, policy } = this.options;
    ctx.reportCompletion?.({ policy, outcome, remainingQuantity: toFixedNumber(remainingQuantity, 12), ts: ctx.clock.now() });
  }
}
