import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, timer } from 'rxjs';
import { LiveClock, TrancheError } from '@tranche/core';

/** The built `tranche` CLI (`apps/runner/bin/tranche.js`). */
export const TRANCHE_BIN = fileURLToPath(new URL('../../bin/tranche.js', import.meta.url));

const clock = new LiveClock();

/** A child process started by the cluster tools, with its output so far. */
export interface ClusterProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code (or the signal's name) once it exited. */
  readonly exited: Promise<number | string>;
  /** Resolves when `pattern` appears on stdout or stderr; rejects after `timeoutMs` or when the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
}

/** Starts a process and captures its output. */
export function startProcess(name: string, command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ClusterProcess {
  const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = (): void => listeners.forEach((listener) => listener());
  child.stdout!.on('data', (chunk: Buffer) => ((stdout += chunk.toString()), notify()));
  child.stderr!.on('data', (chunk: Buffer) => ((stderr += chunk.toString()), notify()));
  const exited = new Promise<number | string>((resolve) => {
    child.once('error', (error) => ((stderr += `\n${error.message}`), resolve('error')));
    child.once('close', (code, signal) => (notify(), resolve(code ?? signal ?? 'unknown')));
  });
  const waitFor = (pattern: RegExp, timeoutMs = 30_000): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (pattern.test(stdout) || pattern.test(stderr)) return done(), resolve();
        if (child.exitCode !== null || child.signalCode !== null) return done(), reject(new TrancheError('internal', `${name} exited before printing ${pattern}:\n${stderr.slice(-2_000)}`, { retryable: false }));
      };
      const guard = timer(timeoutMs, clock.scheduler).subscribe(() => (done(), reject(new TrancheError('timeout-ambiguous', `${name} did not print ${pattern} within ${timeoutMs} ms:\n${stderr.slice(-2_000)}`, { retryable: false }))));
      const done = (): void => {
        listeners.delete(check);
        guard.unsubscribe();
      };
      listeners.add(check);
      check();
    });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<number | string> => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill(signal);
    const killer = timer(graceMs, clock.scheduler).subscribe(() => child.kill('SIGKILL'));
    try {
      return await exited;
    } finally {
      killer.unsubscribe();
    }
  };
  return { name, child, stdout: () => stdout, stderr: () => stderr, exited, waitFor, stop };
}

/** Starts `tranche <args>` (the built CLI) as a child process. */
export function startTranche(name: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): ClusterProcess {
  return startProcess(name, process.execPath, [TRANCHE_BIN, ...args], options);
}

/** A free TCP port on 127.0.0.1 (asked of the OS). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new TrancheError('internal', 'no free port', { retryable: false }))));
    });
  });
}

/** The `nats-server` binary: `NATS_SERVER_BIN`, else the usual places (tools/ensure-nats-server.sh installs it). */
export function findNatsServer(): string | undefined {
  const candidates = [process.env['NATS_SERVER_BIN'], ...(process.env['PATH'] ?? '').split(':').map((dir) => join(dir, 'nats-server')), '/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== '' && existsSync(candidate));
}

/** A NATS server with JetStream started for a demo or a bench. */
export interface LocalNatsServer {
  readonly url: string;
  readonly process: ClusterProcess;
  /** Stops the server and removes its store. */
  stop(): Promise<void>;
}

/** Starts `nats-server -js` on a free port with a fresh store directory; resolves once it accepts clients. */
export async function startLocalNatsServer(): Promise<LocalNatsServer> {
  const binary = findNatsServer();
  if (!binary) throw new TrancheError('validation', 'nats-server is not installed: run tools/ensure-nats-server.sh (or set NATS_SERVER_BIN), or pass --nats <url> of a running server', { field: 'nats-server', retryable: false });
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'tranche-nats-'));
  const server = startProcess('nats-server', binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir]);
  await server.waitFor(/Server is ready/, 15_000);
  return {
    url: `nats://127.0.0.1:${port}`,
    process: server,
    stop: async () => {
      await server.stop('SIGTERM', 5_000);
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}

/** Waits `ms` of wall time on the live clock. */
export function pause(ms: number): Promise<unknown> {
  return firstValueFrom(timer(ms, clock.scheduler));
}
