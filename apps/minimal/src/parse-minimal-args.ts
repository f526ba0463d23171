import { parseArgs } from 'node:util';
import { TrancheError, parseInput } from '@tranche/core';
import { MinimalSettingsSchema, type MinimalSettings } from './minimal-settings.schema.js';

/** The command-line flags of `tranche-minimal` (kebab-case, as typed). */
const FLAGS = {
  side: { type: 'string' },
  quantity: { type: 'string' },
  symbol: { type: 'string' },
  duration: { type: 'string' },
  slices: { type: 'string' },
  'limit-price': { type: 'string' },
  data: { type: 'string' },
  speed: { type: 'string' },
  json: { type: 'boolean' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The usage text of `tranche-minimal --help`. */
export const MINIMAL_USAGE = `Usage: tranche-minimal [flags]

Runs one TWAP on recorded Binance data against the paper exchange, in virtual time.

  --side <buy|sell>       order side (default buy)
  --quantity <qty>        parent quantity in the base currency (default 0.5)
  --symbol <BASE/QUOTE>   symbol in the recorded data (default BTC/USDT)
  --duration <time>       TWAP window: 90s, 5m, 1h or milliseconds (default 5m)
  --slices <n>            number of slices (default: one a minute, at least 5)
  --limit-price <price>   worst price accepted
  --data <dir>            directory of recorded captures (default: the bundled data)
  --speed <max|factor>    max = virtual time (default), or a factor of real time
  --json                  print the report as JSON on stdout
  --log-level <level>     debug, info, warn (default), error or silent
  -h, --help              this text

Ctrl-C cancels the execution (working child orders are cancelled) and prints the report.
Exit codes: 0 run completed (whatever the fill), 1 failure, 2 invalid input, 130 interrupted.
`;

/** What the command line asks for: a run with these settings, or the usage text. */
export type MinimalCommand = { help: true } | { help: false; settings: MinimalSettings };

/** `limit-price` → `limitPrice`. */
function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `limitPrice` → `--limit-price`, so errors name the flag as the user typed it. */
function flagName(key: PropertyKey): string {
  return `--${String(key).replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * Parses the command line: unknown flags, positional arguments and bad values are one
 * validation `TrancheError` naming the flag and its value.
 */
export function parseMinimalArgs(argv: readonly string[]): MinimalCommand {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof FLAGS; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: FLAGS, strict: true, allowPositionals: false });
  } catch (error) {
    // node:util's messages span lines ("… is ambiguous.\nDid you forget …?"): one line, one error.
    const message = (error as Error).message.split('\n').join(' ');
    throw new TrancheError('validation', `invalid command line: ${message}`, { field: 'argv', retryable: false });
  }
  const { help, ...values } = parsed.values;
  if (help === true) return { help: true };
  const input = Object.fromEntries(Object.entries(values).map(([flag, value]) => [camel(flag), value]));
  const settings = parseInput(MinimalSettingsSchema, input, 'flag', (path) => (path.length > 0 ? flagName(path[0]!) : 'flags'));
  return { help: false, settings };
}
