export * from './subject-pattern.js';
export * from './in-process-message-bus.js';
export * from './in-memory-work-queue.js';
export * from './in-memory-lease-store.js';
