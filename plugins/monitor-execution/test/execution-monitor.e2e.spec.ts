import { describe, expect, it } from 'vitest';
import { TestBench, testStrategies } from '@tranche/testkit';
import type { ExecutionAlert, ExecutionEventOf } from '@tranche/core';
import monitorExecutionPlugin, { ExecutionMonitor, type ExecutionProgress } from '../src/index.js';

async function bench(config: unknown = {}) {
  const created = await TestBench.create({ plugins: [testStrategies(), monitorExecutionPlugin], config });
  return { bench: created, monitor: created.tranche.get(ExecutionMonitor) };
}

const alertEvents = (testBench: TestBench) => testBench.events.filter((event): event is ExecutionEventOf<'alert'> => event.type === 'alert');

describe('ExecutionMonitor in the engine (synthetic market)', () => {
  it('follows a paced execution on schedule: fills, working orders, time left; no alert; a terminal view at the end', async () => {
    const { bench: testBench, monitor } = await bench();
    const views: ExecutionProgress[] = [];
    let midRun: Record<string, unknown> | undefined;
    monitor.progress$('p1').subscribe((view) => {
      views.push(view);
      if (!midRun && view.asOf - view.startedAt >= 30_000) midRun = monitor.snapshot();
    });
    const report = await testBench.execute({ id: 'p1', symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity: 1, params: { durationMs: 60_000, slices: 6, style: 'marketable' } });
    expect(report.status).toBe('filled');
    const last = views.at(-1)!;
    expect(last).toMatchObject({ status: 'filled', filledRatio: 1, remainingQuantity: 0, workingOrders: 0, endTime: report.startedAt + 60_000, endTimeSource: 'params', activeAlerts: [] });
    expect(views.length).toBeGreaterThan(50);
    // Checks every second of data time keep the time left current.
    const timeLefts = views.filter((view) => view.status === 'working').map((view) => view.timeLeftMs!);
    expect(timeLefts[0]).toBe(60_000);
    expect(Math.min(...timeLefts)).toBeLessThan(15_000);
    expect(views.some((view) => view.workingOrders > 0)).toBe(true);
    // The schedule steps by a sixth; the deviation is filled − scheduled, never ahead by more than a slice.
    expect(new Set(views.map((view) => view.scheduledQuantity)).size).toBe(7);
    for (const view of views) {
      if (view.scheduledQuantity !== null) expect(view.scheduleDeviation).toBeCloseTo(view.filledQuantity - view.scheduledQuantity, 12);
      expect(view.scheduleDeviationRatio ?? 0).toBeLessThanOrEqual(1e-9);
    }
    expect(alertEvents(testBench)).toEqual([]);
    expect(midRun!['executions_active']).toMatchObject({ value: 1 });
    expect(midRun!['execution_time_left_ms{execution="p1",strategy="paced"}']).toMatchObject({ kind: 'gauge' });
    expect(monitor.snapshot()).toMatchObject({
      executions_active: { value: 0 },
      executions_started_total: { value: 1 },
      'executions_ended_total{status="filled"}': { value: 1 },
      'execution_alerts_total{kind="stalled"}': { value: 0 },
    });
    // Ended executions stay readable, and a late subscriber gets the terminal view.
    expect(monitor.progress('p1')).toEqual(last);
    const late: ExecutionProgress[] = [];
    monitor.progress$('p1').subscribe((view) => late.push(view));
    expect(late).toEqual([last]);
    expect(monitor.activeIds()).toEqual([]);
    await testBench.close();
  });

  it('raises deadline-at-risk while passive slices fall behind and clears it once marketable ones catch up', async () => {
    const { bench: testBench, monitor } = await bench();
    const views: ExecutionProgress[] = [];
    monitor.progress$('p2').subscribe((view) => views.push(view));
    const report = await testBench.execute({ id: 'p2', symbol: 'BTC/USDT', side: 'buy', type: 'paced', quantity: 1, params: { durationMs: 60_000, slices: 6 } });
    expect(report.status).toBe('filled');
    const alerts = alertEvents(testBench);
    expect(alerts.map((alert) => alert.kind)).toEqual(['deadline-at-risk']);
    const raisedAt = alerts[0]!.ts - report.startedAt;
    const flagged = views.filter((view) => view.activeAlerts.includes('deadline-at-risk'));
    expect(flagged.length).toBeGreaterThan(0);
    // Behind the schedule when raised, and cleared before the end.
    expect(flagged[0]!.scheduleDeviation!).toBeLessThan(0);
    const clearedAt = views.find((view) => view.asOf > flagged.at(-1)!.asOf)!.asOf - report.startedAt;
    expect(clearedAt).toBeGreaterThan(raisedAt);
    expect(views.at(-1)!.activeAlerts).toEqual([]);
    await testBench.close();
  });

  it('raises deadline-at-risk then stalled for an order that rests far from the market, once each, as engine events', async () => {
    const { bench: testBench, monitor } = await bench();
    const alerts: ExecutionAlert[] = [];
    monitor.alerts$.subscribe((alert) => alerts.push(alert));
    const report = await testBench.execute(
      { id: 's1', symbol: 'BTC/USDT', side: 'buy', type: 'resting', quantity: 1, params: { durationMs: 120_000 } },
      { cancelAfterMs: 90_000 },
    );
    expect(report.status).toBe('cancelled');
    const start = report.startedAt;
    expect(alerts.map((alert) => [alert.kind, alert.severity, alert.ts - start])).toEqual([
      // Nothing filled: never at this rate, judged from 10 s on (checks every second).
      ['deadline-at-risk', 'warning', 10_000],
      // The order was acknowledged at the start; nothing happened for 60 s.
      ['stalled', 'warning', 60_000],
    ]);
    expect(alerts[0]!.data).toMatchObject({ endTime: start + 120_000, projectedCompletionAt: null, remainingQuantity: 1, recentFillRate: 0, pastEnd: false });
    expect(alerts[1]!.data).toMatchObject({ idleMs: 60_000, workingOrders: 1, filledQuantity: 0 });
    expect(alerts.every((alert) => alert.source === 'monitor-execution' && alert.executionId === 's1')).toBe(true);
    // The same alerts went through the engine: on events$, to every collector.
    expect(alertEvents(testBench)).toEqual(alerts);
    expect(monitor.snapshot()).toMatchObject({ 'execution_alerts_total{kind="stalled"}': { value: 1 }, 'execution_alerts_total{kind="deadline-at-risk"}': { value: 1 } });
    expect(testBench.logger.records.filter((line) => line.level === 'info' && line.message.startsWith('execution stalled'))).toHaveLength(1);
    await testBench.close();
  });

  it('raises no deadline alert without an end time, and keeps alerts off the engine when publishAlertEvents is off', async () => {
    const { bench: testBench, monitor } = await bench({ 'monitor-execution': { publish_alert_events: false, stalled_after_ms: 20_000 } });
    const alerts: ExecutionAlert[] = [];
    monitor.alerts$.subscribe((alert) => alerts.push(alert));
    const report = await testBench.execute({ id: 's2', symbol: 'BTC/USDT', side: 'sell', type: 'resting', quantity: 1, params: {} }, { cancelAfterMs: 30_000 });
    expect(alerts.map((alert) => [alert.kind, alert.ts - report.startedAt])).toEqual([['stalled', 20_000]]);
    expect(alertEvents(testBench)).toEqual([]);
    expect(monitor.progress('s2')).toMatchObject({ status: 'cancelled', endTime: null, timeLeftMs: null, activeAlerts: [] });
    await testBench.close();
  });

  it('rejects unknown config keys', async () => {
    await expect(bench({ 'monitor-execution': { stall_ms: 1 } })).rejects.toThrow(/stall_ms/);
  });
});
