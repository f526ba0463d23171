import { describe, expect, it } from 'vitest';
import { RunLoop } from './run-loop.js';
import { VirtualClock, yieldToEventLoop } from './virtual-clock.js';

/** Resolves after `turns` event-loop turns: I/O that takes a while in wall time. */
async function slowWrite(turns: number, done: () => void): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await yieldToEventLoop();
  done();
}

describe('RunLoop', () => {
  it('settle() waits for held wall-time I/O however many event-loop turns it takes', async () => {
    const loop = new RunLoop(new VirtualClock(0));
    let written = false;
    void loop.hold(slowWrite(50, () => (written = true)));
    expect(loop.needsSettle).toBe(true);
    await loop.settle(2);
    expect(written).toBe(true);
    expect(loop.needsSettle).toBe(false);
  });

  it('settle() does not wait for tracked venue calls (they may wait on virtual time)', async () => {
    const loop = new RunLoop(new VirtualClock(0));
    void loop.track(new Promise<void>(() => undefined));
    await loop.settle();
    expect(loop.pending).toBe(1);
    expect(loop.needsSettle).toBe(false);
  });

  it('a held write that fails still lets settle() finish', async () => {
    const loop = new RunLoop(new VirtualClock(0));
    loop.hold(Promise.reject(new Error('disk full'))).catch(() => undefined);
    await loop.settle();
    expect(loop.needsSettle).toBe(false);
  });
});
