import { inject, injectable } from 'inversify';
import { RISK_OK, type ChildOrder, type OrderRequest, type RiskCheck, type RiskContext, type RiskVerdict } from '@tranche/core';
import { RiskLimitsConfig } from './risk-limits-config.schema.js';

/** Length of the order-rate window. */
const RATE_WINDOW_MS = 1_000;

function breach(limit: string, reason: string): RiskVerdict {
  return { ok: false, limit, reason };
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(10)));
}

/**
 * The configurable pre-trade limits of `@tranche/risk-limits` as one `RiskCheck`:
 * per-symbol enable/disable, max order and parent notional, max position per base
 * asset, a price band around the reference price and a sliding-window order rate. A
 * limit that needs a price refuses the order when no price is known (fails closed).
 */
@injectable()
export class RiskLimitsCheck implements RiskCheck {
  /** Check id. */
  readonly id = 'risk-limits';
  private readonly disabled: ReadonlySet<string>;
  private readonly enabledOnly: ReadonlySet<string> | undefined;
  /** Times (clock ms) of the orders let through in the current window, oldest first. */
  private readonly sent: number[] = [];
  private sentHead = 0;

  constructor(@inject(RiskLimitsConfig) private readonly config: RiskLimitsConfig) {
    this.disabled = new Set(config.disabledSymbols);
    this.enabledOnly = config.enabledSymbols === undefined ? undefined : new Set(config.enabledSymbols);
  }

  /** Checks one child order about to be sent. */
  check(order: ChildOrder, context: RiskContext): RiskVerdict {
    const { config } = this;
    if (!config.enabled) return RISK_OK;
    const symbolVerdict = this.checkSymbol(order.symbol);
    if (!symbolVerdict.ok) return symbolVerdict;
    const price = order.price ?? context.referencePrice;
    if (config.maxOrderNotional !== undefined || config.maxParentNotional !== undefined) {
      if (price === null) return breach('max-order-notional', `no price for the notional of ${order.clientOrderId} (market order and no reference price for ${order.symbol})`);
      const notional = order.quantity * price;
      if (config.maxOrderNotional !== undefined && notional > config.maxOrderNotional) {
        return breach('max-order-notional', `order ${order.clientOrderId} notional ${round(notional)} (${order.quantity} × ${price}) exceeds max_order_notional ${config.maxOrderNotional}`);
      }
      if (config.maxParentNotional !== undefined && notional > config.maxParentNotional) {
        return breach('max-parent-notional', `order ${order.clientOrderId} notional ${round(notional)} exceeds max_parent_notional ${config.maxParentNotional}`);
      }
    }
    if (config.priceBandBps !== undefined && order.type === 'limit' && order.price !== undefined) {
      if (context.referencePrice === null) return breach('price-band', `no reference price for ${order.symbol} to check ${order.clientOrderId} @ ${order.price} against`);
      const deviationBps = (Math.abs(order.price - context.referencePrice) / context.referencePrice) * 10_000;
      if (deviationBps > config.priceBandBps) {
        return breach('price-band', `order ${order.clientOrderId} price ${order.price} is ${round(deviationBps)} bps from the reference ${round(context.referencePrice)} (price_band_bps ${config.priceBandBps})`);
      }
    }
    const positionVerdict = this.checkPosition(order.side, order.quantity, context, order.clientOrderId);
    if (!positionVerdict.ok) return positionVerdict;
    if (config.maxOrdersPerSecond !== undefined) {
      this.expire(context.now);
      const inWindow = this.sent.length - this.sentHead;
      if (inWindow >= config.maxOrdersPerSecond) {
        return breach('max-orders-per-second', `order ${order.clientOrderId} would be the ${inWindow + 1}th child order within ${RATE_WINDOW_MS} ms (max_orders_per_second ${config.maxOrdersPerSecond})`);
      }
    }
    return RISK_OK;
  }

  /** Checks a parent order before its execution starts. */
  checkParent(request: OrderRequest, context: RiskContext): RiskVerdict {
    const { config } = this;
    if (!config.enabled) return RISK_OK;
    const symbolVerdict = this.checkSymbol(request.symbol);
    if (!symbolVerdict.ok) return symbolVerdict;
    const label = request.id === undefined ? `parent order on ${request.symbol}` : `parent order ${request.id}`;
    if (config.maxParentNotional !== undefined) {
      const limitPrice = request.params?.['limitPrice'];
      const price = request.price ?? (typeof limitPrice === 'number' ? limitPrice : context.referencePrice);
      if (price === null) return breach('max-parent-notional', `no price for the notional of the ${label} (no limit price and no reference price)`);
      const notional = request.quantity * price;
      if (notional > config.maxParentNotional) {
        return breach('max-parent-notional', `${label} notional ${round(notional)} (${request.quantity} × ${price}) exceeds max_parent_notional ${config.maxParentNotional}`);
      }
    }
    return this.checkPosition(request.side, request.quantity, context, label);
  }

  /** Counts an order let through in the rate window. */
  onAccepted(_order: ChildOrder, context: RiskContext): void {
    if (this.config.maxOrdersPerSecond === undefined) return;
    this.sent.push(context.now);
  }

  private checkSymbol(symbol: string): RiskVerdict {
    if (this.disabled.has(symbol)) return breach('symbol-disabled', `${symbol} is in disabled_symbols`);
    if (this.enabledOnly && !this.enabledOnly.has(symbol)) return breach('symbol-disabled', `${symbol} is not in enabled_symbols (${[...this.enabledOnly].join(', ')})`);
    return RISK_OK;
  }

  private checkPosition(side: 'buy' | 'sell', quantity: number, context: RiskContext, label: string): RiskVerdict {
    const max = this.config.maxPosition[context.asset];
    if (max === undefined) return RISK_OK;
    const { filled, openBuy, openSell } = context.position;
    // The worst case on the order's side: everything working on that side fills, and so does this order.
    const projected = side === 'buy' ? filled + openBuy + quantity : filled - openSell - quantity;
    if (Math.abs(projected) > max * (1 + 1e-9)) {
      return breach('max-position', `${label} (${side} ${quantity}) would take the ${context.asset} position to ${round(projected)} (filled ${round(filled)}, working ${side === 'buy' ? `buy ${round(openBuy)}` : `sell ${round(openSell)}`}); max_position.${context.asset} is ${max}`);
    }
    return RISK_OK;
  }

  private expire(now: number): void {
    while (this.sentHead < this.sent.length && this.sent[this.sentHead]! <= now - RATE_WINDOW_MS) this.sentHead++;
    if (this.sentHead > 1024 && this.sentHead * 2 > this.sent.length) {
      this.sent.splice(0, this.sentHead);
      this.sentHead = 0;
    }
  }
}
