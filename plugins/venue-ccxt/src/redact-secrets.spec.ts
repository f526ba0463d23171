import { describe, expect, it } from 'vitest';
import { CapturingLogger } from '../test/emulator-harness.js';
import { RedactingLogger, redactSecrets, redactValue } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('replaces the secrets and every signature or key field of a query string, header or JSON', () => {
    const text = 'GET /api/v3/order?symbol=BTCUSDT&timestamp=1&signature=abc123 X-MBX-APIKEY: KEY-0001 {"apiKey":"KEY-0001","secret":"SEC-0002"} SEC-0002';
    const redacted = redactSecrets(text, ['KEY-0001', 'SEC-0002']);
    expect(redacted).not.toMatch(/KEY-0001|SEC-0002|abc123/);
    expect(redacted).toContain('signature=***');
    expect(redacted).toContain('symbol=BTCUSDT');
  });

  it('ignores secrets too short to be told from ordinary text', () => {
    expect(redactSecrets('a b c', ['a', undefined])).toBe('a b c');
  });

  it('redacts nested log fields and errors', () => {
    expect(redactValue({ error: new Error('x KEY-0001'), list: ['KEY-0001'], n: 1 }, ['KEY-0001'])).toEqual({ error: 'x ***', list: ['***'], n: 1 });
  });

  it('RedactingLogger cleans every line and child, with secrets known only later', () => {
    const inner = new CapturingLogger();
    const secrets: string[] = [];
    const logger = new RedactingLogger(inner, () => secrets);
    secrets.push('KEY-0001');
    logger.child({ key: 'KEY-0001' }).warn('failed KEY-0001', { url: '/x?signature=ff00' });
    expect(inner.lines.join('\n')).not.toMatch(/KEY-0001|ff00/);
  });
});
