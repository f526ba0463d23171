import { TrancheError } from '@tranche/core';

/** Parses `--metrics-port`: an integer from 0 (any free port) to 65535. */
export function parseMetricsPort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TrancheError('validation', `invalid --metrics-port: must be an integer from 0 to 65535, got ${JSON.stringify(value)}`, { field: '--metrics-port', retryable: false });
  }
  return port;
}
