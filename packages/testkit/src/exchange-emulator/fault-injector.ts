import { TrancheError } from '@tranche/core';
import { EMULATOR_FAULT_KINDS, type EmulatorFaultKind, type EmulatorFaultOptions, type EmulatorFaultRecord } from './emulator-types.js';
import { seededRandom } from './seeded-random.js';

/** Request-level kinds: drawn once per eligible REST request. */
const REQUEST_KINDS: ReadonlySet<EmulatorFaultKind> = new Set(['timeout-after-execute', '5xx', '429', '418', 'drop-socket', 'ws-disconnect', 'malformed-payload']);

/** Checks fault options, throwing a `validation` TrancheError for bad ones. */
export function validateFaultOptions(options: EmulatorFaultOptions): EmulatorFaultOptions {
  if (!(options.rate >= 0 && options.rate <= 1)) {
    throw new TrancheError('validation', `faults.rate must be between 0 and 1, got ${options.rate}`, { field: 'faults.rate' });
  }
  for (const kind of options.kinds) {
    if (!EMULATOR_FAULT_KINDS.includes(kind)) {
      throw new TrancheError('validation', `unknown fault kind '${kind}' (known: ${EMULATOR_FAULT_KINDS.join(', ')})`, { field: 'faults.kinds' });
    }
  }
  if (options.scope !== undefined && options.scope !== 'orders' && options.scope !== 'private') {
    throw new TrancheError('validation', `faults.scope must be 'orders' or 'private'`, { field: 'faults.scope' });
  }
  return options;
}

/**
 * Seeded fault decisions and the log of every fault injected. For each eligible request,
 * with probability `rate`, one of the configured request-level kinds is drawn; separately,
 * each fill's `executionReport` is dropped with probability `rate` when `drop-ws-fill` is
 * configured.
 */
export class FaultInjector {
  private options: EmulatorFaultOptions = { rate: 0, kinds: [] };
  private random: () => number = seededRandom(1);
  private readonly log: EmulatorFaultRecord[] = [];

  constructor(options?: EmulatorFaultOptions) {
    if (options) this.configure(options);
  }

  /** Replaces the settings and reseeds the generator. */
  configure(options: EmulatorFaultOptions): void {
    this.options = validateFaultOptions({ ...options, kinds: [...options.kinds] });
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Whether a request to `method path` may be faulted under the current scope. */
  eligible(method: string, path: string, signed: boolean): boolean {
    if (this.options.scope === 'private') return signed;
    return path === '/api/v3/order' && (method === 'POST' || method === 'DELETE');
  }

  /** Draws the fault of one request, or undefined. */
  drawRequestFault(): EmulatorFaultKind | undefined {
    const kinds = this.options.kinds.filter((k) => REQUEST_KINDS.has(k));
    if (kinds.length === 0 || this.options.rate <= 0) return undefined;
    if (this.random() >= this.options.rate) return undefined;
    return kinds[Math.floor(this.random() * kinds.length)];
  }

  /** Whether this fill's executionReport is dropped. */
  dropFillEvent(): boolean {
    if (!this.options.kinds.includes('drop-ws-fill') || this.options.rate <= 0) return false;
    return this.random() < this.options.rate;
  }

  /** Records an injected fault. */
  record(entry: EmulatorFaultRecord): void {
    this.log.push(entry);
  }

  /** Every fault injected so far (copies). */
  faults(): EmulatorFaultRecord[] {
    return this.log.map((entry) => ({ ...entry }));
  }
}
