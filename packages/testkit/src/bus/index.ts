export { eventually, settleRounds, uniqueToken, type Settle } from './eventually.js';
export { messageBusContract, type MessageBusHarness } from './message-bus-contract.js';
export { workQueueContract, type WorkQueueHarness } from './work-queue-contract.js';
export { leaseStoreContract, type LeaseStoreHarness } from './lease-store-contract.js';
