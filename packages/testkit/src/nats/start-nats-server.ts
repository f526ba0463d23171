import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, timer } from 'rxjs';

/** A nats-server child process with JetStream on, for tests. */
export interface NatsServerHandle {
  /** `nats://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** JetStream's temporary store directory (removed by `stop()`). */
  readonly storeDir: string;
  /** The server's version line (`nats-server: v2.9.10`). */
  readonly version: string;
  /** Stops the server gracefully (SIGTERM, then SIGKILL after 5 s) and removes its store. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL), keeping its store: a crash, for outage tests. */
  kill(): Promise<void>;
  /** Starts the killed server again on the same port and store (JetStream state comes back from disk). */
  restart(): Promise<void>;
}

/** Options of `startNatsServer`. */
export interface StartNatsServerOptions {
  /** How long to wait for the server to accept connections with JetStream ready, ms (default 15 000). */
  readyTimeoutMs?: number;
  /** Store directory to use instead of a fresh temporary one. */
  storeDir?: string;
}

const CANDIDATES = ['/usr/bin/nats-server', '/usr/sbin/nats-server', '/usr/local/bin/nats-server'];
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Where `nats-server` is: `NATS_SERVER_BIN`, the usual Debian paths or `PATH`; when
 * missing, runs the project's `tools/ensure-nats-server.sh` (installs Debian's package
 * when root) once. Returns `{ path }` or `{ reason }` saying why there is none.
 */
export function findNatsServer(): { path: string; reason?: undefined } | { path?: undefined; reason: string } {
  const found = lookUp();
  if (found) return { path: found };
  const script = ensureScript();
  if (!script) return { reason: 'nats-server is not installed and tools/ensure-nats-server.sh was not found' };
  const result = spawnSync('bash', [script], { encoding: 'utf8', timeout: 600_000 });
  const installed = result.status === 0 ? result.stdout.trim().split('\n').pop() : undefined;
  if (installed && existsSync(installed)) return { path: installed };
  const detail = (result.stderr || result.error?.message || `exit ${String(result.status)}`).trim().split('\n').slice(-2).join(' ');
  return { reason: `nats-server is not installed and tools/ensure-nats-server.sh could not install it: ${detail}` };
}

/**
 * Why NATS tests cannot run here, or `undefined` when they can. Under `CI` a missing
 * server is a failure, not a reason to skip: this throws instead. `find` is the look-up
 * (replaceable in tests of this rule).
 */
export function natsServerUnavailableReason(find: typeof findNatsServer = findNatsServer): string | undefined {
  const found = find();
  if (found.path) return undefined;
  if (process.env['CI']) throw new Error(`CI must run the NATS tests: ${found.reason}`);
  return found.reason;
}

/**
 * Starts `nats-server -js -a 127.0.0.1 -p <free port> -sd <temp dir>` as a child
 * process, waits until it accepts connections and JetStream answers, and returns a
 * handle. The server is killed when this process exits.
 */
export async function startNatsServer(options: StartNatsServerOptions = {}): Promise<NatsServerHandle> {
  const found = findNatsServer();
  if (!found.path) throw new Error(found.reason);
  const binary = found.path;
  const version = (spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout ?? '').trim();
  const ownStore = options.storeDir === undefined;
  const storeDir = options.storeDir ?? mkdtempSync(join(tmpdir(), 'tranche-nats-'));
  const port = await freePort();
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  installExitHook();
  let child = await launch(binary, port, storeDir, readyTimeoutMs);

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const current = child;
    if (current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise<void>((done) => current.once('exit', () => done()));
    current.kill(signal);
    if (signal === 'SIGKILL') {
      await exited;
      return;
    }
    const forced = firstValueFrom(timer(5_000)).then(() => current.kill('SIGKILL'));
    await Promise.race([exited, forced]);
    await exited;
  };

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    version,
    stop: async () => {
      await terminate('SIGTERM');
      if (ownStore) rmSync(storeDir, { recursive: true, force: true });
    },
    kill: () => terminate('SIGKILL'),
    restart: async () => {
      await terminate('SIGKILL');
      child = await launch(binary, port, storeDir, readyTimeoutMs);
    },
  };
}

async function launch(binary: string, port: number, storeDir: string, readyTimeoutMs: number): Promise<ChildProcess> {
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // nats-server logs to stderr; keep the tail for an error message, never let the pipe fill up.
    output = (output + chunk.toString('utf8')).slice(-4_000);
  });
  child.once('exit', () => running.delete(child));
  const pollMs = 25;
  for (let waitedMs = 0; ; waitedMs += pollMs) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`nats-server exited at start-up (${String(child.exitCode ?? child.signalCode)}): ${output.trim()}`);
    // "Server is ready" comes after JetStream has started (its store recovered) and the client port is listening.
    if (/Server is ready/.test(output) && (await accepts(port))) return child;
    if (waitedMs > readyTimeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`nats-server did not become ready within ${readyTimeoutMs} ms on port ${port}: ${output.trim()}`);
    }
    await firstValueFrom(timer(pollMs));
  }
}

function lookUp(): string | undefined {
  const fromEnv = process.env['NATS_SERVER_BIN'];
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const candidate of CANDIDATES) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  const onPath = which.status === 0 ? which.stdout.trim() : '';
  return onPath && existsSync(onPath) ? onPath : undefined;
}

/** The repository's tools/ensure-nats-server.sh, found upwards from this file. */
function ensureScript(): string | undefined {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 8; depth++) {
    const candidate = join(directory, 'tools', 'ensure-nats-server.sh');
    if (existsSync(candidate)) return candidate;
    const parent = resolve(directory, '..');
    if (parent === directory) break;
    directory = parent;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test runner that exits (or a worker thread that ends) must not leave servers behind.
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}
