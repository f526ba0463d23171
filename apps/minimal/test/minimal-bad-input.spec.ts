import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXIT_INVALID_INPUT, main, parseMinimalArgs } from '../src/index.js';
import { captureIo } from './capture.js';

/** Bad command lines and the flag and value their one error must name. */
const BAD_INPUT: ReadonlyArray<{ argv: string[]; says: RegExp }> = [
  { argv: ['--side', 'hold'], says: /invalid flag: --side .*got "hold"/ },
  { argv: ['--quantity', '0'], says: /invalid flag: --quantity must be greater than 0, got "0"|invalid flag: --quantity .*got/ },
  { argv: ['--quantity=-1'], says: /invalid flag: --quantity .*got "-1"/ },
  { argv: ['--quantity', '-1'], says: /invalid command line: Option '--quantity' argument is ambiguous/ },
  { argv: ['--quantity', 'lots'], says: /invalid flag: --quantity .*got "lots"/ },
  { argv: ['--duration', '5y'], says: /invalid flag: --duration must be a duration .*got "5y"/ },
  { argv: ['--duration', '10ms'], says: /invalid flag: --duration must be at least 1s/ },
  { argv: ['--duration', '25h'], says: /invalid flag: --duration must be at most 24h/ },
  { argv: ['--slices', '2.5'], says: /invalid flag: --slices must be a whole number, got "2.5"/ },
  { argv: ['--limit-price', 'market'], says: /invalid flag: --limit-price .*got "market"/ },
  { argv: ['--data', '/no/such/dir'], says: /invalid flag: --data must be an existing directory, got "\/no\/such\/dir"/ },
  { argv: ['--speed', 'fast'], says: /invalid flag: --speed must be "max" or a positive factor .*got "fast"/ },
  { argv: ['--symbol', 'btcusdt'], says: /invalid flag: --symbol must look like BASE\/QUOTE/ },
  { argv: ['--symbol', 'ETH/BTC'], says: /symbol "ETH\/BTC" has no recorded data/ },
  { argv: ['--log-level', 'loud'], says: /invalid flag: --log-level .*got "loud"/ },
  { argv: ['--venue', 'ccxt'], says: /invalid command line: Unknown option '--venue'/ },
  { argv: ['buy'], says: /invalid command line: Unexpected argument 'buy'/ },
];

describe('tranche-minimal bad input', () => {
  it.each(BAD_INPUT)('$argv → one clear error, exit 2, nothing on stdout', async ({ argv, says }) => {
    const io = captureIo();
    const code = await main(argv, io, new EventEmitter());
    expect(code).toBe(EXIT_INVALID_INPUT);
    expect(io.out.text).toBe('');
    const lines = io.err.text.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: /);
    expect(lines[0]).toMatch(says);
  });

  it('--help prints the usage and exits 0', async () => {
    const io = captureIo();
    expect(await main(['--help'], io, new EventEmitter())).toBe(0);
    expect(io.out.text).toMatch(/^Usage: tranche-minimal/);
  });

  it('property: any duration written with a unit parses to that many milliseconds', () => {
    const units = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])), fc.integer({ min: 1, max: 86_400_000 }), (unit, amount) => {
        const ms = amount * units[unit];
        let command: ReturnType<typeof parseMinimalArgs> | undefined;
        let error: unknown;
        try {
          command = parseMinimalArgs(['--duration', `${amount}${unit}`]);
        } catch (caught) {
          error = caught;
        }
        if (ms < 1_000 || ms > 86_400_000) {
          expect(error).toMatchObject({ kind: 'validation', field: '--duration' });
        } else {
          expect(command).toMatchObject({ help: false, settings: { duration: ms } });
        }
      }),
    );
  });

  it('property: a side that is not buy or sell is refused, naming --side and the value', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((side) => side !== 'buy' && side !== 'sell' && !side.startsWith('-')),
        (side) => {
          expect(() => parseMinimalArgs(['--side', side])).toThrow(/invalid flag: --side/);
        },
      ),
    );
  });
});
