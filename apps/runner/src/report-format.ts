import type { ExecutionReport, MarketInfo } from '@tranche/core';

/** Renders an execution report as readable text for a terminal. */
export function formatReport(report: ExecutionReport, market?: MarketInfo, maxRows = 12): string {
  const base = market?.base ?? report.symbol.split('/')[0] ?? '';
  const quote = market?.quote ?? report.feeCurrency;
  const lines: string[] = [];
  const fillRate = report.requestedQuantity > 0 ? (report.filledQuantity / report.requestedQuantity) * 100 : 0;
  const durationMs = report.endedAt - report.startedAt;
  lines.push('');
  lines.push(`Execution ${report.id}: ${report.side} ${report.requestedQuantity} ${report.symbol} (${report.type}${report.type === report.strategy ? '' : ` → ${report.strategy}`})`);
  lines.push(`  status          ${report.status.toUpperCase()}: ${report.endReason}`);
  if (report.selection) lines.push(`  chosen by       the optimizer (${report.selection.explanation.rule}): ${report.selection.explanation.decidedBy}`);
  lines.push(`  filled          ${num(report.filledQuantity)} ${base} of ${num(report.requestedQuantity)} (${fillRate.toFixed(1)}%)`);
  lines.push(`  average price   ${report.filledQuantity > 0 ? `${num(report.averagePrice, 4)} ${quote}` : '-'}`);
  lines.push(`  arrival mid     ${report.arrivalPrice === null ? '-' : `${num(report.arrivalPrice, 4)} ${quote}`}`);
  lines.push(
    `  slippage        ${report.slippageBps === null ? '-' : `${report.slippageBps >= 0 ? '+' : ''}${report.slippageBps.toFixed(2)} bps (${report.slippageBps > 0 ? 'worse' : report.slippageBps < 0 ? 'better' : 'same'} than arrival)`}`,
  );
  if (report.marketVwap !== undefined && report.marketVwap !== null) {
    const vs = report.vwapSlippageBps;
    lines.push(
      `  market VWAP     ${num(report.marketVwap, 4)} ${quote} over the execution (${num(report.marketVolume ?? 0, 4)} ${base} traded)${vs === null || vs === undefined ? '' : `; slippage vs VWAP ${vs >= 0 ? '+' : ''}${vs.toFixed(2)} bps`}`,
    );
    if (report.marketVolume && report.marketVolume > 0) {
      lines.push(`  participation   ${((report.filledQuantity / report.marketVolume) * 100).toFixed(2)}% of market volume`);
    }
  }
  lines.push(`  notional        ${num(report.notional, 2)} ${quote}`);
  lines.push(`  fees            ${num(report.fees, 6)} ${report.feeCurrency}${report.notional > 0 ? ` (${((report.fees / report.notional) * 10_000).toFixed(2)} bps)` : ''}`);
  lines.push(`  time            ${iso(report.startedAt)} → ${iso(report.endedAt)} (${formatDuration(durationMs)})`);
  if (report.completion) {
    const { policy, outcome, remainingQuantity } = report.completion;
    lines.push(`  at the end time ${outcome}${remainingQuantity > 0 ? ` (${num(remainingQuantity)} ${base} remaining)` : ''}; policy ${policy}`);
  }
  if (report.schedule && report.schedule.length > 1) {
    lines.push('');
    lines.push(`  Schedule vs fills (${report.schedule.length} points)`);
    lines.push(scheduleTable(report.schedule, report.requestedQuantity, maxRows));
  }
  lines.push('');
  lines.push(`  Child orders (${report.childOrders.length})`);
  lines.push(table(
    ['client id', 'type', 'tif', 'price', 'quantity', 'filled', 'avg price', 'status'],
    report.childOrders.slice(0, maxRows).map((child) => [
      child.clientOrderId,
      child.type,
      child.timeInForce,
      child.price === undefined ? '-' : num(child.price, 4),
      num(child.quantity),
      num(child.filledQuantity),
      child.filledQuantity > 0 ? num(child.averagePrice, 4) : '-',
      child.status + (child.reason ? ` (${child.reason})` : ''),
    ]),
  ));
  if (report.childOrders.length > maxRows) lines.push(`    … and ${report.childOrders.length - maxRows} more`);
  lines.push('');
  const makerShare = report.fills.filter((fill) => fill.liquidity === 'maker').reduce((sum, fill) => sum + fill.quantity, 0);
  lines.push(`  Fills (${report.fills.length}${report.filledQuantity > 0 ? `, ${((makerShare / report.filledQuantity) * 100).toFixed(0)}% maker` : ''})`);
  lines.push(table(
    ['time', 'order', 'price', 'quantity', 'fee', 'liquidity'],
    report.fills.slice(0, maxRows).map((fill) => [iso(fill.ts).slice(11, 23), fill.clientOrderId, num(fill.price, 4), num(fill.quantity), num(fill.fee, 6), fill.liquidity]),
  ));
  if (report.fills.length > maxRows) lines.push(`    … and ${report.fills.length - maxRows} more`);
  if (report.errors.length > 0) {
    lines.push('');
    lines.push(`  Errors (${report.errors.length})`);
    for (const error of report.errors.slice(0, maxRows)) lines.push(`    ${error.kind}: ${error.message}`);
  }
  return lines.join('\n');
}

/** A compact schedule-versus-fills table: at most `maxRows` evenly spaced points. */
function scheduleTable(schedule: NonNullable<ExecutionReport['schedule']>, requested: number, maxRows: number): string {
  const step = Math.max(1, Math.ceil(schedule.length / maxRows));
  const points = schedule.filter((_, index) => index % step === 0 || index === schedule.length - 1);
  return table(
    ['time', 'scheduled', 'filled', 'behind', 'progress'],
    points.map((point) => {
      const width = 20;
      const filled = Math.round((point.filledQuantity / requested) * width);
      const scheduled = Math.round((point.scheduledQuantity / requested) * width);
      let bar = '';
      for (let cell = 0; cell < width; cell++) bar += cell < filled ? '█' : cell < scheduled ? '▒' : '·';
      return [iso(point.ts).slice(11, 19), num(point.scheduledQuantity), num(point.filledQuantity), num(Math.max(0, point.scheduledQuantity - point.filledQuantity)), bar];
    }),
  );
}

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '    (none)';
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const render = (row: string[]): string => `    ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd();
  return [render(headers), render(widths.map((width) => '-'.repeat(width))), ...rows.map(render)].join('\n');
}

function num(value: number, decimals = 8): string {
  return Number(value.toFixed(decimals)).toString();
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}
