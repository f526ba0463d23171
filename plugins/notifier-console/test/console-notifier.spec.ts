import { describe, expect, it } from 'vitest';
import { ContainerModule } from 'inversify';
import { ExecutionNotifier, Notifier, createTranche, definePlugin, isTrancheError, type Notification } from '@tranche/core';
import { notifierContract } from '@tranche/testkit';
import notifierConsolePlugin, { ConsoleNotifier, ConsoleNotifierConfigSchema, ConsoleNotifierStream, formatNotificationLine } from '../src/index.js';

class TextBuffer {
  readonly lines: string[] = [];
  write(text: string): boolean {
    this.lines.push(text);
    return true;
  }
}

const at = 1_723_111_200_000;

notifierContract('notifier-console', async () => {
  const buffer = new TextBuffer();
  return {
    notifier: new ConsoleNotifier(ConsoleNotifierConfigSchema.parse({ minSeverity: 'info' }), buffer),
    delivered: () => Promise.resolve([...buffer.lines]),
    close: () => Promise.resolve(),
  };
});

describe('ConsoleNotifier', () => {
  it('writes one line: the notification time (not the wall clock), severity, title and message', async () => {
    const buffer = new TextBuffer();
    const notifier = new ConsoleNotifier(ConsoleNotifierConfigSchema.parse({}), buffer);
    await notifier.notify({ event: 'slippage-alert', severity: 'warning', title: 'Slippage +31.2 bps on buy BTC/USDT (twap)', message: 't1: average fill 43134', ts: at });
    expect(buffer.lines).toEqual(['2024-08-08T10:00:00.000Z WARN Slippage +31.2 bps on buy BTC/USDT (twap) — t1: average fill 43134\n']);
  });

  it('skips notifications below min_severity (warning by default)', async () => {
    const buffer = new TextBuffer();
    const notifier = new ConsoleNotifier(ConsoleNotifierConfigSchema.parse({}), buffer);
    const base: Notification = { event: 'execution-started', severity: 'info', title: 'Started', message: 'm', ts: at };
    await notifier.notify(base);
    await notifier.notify({ ...base, severity: 'critical', event: 'kill-switch' });
    expect(buffer.lines).toHaveLength(1);
    expect(buffer.lines[0]).toMatch(/CRIT Started/);
  });

  it('keeps a message on one line: control characters cannot forge extra lines', () => {
    const line = formatNotificationLine({ event: 'venue-error', severity: 'critical', title: 'a\nb', message: 'c\r\n2024-01-01 CRIT fake\u001b[2J', ts: at });
    expect(line.split('\n')).toHaveLength(2);
    expect(line).not.toContain('\u001b');
  });

  it('adds the data as JSON when include_data is on', () => {
    const line = formatNotificationLine({ event: 'e', severity: 'info', title: 't', message: 'm', ts: at, data: { slippageBps: 3.5 } }, true);
    expect(line).toMatch(/— m \{"slippageBps":3\.5\}\n$/);
  });

  it('rejects (never throws) when the stream throws', async () => {
    const notifier = new ConsoleNotifier(ConsoleNotifierConfigSchema.parse({}), { write: () => { throw new Error('EPIPE'); } });
    let result: Promise<void> | undefined;
    expect(() => (result = notifier.notify({ event: 'kill-switch', severity: 'critical', title: 't', message: 'm', ts: at }))).not.toThrow();
    await expect(result).rejects.toThrow('EPIPE');
  });

  it('refuses an unknown config key or severity, naming it', () => {
    expect(ConsoleNotifierConfigSchema.safeParse({ minSeverity: 'loud' }).success).toBe(false);
    let caught: unknown;
    try {
      createTranche({ config: { 'notifier-console': { min_severity: 'loud' } }, plugins: [notifierConsolePlugin] });
    } catch (error) {
      caught = error;
    }
    expect(isTrancheError(caught, 'validation')).toBe(true);
    expect((caught as Error).message).toMatch(/notifier-console\.min_severity/);
  });

  it('is installed as a Notifier the ExecutionNotifier delivers to', async () => {
    const buffer = new TextBuffer();
    const stream = definePlugin({ name: 'test-stream', version: '0.0.0', module: new ContainerModule(({ bind }) => void bind(ConsoleNotifierStream).toConstantValue(buffer)) });
    const tranche = createTranche({ config: {}, plugins: [notifierConsolePlugin, stream] });
    expect(tranche.container.getAll<Notifier>(Notifier).map((notifier) => notifier.id)).toEqual(['console']);
    const executionNotifier = tranche.get(ExecutionNotifier);
    executionNotifier.publish({ event: 'kill-switch', severity: 'critical', title: 'Kill switch engaged: test', message: '0 execution(s) to stop', ts: at });
    await executionNotifier.whenIdle();
    expect(buffer.lines).toEqual(['2024-08-08T10:00:00.000Z CRIT Kill switch engaged: test — 0 execution(s) to stop\n']);
  });
});
