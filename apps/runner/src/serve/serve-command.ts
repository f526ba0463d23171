import type { Command } from 'commander';
import type { RunnerIo } from '../run-execution.js';

/** Registers `tranche serve`: the live web dashboard. */
export function registerServeCommand(program: Command, io: RunnerIo, setVerbose: (verbose: boolean) => void): void {
  void program;
  void io;
  void setVerbose;
}
