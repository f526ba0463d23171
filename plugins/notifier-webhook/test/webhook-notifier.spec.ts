import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLogger, VirtualClock, createTranche, ExecutionNotifier, type Notification } from '@tranche/core';
import { notifierContract } from '@tranche/testkit';
import notifierWebhookPlugin, { DISCORD_COLORS, WebhookNotifier, WebhookNotifierConfigSchema, type WebhookNotifierConfigInput } from '../src/index.js';
import { startLocalServer, type LocalServer, type Reply } from './local-server.js';

const T0 = 1_723_111_200_000;
const SLACK_SECRET = 'T0SECRET/B0SECRET/xoxbSuperSecretToken123';
const TELEGRAM_TOKEN = '123456:ABC-TelegramBotSecretToken';
const AUTH = 'Bearer authHeaderSecret987';

const sample: Notification = {
  event: 'slippage-alert',
  severity: 'critical',
  title: 'Slippage +112.0 bps on buy BTC/USDT (twap)',
  message: 't1: average fill 58900 vs arrival 58250 <after> 1 & more',
  ts: T0,
  executionId: 't1',
  data: { slippageBps: 112 },
};

const servers: LocalServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function setUp(replies: Reply[], config: (base: string) => WebhookNotifierConfigInput) {
  const clock = new VirtualClock(T0);
  const server = await startLocalServer(clock, replies);
  servers.push(server);
  const logger = new MemoryLogger();
  const parsed = WebhookNotifierConfigSchema.parse(config(server.base));
  return { clock, server, logger, notifier: new WebhookNotifier(parsed, clock, logger) };
}

/**
 * Waits for `promise` while letting real I/O happen; moves virtual time to the next timer
 * only when it is a backoff wait (due sooner than an attempt's timeout), never while a request is in flight.
 */
async function drive<T>(promise: Promise<T>, clock: VirtualClock, horizonMs: number): Promise<T> {
  let settled = false;
  const watched = promise.finally(() => (settled = true));
  watched.catch(() => undefined);
  for (let round = 0; round < 100_000 && !settled; round++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (!settled && clock.pending > 0 && clock.nextDue() - clock.now() < horizonMs) clock.advanceTo(clock.nextDue());
  }
  return watched;
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let round = 0; round < 100_000 && !condition(); round++) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

notifierContract('notifier-webhook', async () => {
  const { server, notifier } = await setUp([], (base) => ({ endpoints: [{ id: 'ops', url: `${base}/hook/${SLACK_SECRET}` }] }));
  return {
    notifier,
    delivered: () => Promise.resolve(server.requests.map((request) => request.body)),
    close: () => notifier.close(),
  };
});

describe('WebhookNotifier formats (POSTs to a local HTTP server)', () => {
  it('posts each ready format with its body', async () => {
    const { server, notifier, clock } = await setUp([], (base) => ({
      endpoints: [
        { id: 'raw', url: `${base}/json`, headers: { Authorization: AUTH } },
        { id: 'slack', url: `${base}/services/${SLACK_SECRET}`, format: 'slack' },
        { id: 'discord', url: `${base}/api/webhooks/1/discordSecret`, format: 'discord' },
        { id: 'telegram', url: `${base}/bot${TELEGRAM_TOKEN}/sendMessage`, format: 'telegram', chatId: -100123 },
      ],
    }));
    await drive(notifier.notify(sample), clock, 5_000);
    const byPath = (prefix: string) => server.requests.find((request) => request.path.startsWith(prefix))!;
    for (const request of server.requests) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
    }
    const raw = byPath('/json');
    expect(raw.headers['authorization']).toBe(AUTH);
    expect(JSON.parse(raw.body)).toEqual({ source: 'tranche', event: 'slippage-alert', severity: 'critical', title: sample.title, message: sample.message, ts: T0, time: '2024-08-08T10:00:00.000Z', executionId: 't1', data: { slippageBps: 112 } });
    const slack = JSON.parse(byPath('/services/').body);
    expect(slack.text).toContain('[CRITICAL] Slippage +112.0 bps on buy BTC/USDT (twap): t1: average fill 58900 vs arrival 58250 &lt;after&gt; 1 &amp; more');
    expect(slack.blocks.map((block: { type: string }) => block.type)).toEqual(['header', 'section', 'context']);
    expect(slack.blocks[0].text).toEqual({ type: 'plain_text', text: `🚨 ${sample.title}`, emoji: true });
    const discord = JSON.parse(byPath('/api/webhooks/').body);
    expect(discord.content).toBe(`🚨 **CRITICAL** ${sample.title}`);
    expect(discord.embeds[0]).toMatchObject({ title: sample.title, description: sample.message, color: DISCORD_COLORS.critical, timestamp: '2024-08-08T10:00:00.000Z' });
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    const telegram = JSON.parse(byPath('/bot').body);
    expect(byPath('/bot').path).toBe(`/bot${TELEGRAM_TOKEN}/sendMessage`);
    expect(telegram).toEqual({
      chat_id: -100123,
      text: `🚨 <b>${sample.title}</b>\nt1: average fill 58900 vs arrival 58250 &lt;after&gt; 1 &amp; more\n<i>slippage-alert · t1 · 2024-08-08T10:00:00.000Z</i>`,
      parse_mode: 'HTML',
      disable_web_page_preview: true,
    });
  });

  it('sends to an endpoint only the events and severities it asks for', async () => {
    const { server, notifier, clock } = await setUp([], (base) => ({
      endpoints: [
        { id: 'pager', url: `${base}/pager`, minSeverity: 'critical' },
        { id: 'fills', url: `${base}/fills`, events: ['execution-completed'] },
      ],
    }));
    await drive(notifier.notify({ ...sample, severity: 'warning' }), clock, 5_000);
    await drive(notifier.notify({ ...sample, event: 'execution-completed', severity: 'info' }), clock, 5_000);
    await drive(notifier.notify(sample), clock, 5_000);
    expect(server.requests.map((request) => request.path)).toEqual(['/fills', '/pager']);
  });
});

describe('WebhookNotifier retries (virtual time)', () => {
  it('retries after a 500 and a 429 (honouring Retry-After) and then succeeds', async () => {
    const { server, notifier, clock } = await setUp([{ status: 500 }, { status: 429, headers: { 'retry-after': '3' } }], (base) => ({
      endpoints: [{ id: 'ops', url: `${base}/hook` }],
      timeoutMs: 60_000,
      retries: 3,
      backoff: { baseMs: 200, maxMs: 10_000, jitter: 0 },
    }));
    await drive(notifier.notify(sample), clock, 60_000);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBe(200);
    expect(server.requests[2]!.at - server.requests[1]!.at).toBe(3_000);
    expect(notifier.stats.get('ops')).toEqual({ delivered: 1, failed: 0, retried: 2, dropped: 0 });
  });

  it('honours a Retry-After given as an HTTP date, against the clock', async () => {
    const { server, notifier, clock } = await setUp([{ status: 429, headers: { 'retry-after': new Date(T0 + 5_000).toUTCString() } }], (base) => ({
      endpoints: [{ id: 'ops', url: `${base}/hook` }],
      timeoutMs: 60_000,
      backoff: { baseMs: 100, maxMs: 10_000, jitter: 0 },
    }));
    await drive(notifier.notify(sample), clock, 60_000);
    expect(server.requests[1]!.at - T0).toBe(5_000);
  });

  it('gives up at once when Retry-After asks for more than backoff.max_ms', async () => {
    const { server, notifier, clock } = await setUp([{ status: 429, headers: { 'retry-after': '120' } }], (base) => ({
      endpoints: [{ id: 'ops', url: `${base}/hook` }],
      backoff: { baseMs: 100, maxMs: 30_000, jitter: 0 },
    }));
    await expect(drive(notifier.notify(sample), clock, 5_000)).rejects.toThrow(/asks to wait 120000 ms, more than backoff.max_ms \(30000\)/);
    expect(server.requests).toHaveLength(1);
  });

  it('uses Telegram\'s retry_after when a 429 carries no header', async () => {
    const { server, notifier, clock } = await setUp([{ status: 429, body: '{"ok":false,"error_code":429,"parameters":{"retry_after":7}}' }], (base) => ({
      endpoints: [{ url: `${base}/bot${TELEGRAM_TOKEN}/sendMessage`, format: 'telegram', chatId: '@desk' }],
      timeoutMs: 60_000,
      backoff: { baseMs: 100, maxMs: 10_000, jitter: 0 },
    }));
    await drive(notifier.notify(sample), clock, 60_000);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBe(7_000);
  });

  it('backs off exponentially with a seeded jitter, the same on every run, and gives up after the retries', async () => {
    const run = async () => {
      const { server, notifier, clock, logger } = await setUp([{ status: 503 }, { status: 502 }, { status: 500 }, { status: 500 }], (base) => ({
        endpoints: [{ id: 'ops', url: `${base}/services/${SLACK_SECRET}`, format: 'slack' }],
        timeoutMs: 60_000,
        retries: 3,
        backoff: { baseMs: 1_000, maxMs: 30_000, jitter: 0.5, seed: 42 },
      }));
      const error = await drive(notifier.notify(sample), clock, 60_000).then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
      return { error, gaps: server.requests.slice(1).map((request, index) => request.at - server.requests[index]!.at), logger, requests: server.requests.length };
    };
    const first = await run();
    const second = await run();
    expect(first.requests).toBe(4);
    expect(first.error?.message).toMatch(/webhook ops \(http:\/\/127\.0\.0\.1:\d+\/\*\*\*\): HTTP 500, gave up after 4 attempts/);
    expect(first.gaps).toEqual(second.gaps);
    first.gaps.forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual(1_000 * 2 ** index * 0.75);
      expect(gap).toBeLessThanOrEqual(1_000 * 2 ** index * 1.25);
    });
    const logged = JSON.stringify(first.logger.records);
    expect(logged).toContain('retrying');
    for (const secret of ['xoxbSuperSecretToken123', 'T0SECRET', SLACK_SECRET]) {
      expect(logged).not.toContain(secret);
      expect(first.error!.message).not.toContain(secret);
    }
  });

  it('stops retrying when the caller aborts (the ExecutionNotifier\'s delivery timeout), and sends nothing after close()', async () => {
    const { server, notifier } = await setUp([{ status: 503 }], (base) => ({ endpoints: [{ id: 'ops', url: `${base}/hook` }], retries: 5, backoff: { baseMs: 1_000, maxMs: 5_000 } }));
    const caller = new AbortController();
    const delivery = notifier.notify(sample, { signal: caller.signal });
    await waitFor(() => server.requests.length === 1);
    await new Promise((resolve) => setImmediate(resolve));
    caller.abort();
    await expect(delivery).rejects.toThrow(/webhook ops.*abandoned/);
    await notifier.close();
    await expect(notifier.notify(sample)).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(1);
  });

  it('never retries a 400, and reports the endpoint\'s answer', async () => {
    const { server, notifier, clock } = await setUp([{ status: 400, body: 'invalid_payload' }], (base) => ({ endpoints: [{ id: 'ops', url: `${base}/hook` }], retries: 5 }));
    await expect(drive(notifier.notify(sample), clock, 5_000)).rejects.toThrow(/webhook ops .*HTTP 400: invalid_payload/);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts an attempt on a hanging server after timeout_ms on the clock, then retries', async () => {
    const { server, notifier, clock } = await setUp(['hang'], (base) => ({
      endpoints: [{ id: 'ops', url: `${base}/hook` }],
      timeoutMs: 2_000,
      retries: 1,
      backoff: { baseMs: 100, maxMs: 1_000, jitter: 0 },
    }));
    const delivery = notifier.notify(sample);
    await waitFor(() => server.requests.length === 1);
    clock.advanceBy(1_999);
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.requests).toHaveLength(1);
    clock.advanceBy(1);
    await drive(delivery, clock, 2_000);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBe(2_100);
    expect(notifier.stats.get('ops')).toMatchObject({ delivered: 1, retried: 1 });
  });

  it('keeps URL and header secrets out of logs and errors, network errors included', async () => {
    const { notifier, clock, logger, server } = await setUp([], () => ({ endpoints: [] }));
    await server.close();
    servers.length = 0;
    const closedPort = new URL(server.base).port;
    const unreachable = new WebhookNotifier(
      WebhookNotifierConfigSchema.parse({
        endpoints: [
          { id: 'tg', url: `http://127.0.0.1:${closedPort}/bot${TELEGRAM_TOKEN}/sendMessage`, format: 'telegram', chatId: 1 },
          { id: 'auth', url: `http://127.0.0.1:${closedPort}/x?token=querySecret555`, headers: { authorization: AUTH } },
        ],
        retries: 1,
        backoff: { baseMs: 10, maxMs: 100, jitter: 0 },
      }),
      clock,
      logger,
    );
    const error = await drive(unreachable.notify(sample), clock, 5_000).then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error?.message).toMatch(/webhook tg \(http:\/\/127\.0\.0\.1:\d+\/\*\*\*\): network error: ECONNREFUSED, gave up after 2 attempts/);
    const text = `${error!.message} ${JSON.stringify(logger.records)} ${unreachable.describeEndpoints().join(' ')}`;
    for (const secret of [TELEGRAM_TOKEN, 'TelegramBotSecretToken', 'querySecret555', 'authHeaderSecret987']) expect(text).not.toContain(secret);
    expect(notifier.describeEndpoints()).toEqual([]);
  });

  it('refuses a telegram endpoint without chat_id and a bad URL, naming the field', () => {
    const telegram = WebhookNotifierConfigSchema.safeParse({ endpoints: [{ url: 'https://api.telegram.org/botX/sendMessage', format: 'telegram' }] });
    expect(telegram.error?.issues[0]?.path).toEqual(['endpoints', 0, 'chatId']);
    const url = WebhookNotifierConfigSchema.safeParse({ endpoints: [{ url: 'ftp://example.com/x' }] });
    expect(url.error?.issues[0]?.path).toEqual(['endpoints', 0, 'url']);
    const duplicate = WebhookNotifierConfigSchema.safeParse({ endpoints: [{ url: 'https://a.example/x' }, { id: 'json-1', url: 'https://b.example/y' }] });
    expect(duplicate.error?.issues[0]?.message).toMatch(/"json-1" is used by two endpoints/);
  });
});

describe('notifier-webhook through the ExecutionNotifier', () => {
  it('a kill-switch notification published in a composed app is POSTed to the local server', async () => {
    const clock = new VirtualClock(T0);
    const server = await startLocalServer(clock);
    servers.push(server);
    const tranche = createTranche({
      config: { 'notifier-webhook': { endpoints: [{ id: 'desk', url: `${server.base}/desk`, format: 'slack' }] }, notifications: { notifiers: { webhook: { min_severity: 'warning' } } } },
      plugins: [notifierWebhookPlugin],
      clock,
    });
    const executionNotifier = tranche.get(ExecutionNotifier);
    executionNotifier.publish({ event: 'execution-started', severity: 'info', title: 'Started', message: 'filtered out', ts: T0 });
    executionNotifier.publish({ event: 'kill-switch', severity: 'critical', title: 'Kill switch engaged: SIGINT received', message: '1 execution(s) to stop', ts: T0 });
    await drive(executionNotifier.whenIdle(), clock, 5_000);
    expect(server.requests).toHaveLength(1);
    expect(JSON.parse(server.requests[0]!.body).text).toContain('Kill switch engaged: SIGINT received');
    expect(executionNotifier.snapshot()['notifications_delivered_total{notifier="webhook"}']).toMatchObject({ value: 1 });
  });
});
