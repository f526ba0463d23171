export * from './execution-quality.schema.js';
