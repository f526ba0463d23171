export { eventually, settleRounds, uniqueToken, type Settle } from './eventually.js';
export { messageBusContract, type MessageBusHarness } from './message-bus-contract.js';
export { workQueueContract, type WorkQueueHarness } from './work-queue-contract.js';
export { leaseStoreContract, type LeaseStoreHarness } from './lease-store-contract.js';
export {
  executionJournalContract,
  journalEndedEvent,
  journalIntentEvent,
  journalStartedEvent,
  type ExecutionJournalHarness,
} from './execution-journal-contract.js';
