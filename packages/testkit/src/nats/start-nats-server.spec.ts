import { connect as connectTcp } from 'node:net';
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { natsServerUnavailableReason, startNatsServer } from './start-nats-server.js';

const unavailable = natsServerUnavailableReason();
if (unavailable) console.warn(`skipping nats-server tests: ${unavailable}`);

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

describe.skipIf(unavailable !== undefined)('startNatsServer', () => {
  it('starts a JetStream server on a free loopback port with a temporary store, and stops it', async () => {
    const server = await startNatsServer();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    expect(server.version).toMatch(/v2\.\d+\.\d+/);
    expect(existsSync(server.storeDir)).toBe(true);
    expect(await accepts(server.port)).toBe(true);
    await server.stop();
    expect(await accepts(server.port)).toBe(false);
    expect(existsSync(server.storeDir)).toBe(false);
  });

  it('kills and restarts on the same port and store', async () => {
    const server = await startNatsServer();
    try {
      await server.kill();
      expect(await accepts(server.port)).toBe(false);
      expect(existsSync(server.storeDir)).toBe(true);
      await server.restart();
      expect(await accepts(server.port)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});

describe('natsServerUnavailableReason', () => {
  const saved = process.env['CI'];
  afterEach(() => {
    if (saved === undefined) delete process.env['CI'];
    else process.env['CI'] = saved;
  });
  const missing = () => ({ reason: 'nats-server is not installed (test)' });

  it('gives the reason to skip when the server is missing outside CI', () => {
    delete process.env['CI'];
    expect(natsServerUnavailableReason(missing)).toBe('nats-server is not installed (test)');
    expect(natsServerUnavailableReason(() => ({ path: '/usr/sbin/nats-server' }))).toBeUndefined();
  });

  it('fails instead of skipping under CI', () => {
    process.env['CI'] = 'true';
    expect(() => natsServerUnavailableReason(missing)).toThrow(/CI must run the NATS tests: nats-server is not installed \(test\)/);
  });
});
