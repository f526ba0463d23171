import { afterAll, describe, expect, it } from 'vitest';
import { ExecutionJournal, LiveClock, TrancheError, createTranche } from '@tranche/core';
import { executionJournalContract, journalEndedEvent, journalIntentEvent, journalStartedEvent, natsServerUnavailableReason, startNatsServer, uniqueToken } from '@tranche/testkit';
import busNatsPlugin, { NatsJournalConfigSchema, journalNatsPlugin } from '../src/index.js';
import { NatsExecutionJournal } from '../src/nats-execution-journal.js';
import { natsConfig, newConnection, sharedServer, stopSharedServer } from './nats-harness.js';

const unavailable = natsServerUnavailableReason();
if (unavailable) console.warn(`skipping @tranche/bus-nats journal tests: ${unavailable}`);

async function openJournal(url: string, scope: string): Promise<NatsExecutionJournal> {
  const config = natsConfig(url);
  const journal = new NatsExecutionJournal(newConnection(config), config, NatsJournalConfigSchema.parse({ stream: `JOURNAL_${scope}`, subjectPrefix: `journal${scope}` }), new LiveClock());
  await journal.initialize();
  return journal;
}

describe.skipIf(unavailable !== undefined)('NatsExecutionJournal on a real nats-server', () => {
  afterAll(stopSharedServer);

  executionJournalContract('NatsExecutionJournal', async () => {
    const server = await sharedServer();
    const stream = uniqueToken();
    const journals: NatsExecutionJournal[] = [];
    return {
      openJournal: async () => {
        const journal = await openJournal(server.url, stream);
        journals.push(journal);
        return journal;
      },
      close: async () => {
        for (const journal of journals) await journal.close();
      },
    };
  });

  it('refuses the writes of a process that lost the execution to another (fencing on the expected sequence)', async () => {
    const server = await sharedServer();
    const stream = uniqueToken();
    const id = uniqueToken('e');
    const stale = await openJournal(server.url, stream);
    const taker = await openJournal(server.url, stream);
    await stale.record(journalStartedEvent(id));
    await stale.record(journalIntentEvent(id, 1));
    // The taker resumes: it reads the journal and writes on.
    expect(await taker.events(id)).toHaveLength(2);
    await taker.record(journalIntentEvent(id, 2));
    const error = await stale.record(journalIntentEvent(id, 3)).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(TrancheError);
    expect((error as TrancheError).message).toMatch(/written by another process/);
    await taker.record(journalEndedEvent(id));
    expect((await taker.events(id)).map((event) => event.type)).toEqual(['execution-started', 'child-order-intent', 'child-order-intent', 'execution-ended']);
    expect((await taker.events(id)).map((event) => (event.type === 'child-order-intent' ? event.order.clientOrderId : '-'))).toEqual(['-', `${id}-1`, `${id}-2`, '-']);
    expect(await taker.compact()).toEqual({ executions: 1, events: 4 });
    expect(await taker.events(id)).toEqual([]);
    await stale.close();
    await taker.close();
  });

  it('keeps every acknowledged event through a server crash (SIGKILL) for a journal in another process', async () => {
    const server = await startNatsServer();
    try {
      const scope = uniqueToken();
      const writer = await openJournal(server.url, scope);
      const id = uniqueToken('e');
      const written = [journalStartedEvent(id), ...Array.from({ length: 200 }, (_, n) => journalIntentEvent(id, n + 1))];
      await Promise.all(written.map((event) => writer.record(event)));
      await server.kill();
      await server.restart();
      const reader = await openJournal(server.url, scope);
      expect(await reader.events(id)).toEqual(written);
      expect(await reader.unfinished()).toEqual([id]);
      await reader.close();
      await writer.close();
    } finally {
      await server.stop();
    }
  });

  it('is bound as the ExecutionJournal by the journal-nats plugin, replacing an earlier journal', () => {
    const tranche = createTranche({ config: { 'bus-nats': { url: 'nats://127.0.0.1:1' }, 'journal-nats': { stream: 'J' } }, plugins: [busNatsPlugin, journalNatsPlugin] });
    expect(tranche.get(ExecutionJournal)).toBeInstanceOf(NatsExecutionJournal);
  });
});
