import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TrancheError } from '@tranche/core';
import { createPinoLogger, type LogDestination } from './pino-logger.js';

function capture(isTTY = false): LogDestination & { lines: string[]; text: () => string } {
  const lines: string[] = [];
  return { isTTY, lines, write: (line: string) => void lines.push(line), text: () => lines.join('') };
}

function json(destination: { lines: string[] }): Array<Record<string, unknown>> {
  return destination.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createPinoLogger', () => {
  it('writes one JSON line per record with a level label, the message, child fields and call fields', () => {
    const out = capture();
    const logger = createPinoLogger({ level: 'debug' }, { destination: out });
    logger.child({ executionId: 'e1', symbol: 'BTC/USDT' }).child({ clientOrderId: 'e1-3' }).info('fill', { price: 61_000.5, quantity: 0.25 });
    const [line] = json(out);
    expect(line).toMatchObject({ level: 'info', msg: 'fill', executionId: 'e1', symbol: 'BTC/USDT', clientOrderId: 'e1-3', price: 61_000.5, quantity: 0.25 });
    expect(typeof line!['time']).toBe('number');
    expect(out.lines[0]!.endsWith('\n')).toBe(true);
  });

  it('filters by the default level and by the component of a child logger (a child inherits its parent’s)', () => {
    const out = capture();
    const logger = createPinoLogger({ level: 'warn', components: { execution: 'debug', 'monitor-quality': 'error' } }, { destination: out });
    logger.debug('root debug');
    logger.warn('root warn');
    const execution = logger.child({ component: 'execution', executionId: 'e1' });
    execution.debug('execution debug');
    execution.child({ clientOrderId: 'e1-1' }).debug('grandchild debug');
    const quality = logger.child({ component: 'monitor-quality' });
    quality.warn('quality warn');
    quality.error('quality error');
    logger.child({ component: 'unlisted' }).info('unlisted info');
    expect(json(out).map((line) => line['msg'])).toEqual(['root warn', 'execution debug', 'grandchild debug', 'quality error']);
  });

  it('a child that binds a key again (a more specific component) writes it once, with its own level', () => {
    const out = capture();
    const logger = createPinoLogger({ level: 'warn', components: { strategy: 'debug' } }, { destination: out });
    const engine = logger.child({ component: 'engine', venue: 'paper' });
    engine.child({ component: 'strategy', executionId: 'e1' }).debug('strategy line');
    engine.child({ executionId: 'e2' }).info('engine info, below warn');
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]!.match(/"component"/g)).toHaveLength(1);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ component: 'strategy', venue: 'paper', executionId: 'e1', msg: 'strategy line' });
  });

  it('silent drops everything', () => {
    const out = capture();
    const logger = createPinoLogger({ level: 'silent' }, { destination: out });
    logger.error('nothing');
    logger.child({ component: 'execution' }).error('nothing either');
    expect(out.lines).toEqual([]);
  });

  it('redacts secrets from fields at any depth, child bindings and message text', () => {
    const out = capture();
    const logger = createPinoLogger({ level: 'debug', redact: ['sessionCookie'] }, { destination: out });
    const secrets = ['K3yAAAAbbbbCCCC', 'S3cretDDDDeeeeFFFF', 'hunter2hunter2', 'eyJhbGciOiJIUzI1NiJ9.payload.sig', 'c0ffee1234567890abcdef', 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX', 'jar-of-cookies'];
    logger.child({ apiKey: secrets[0] }).info('connected', { credentials: { secret: secrets[1], nested: { deeper: { password: secrets[2] } } }, sessionCookie: secrets[6] });
    logger.warn(`GET https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=${secrets[4]} failed`, {
      headers: { Authorization: `Bearer ${secrets[3]}`, 'X-MBX-APIKEY': secrets[0] },
      url: `https://hooks.slack.com/services/${secrets[5]}`,
    });
    logger.error(`apiKey=${secrets[0]} secret: ${secrets[1]} Authorization: Bearer ${secrets[3]}`);
    logger.info('deep', { a: { b: { c: { d: { e: { f: { privateKey: secrets[1] } } } } } }, list: [`token=${secrets[2]}`] });
    const text = out.text();
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('signature=***');
    expect(text).toContain('Bearer ***');
    expect(text).toContain('hooks.slack.com/services/***');
    // Ordinary text is left alone.
    logger.info('design=blue tokens counted', { clientOrderId: 'e1-1', side: 'buy' });
    expect(json(out).at(-1)).toMatchObject({ msg: 'design=blue tokens counted', clientOrderId: 'e1-1', side: 'buy' });
  });

  it('renames fields pino writes itself instead of duplicating them', () => {
    const out = capture();
    createPinoLogger({}, { destination: out }).info('x', { level: 'L2', msg: 'inner', time: 5 });
    expect(json(out)[0]).toMatchObject({ level: 'info', msg: 'x', level_: 'L2', msg_: 'inner', time_: 5 });
  });

  it('format: auto is JSON off a TTY and pretty on one; pretty and json force it', () => {
    const pipe = capture(false);
    createPinoLogger({ format: 'auto' }, { destination: pipe }).info('hello', { executionId: 'e1' });
    expect(JSON.parse(pipe.lines[0]!)).toMatchObject({ msg: 'hello', executionId: 'e1' });

    const tty = capture(true);
    createPinoLogger({ format: 'auto' }, { destination: tty }).info('hello', { executionId: 'e1' });
    expect(() => JSON.parse(tty.lines[0]!)).toThrow();
    // eslint-disable-next-line no-control-regex
    const plain = tty.lines[0]!.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain).toMatch(/INFO.*hello/);
    expect(plain).toContain('executionId: "e1"');

    const forced = capture(false);
    createPinoLogger({ format: 'pretty' }, { destination: forced }).warn('careful');
    expect(forced.lines[0]).toMatch(/^\[[\d:.]+\] WARN.*careful/);
    expect(forced.lines[0]).not.toContain('\u001b['); // no colours off a TTY

    const jsonOnTty = capture(true);
    createPinoLogger({ format: 'json' }, { destination: jsonOnTty }).info('plain');
    expect(JSON.parse(jsonOnTty.lines[0]!)).toMatchObject({ msg: 'plain' });
  });

  it('writes JSON lines to a file too (pretty terminal or none), redacted', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tranche-log-'));
    dirs.push(dir);
    const out = capture(true);
    const logger = createPinoLogger({ format: 'pretty', file: { path: join(dir, 'logs', 'tranche.log') } }, { destination: out });
    logger.info('to both', { token: 'abcdefghijkl' });
    const quiet = createPinoLogger({ terminal: false, file: { path: join(dir, 'only.log') } }, { destination: out });
    quiet.info('to the file only');
    logger.close();
    quiet.close();
    const fileLines = readFileSync(join(dir, 'logs', 'tranche.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(fileLines).toEqual([expect.objectContaining({ msg: 'to both', token: '***' })]);
    expect(readFileSync(join(dir, 'only.log'), 'utf8')).toContain('to the file only');
    expect(out.lines).toHaveLength(1);
  });

  it('refuses bad options with one validation error naming the field and value', () => {
    const cases: Array<[unknown, RegExp, string]> = [
      [{ level: 'verbose' }, /level must be one of .*got "verbose"/, 'level'],
      [{ components: { Execution: 'debug' } }, /components\.Execution/, 'components.Execution'],
      [{ format: 'xml' }, /format must be one of/, 'format'],
      [{ file: { path: '/tmp/x.log', maxBytes: 10 } }, /file\.maxBytes must be .*1024.*got 10/, 'file.maxBytes'],
      [{ colour: true }, /unknown key "colour"/, 'colour'],
      [{ file: { keep: 2 } }, /file\.path is required/, 'file.path'],
    ];
    for (const [input, message, field] of cases) {
      let error: unknown;
      try {
        createPinoLogger(input, { destination: capture() });
      } catch (thrown) {
        error = thrown;
      }
      expect(error, JSON.stringify(input)).toBeInstanceOf(TrancheError);
      expect((error as TrancheError).kind).toBe('validation');
      expect((error as TrancheError).message).toMatch(message);
      expect((error as TrancheError).field).toBe(field);
    }
  });
});
