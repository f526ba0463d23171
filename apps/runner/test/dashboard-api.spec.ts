import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command, CommanderError } from 'commander';
import { registerServeCommand, runServe } from '../src/serve/serve-command.js';
import { tokensEqual, isLoopbackHost, isSameOrigin } from '../src/serve/dashboard-auth.js';
import { captureIo } from './capture-io.js';
import { NoopLogger, TrancheError } from '@tranche/core';
import type { IncomingMessage } from 'node:http';

const TOKEN = 'dashboard-test-token-0123456789';
const config = { 'journal-sqlite': { path: ':memory:' } };

/**
 * Runs `tranche <argv>` with only the serve command registered, mapping errors to exit codes
 * as main() does (2 for bad input): the test does not depend on the other commands' modules.
 */
async function serveCli(argv: string[], io: ReturnType<typeof captureIo>): Promise<number> {
  const program = new Command('tranche').exitOverride().configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) });
  registerServeCommand(program, io, () => undefined);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return 2;
    const failure = TrancheError.from(error);
    io.stderr.write(`error: ${failure.message}\n`);
    return failure.kind === 'validation' ? 2 : 1;
  }
}

interface Served {
  url: string;
  stop: () => Promise<void>;
}

/** Starts `tranche serve` in this process on a free port; `stop` aborts it and waits for the shutdown. */
async function serve(options: { host?: string; token?: string; heartbeatMs?: number; speed?: number | 'max' }): Promise<Served> {
  const controller = new AbortController();
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const done = runServe({
    io: captureIo(),
    logger: new NoopLogger(),
    config,
    port: 0,
    speed: 100,
    register: false,
    signal: controller.signal,
    onListening: listening,
    marketIntervalMs: 100,
    metricsIntervalMs: 100,
    ...options,
  });
  const first = await Promise.race([url, done.then(() => '')]);
  if (first === '') throw new Error('serve ended before it listened');
  return {
    url: first.replace('0.0.0.0', '127.0.0.1'),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

/** A raw HTTP request (custom Host headers, which fetch does not allow). */
function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Reads Server-Sent Events from a response until `until` returns true for the collected events. */
async function readEvents(response: Response, until: (events: Array<{ event: string; data: unknown }>) => boolean): Promise<Array<{ event: string; data: unknown }>> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ event: string; data: unknown }> = [];
  let buffer = '';
  try {
    while (!until(events)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) });
      }
    }
  } finally {
    await reader.cancel();
  }
  return events;
}

describe('tranche serve: bind security', () => {
  it('refuses a non-loopback host without a token (exit 2, one line naming --host), before composing anything', async () => {
    const io = captureIo();
    const previous = process.env['TRANCHE_DASHBOARD_TOKEN'];
    delete process.env['TRANCHE_DASHBOARD_TOKEN'];
    try {
      expect(await serveCli(['serve', '--host', '0.0.0.0', '--port', '0'], io)).toBe(2);
    } finally {
      if (previous !== undefined) process.env['TRANCHE_DASHBOARD_TOKEN'] = previous;
    }
    expect(io.err.text).toMatch(/^error: invalid --host: "0\.0\.0\.0" is reachable from other machines.*--token.*TRANCHE_DASHBOARD_TOKEN\n$/);
    expect(io.out.text).toBe('');
  });

  it('refuses a short token and a bad port', async () => {
    const io = captureIo();
    expect(await serveCli(['serve', '--host', '0.0.0.0', '--token', 'short', '--port', '0'], io)).toBe(2);
    expect(io.err.text).toContain('invalid --token: must be at least 16 characters, got 5');
    const io2 = captureIo();
    expect(await serveCli(['serve', '--port', '70000'], io2)).toBe(2);
    expect(io2.err.text).toContain('invalid --port: must be an integer from 0 to 65535, got "70000"');
  });

  it('knows loopback addresses, compares tokens whatever their lengths, and checks origins', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '192.168.1.10', '::', 'example.com'].some(isLoopbackHost)).toBe(false);
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(TOKEN.slice(0, -1), TOKEN)).toBe(false);
    expect(tokensEqual(`${TOKEN}x`, TOKEN)).toBe(false);
    const message = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
    expect(isSameOrigin(message({ host: '127.0.0.1:8787', origin: 'http://127.0.0.1:8787' }))).toBe(true);
    expect(isSameOrigin(message({ host: '127.0.0.1:8787', origin: 'https://evil.example' }))).toBe(false);
    expect(isSameOrigin(message({ host: '127.0.0.1:8787', origin: 'null' }))).toBe(false);
    expect(isSameOrigin(message({ host: '127.0.0.1:8787' }))).toBe(true);
  });
});

describe('tranche serve on 0.0.0.0 with a token', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({ host: '0.0.0.0', token: TOKEN, heartbeatMs: 200 });
  }, 60_000);
  afterAll(async () => served?.stop(), 60_000);
  const auth = { Authorization: `Bearer ${TOKEN}` };

  it('answers nothing without the right token', async () => {
    for (const path of ['', 'api/state', 'api/history', 'api/events']) {
      expect((await fetch(served.url + path)).status, path).toBe(401);
      expect((await fetch(served.url + path, { headers: { Authorization: `Bearer ${TOKEN.slice(0, -1)}x` } })).status, path).toBe(401);
    }
    const post = await fetch(`${served.url}api/kill`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"confirm":true}' });
    expect(post.status).toBe(401);
    expect(await post.json()).toEqual({ error: expect.stringContaining('a valid token is required') });
    // The query token is for the page load and the event stream (EventSource cannot send headers), not the API.
    expect((await fetch(`${served.url}api/state?token=${TOKEN}`)).status).toBe(401);
    const page = await fetch(`${served.url}?token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('<title>Tranche dashboard</title>');
    expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)="(?!data:)/i);
    const state = await fetch(`${served.url}api/state`, { headers: auth });
    expect(state.status).toBe(200);
    const snapshot = (await state.json()) as { venue: string; markets: Array<{ symbol: string; mid: number }>; data: { source: string; ended: boolean }; killSwitch: { engaged: boolean } };
    expect(snapshot.venue).toBe('paper');
    expect(snapshot.data).toEqual({ source: 'replay', ended: false });
    expect(snapshot.markets.map((market) => market.symbol).sort()).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(snapshot.markets.every((market) => market.mid > 0)).toBe(true);
    expect(snapshot.killSwitch.engaged).toBe(false);
  });

  it('refuses bad order bodies with 400 and one line naming the field; nothing starts', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${served.url}api/executions`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json', ...headers }, body });
    const cases: Array<[string, number, RegExp, string | undefined]> = [
      ['{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":-1}', 400, /^invalid order: quantity must be greater than 0, got -1$/, 'quantity'],
      ['{"side":"buy","type":"market","quantity":1}', 400, /^invalid order: symbol is required/, 'symbol'],
      ['{"symbol":"BTC/USDT","side":"up","type":"market","quantity":1}', 400, /^invalid order: side must be "buy" or "sell", got "up"$/, 'side'],
      ['{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":1,"extra":1}', 400, /^invalid order: unknown key "extra"$/, 'extra'],
      ['{"symbol":"BTC/USDT","side":"buy","type":"twap","quantity":1,"params":{"durationMs":-5}}', 400, /^invalid order: params\.durationMs /, 'params.durationMs'],
      ['{"symbol":"DOGE/USDT","side":"buy","type":"market","quantity":1}', 400, /DOGE\/USDT/, undefined],
      ['{"symbol":"BTC/USDT",', 400, /^invalid request: malformed JSON/, 'body'],
    ];
    for (const [body, status, message, field] of cases) {
      const response = await post(body);
      const answer = (await response.json()) as { error: string; field?: string };
      expect(response.status, body).toBe(status);
      expect(answer.error, body).toMatch(message);
      expect(answer.error, body).not.toContain('\n');
      if (field !== undefined) expect(answer.field, body).toBe(field);
    }
    const form = await post('symbol=BTC/USDT', { 'Content-Type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const huge = await post(JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 1, params: { padding: 'x'.repeat(70_000) } }));
    expect(huge.status).toBe(413);
    expect((await fetch(`${served.url}api/executions`, { method: 'PUT', headers: auth })).status).toBe(405);
    expect((await fetch(`${served.url}api/nothing`, { headers: auth })).status).toBe(404);
    const badLimit = await fetch(`${served.url}api/history?limit=0`, { headers: auth });
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as { field: string }).field).toBe('limit');
    const crossSite = await post('{"symbol":"BTC/USDT","side":"buy","type":"market","quantity":0.01}', { Origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const kill = await fetch(`${served.url}api/kill`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"confirm":"yes"}' });
    expect(kill.status).toBe(400);
    expect(((await kill.json()) as { field: string }).field).toBe('confirm');
    const unknown = await fetch(`${served.url}api/executions/nope/cancel`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{}' });
    expect(unknown.status).toBe(404);
    const state = (await (await fetch(`${served.url}api/state`, { headers: auth })).json()) as { executions: unknown[]; killSwitch: { engaged: boolean } };
    expect(state.executions).toEqual([]);
    expect(state.killSwitch.engaged).toBe(false);
  });

  it('streams a snapshot, then the events of a submitted order as they happen, market updates and heartbeats', async () => {
    const stream = await fetch(`${served.url}api/events?token=${TOKEN}`);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    let executionId: string | undefined;
    const submitted = fetch(`${served.url}api/executions`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.2, params: { durationMs: 20_000, slices: 4 } }),
    }).then(async (response) => {
      expect(response.status).toBe(202);
      executionId = ((await response.json()) as { executionId: string }).executionId;
    });
    const events = await readEvents(stream, (seen) => seen.some((entry) => entry.event === 'execution' && (entry.data as { event: { type: string } }).event.type === 'execution-ended') && seen.some((entry) => entry.event === 'heartbeat') && seen.some((entry) => entry.event === 'metrics'));
    await submitted;
    expect(events[0]!.event).toBe('snapshot');
    const updates = events.filter((entry) => entry.event === 'execution').map((entry) => entry.data as { event: { type: string; executionId: string }; execution: { state: string; filledQuantity: number } });
    expect(updates.every((update) => update.event.executionId === executionId)).toBe(true);
    const types = updates.map((update) => update.event.type);
    expect(types[0]).toBe('execution-started');
    expect(types).toContain('fill');
    expect(types).toContain('progress');
    const last = updates.at(-1)!;
    expect(last.event.type).toBe('execution-ended');
    const report = (last.event as unknown as { report: { filledQuantity: number; status: string } }).report;
    expect(last.execution.state).toBe(report.status);
    expect(last.execution.filledQuantity).toBe(report.filledQuantity);
    const markets = events.filter((entry) => entry.event === 'market').map((entry) => entry.data as { symbol: string; mid: number; points: Array<{ ts: number; mid: number }> });
    expect(markets.some((market) => market.symbol === 'BTC/USDT' && market.mid > 0)).toBe(true);
    // Each market message carries the price points added since the previous one: none missed, none repeated, 1 s apart at least.
    const points = markets.filter((market) => market.symbol === 'BTC/USDT').flatMap((market) => market.points);
    expect(points.length).toBeGreaterThan(5);
    expect(points.every((point, index) => index === 0 || point.ts - points[index - 1]!.ts >= 1_000)).toBe(true);
    const metrics = events.find((entry) => entry.event === 'metrics')!.data as Record<string, Record<string, unknown>>;
    expect(Object.keys(metrics)).toEqual(expect.arrayContaining(['metrics-collector', 'monitor-quality']));
    const history = (await (await fetch(`${served.url}api/history`, { headers: auth })).json()) as Array<{ report: { id: string }; pending: boolean }>;
    expect(history[0]!.report.id).toBe(executionId);
  });
});

describe('tranche serve: reconnecting to the event stream', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({});
  }, 60_000);
  afterAll(async () => served?.stop(), 60_000);

  it('starts every connection with a snapshot that holds the working execution and its fills so far', async () => {
    const response = await fetch(`${served.url}api/executions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ symbol: 'BTC/USDT', side: 'sell', type: 'twap', quantity: 0.3, params: { durationMs: 90_000, slices: 6 } }),
    });
    const { executionId } = (await response.json()) as { executionId: string };
    type Execution = { executionId: string; state: string; fillCount: number; fills: unknown[] };
    const first = await readEvents(await fetch(`${served.url}api/events`), (seen) => seen.length >= 1);
    const snapshot = first[0]!.data as { executions: Execution[] };
    expect(first[0]!.event).toBe('snapshot');
    const seenFirst = snapshot.executions.find((execution) => execution.executionId === executionId)!;
    expect(seenFirst.state).toBe('working');
    // A second connection (what the browser's EventSource does after a drop) sees the same execution, further along or ended.
    const inSnapshot = (events: Array<{ data: unknown }>) => (events[0]!.data as { executions: Execution[] }).executions.find((execution) => execution.executionId === executionId)!;
    const endEvent = (events: Array<{ event: string; data: unknown }>) =>
      events.find((entry) => entry.event === 'execution' && (entry.data as { event: { type: string } }).event.type === 'execution-ended')?.data as { execution: Execution } | undefined;
    // Until it ends: in this stream, or already before it connected (then its snapshot says so).
    const again = await readEvents(await fetch(`${served.url}api/events`), (seen) => seen.length > 0 && (inSnapshot(seen).state !== 'working' || endEvent(seen) !== undefined));
    const resumed = inSnapshot(again);
    expect(resumed.fillCount).toBeGreaterThanOrEqual(seenFirst.fillCount);
    expect(resumed.fills).toHaveLength(resumed.fillCount);
    const final = endEvent(again)?.execution ?? resumed;
    expect(final.executionId).toBe(executionId);
    expect(final.state).not.toBe('working');
  }, 60_000);
});

describe('tranche serve when the recorded data ends', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({ speed: 'max' });
  }, 60_000);
  afterAll(async () => served?.stop(), 60_000);

  it('expires what runs, says so in the state, and refuses new orders with one clear line (the replay does not restart)', async () => {
    const post = (order: unknown) => fetch(`${served.url}api/executions`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(order) });
    // Twenty minutes of TWAP on 10.8 minutes of data, replayed in virtual time: the data runs out first.
    const started = await post({ symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.2, params: { durationMs: 20 * 60_000, slices: 10 } });
    expect(started.status).toBe(202);
    const { executionId } = (await started.json()) as { executionId: string };
    type State = { data: { ended: boolean }; executions: Array<{ executionId: string; state: string; endReason?: string }> };
    let state: State;
    do state = (await (await fetch(`${served.url}api/state`)).json()) as State;
    while (!state.data.ended && (await new Promise((resolve) => setImmediate(resolve, true))));
    const expired = state.executions.find((execution) => execution.executionId === executionId)!;
    // Ended by the end of the data with what it had filled (the report's status: partially filled, or expired when nothing filled).
    expect(['partially_filled', 'expired']).toContain(expired.state);
    expect(expired.endReason).toMatch(/market data ended/);
    const refused = await post({ symbol: 'BTC/USDT', side: 'buy', type: 'market', quantity: 0.01 });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({
      error: 'invalid order: the market data of replay has ended; restart tranche serve to replay it again',
      kind: 'validation',
      field: 'symbol',
    });
  }, 60_000);
});

describe('tranche serve on loopback without a token', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve({});
  }, 60_000);
  afterAll(async () => served?.stop(), 60_000);

  it('serves loopback host names and refuses other names (DNS rebinding)', async () => {
    expect((await fetch(`${served.url}api/state`)).status).toBe(200);
    const port = new URL(served.url).port;
    expect((await rawRequest(`${served.url}api/state`, { headers: { Host: `localhost:${port}` } })).status).toBe(200);
    const rebound = await rawRequest(`${served.url}api/state`, { headers: { Host: `attacker.example:${port}` } });
    expect(rebound.status).toBe(421);
    const kill = await rawRequest(`${served.url}api/kill`, { method: 'POST', headers: { Host: `attacker.example:${port}`, 'Content-Type': 'application/json' }, body: '{"confirm":true}' });
    expect(kill.status).toBe(421);
    const state = (await (await fetch(`${served.url}api/state`)).json()) as { killSwitch: { engaged: boolean } };
    expect(state.killSwitch.engaged).toBe(false);
  });
});
