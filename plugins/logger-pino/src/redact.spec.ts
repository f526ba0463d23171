import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSecretKey, redactFields, redactText } from './redact.js';

const secret = fc.stringMatching(/^[A-Za-z0-9]{12,48}$/);

describe('redactText', () => {
  it('never lets a secret through the places secrets appear in logged text', () => {
    const templates: Array<(value: string) => string> = [
      (value) => `GET https://api.binance.com/api/v3/order?symbol=BTCUSDT&timestamp=1&signature=${value}`,
      (value) => `POST /sapi/v1/x?apiKey=${value}&recvWindow=5000`,
      (value) => `{"X-MBX-APIKEY":"${value}","Content-Type":"application/json"}`,
      (value) => `headers: { Authorization: 'Bearer ${value}' }`,
      (value) => `api_key: ${value}`,
      (value) => `password=${value}`,
      (value) => `https://hooks.slack.com/services/T0/B0/${value}`,
      (value) => `https://discord.com/api/webhooks/123456/${value}`,
      (value) => `https://api.telegram.org/bot${value}/sendMessage`,
      (value) => `https://admin:${value}@example.com/hook`,
      (value) => `access_token=${value}&x=1`,
    ];
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: templates.length - 1 }), fc.string({ maxLength: 20 }), (value, index, prefix) => {
        expect(redactText(`${prefix.replace(/[=:]/g, '')} ${templates[index]!(value)}`)).not.toContain(value);
      }),
      { numRuns: 400 },
    );
  });

  it('leaves ordinary trading text unchanged', () => {
    for (const text of ['child order e1-3 filled 0.25 BTC at 61000.5', 'design=blue', 'tokens used: 4', 'sign of slippage is positive', 'signals ok']) {
      expect(redactText(text)).toBe(text);
    }
  });
});

describe('redactFields', () => {
  it('replaces secret-named values at any depth and keeps the shape', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: 20 }), fc.constantFrom('apiKey', 'api_key', 'X-API-KEY', 'secret', 'password', 'privateKey', 'authorization', 'refresh_token'), (value, depth, key) => {
        let fields: Record<string, unknown> = { [key]: value, price: 1 };
        for (let level = 0; level < depth % 12; level++) fields = { nested: fields };
        const text = JSON.stringify(redactFields(fields));
        expect(text).not.toContain(value);
        expect(text).toContain('"price":1');
      }),
    );
  });

  it('names: the usual credential fields are secret, trading fields are not', () => {
    for (const key of ['apiKey', 'API_KEY', 'apiSecret', 'Authorization', 'X-MBX-APIKEY', 'privateKey', 'accessToken', 'passphrase', 'webhook_url']) expect(isSecretKey(key), key).toBe(true);
    for (const key of ['clientOrderId', 'price', 'quantity', 'side', 'symbol', 'signal', 'executionId']) expect(isSecretKey(key), key).toBe(false);
  });

  it('cuts cycles and turns errors into redacted messages', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(redactFields(cyclic)).toEqual({ a: 1, self: '[cut]' });
    expect(redactFields({ error: new Error('failed: signature=abcdef0123456789') })).toEqual({ error: { type: 'Error', message: 'failed: signature=***' } });
  });
});
