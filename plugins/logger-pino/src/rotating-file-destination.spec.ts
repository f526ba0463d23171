import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { createPinoLogger } from './pino-logger.js';
import { RotatingFileDestination } from './rotating-file-destination.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tranche-rotate-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The files of a rotated log, oldest first: `<path>.<keep>` … `<path>.1`, `<path>`. */
function filesOldestFirst(path: string, keep: number): string[] {
  const files: string[] = [];
  for (let index = keep; index >= 1; index--) if (existsSync(`${path}.${index}`)) files.push(`${path}.${index}`);
  files.push(path);
  return files;
}

describe('RotatingFileDestination', () => {
  it('rotates by size between lines: no file passes maxBytes, no line is split, the kept files hold the newest lines in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 120 }), fc.integer({ min: 0, max: 4 }), (lengths, keep) => {
        const dir = tempDir();
        const path = join(dir, 'app.log');
        const maxBytes = 1_024;
        const destination = new RotatingFileDestination({ path, maxBytes, keep });
        // Multi-byte characters: sizes are counted in bytes, not characters.
        const lines = lengths.map((length, index) => `${JSON.stringify({ n: index, pad: 'é'.repeat(length) })}\n`);
        for (const line of lines) destination.write(line);
        destination.close();
        const files = filesOldestFirst(path, keep);
        expect(readdirSync(dir).length).toBeLessThanOrEqual(keep + 1);
        const kept: string[] = [];
        for (const file of files) {
          const text = readFileSync(file, 'utf8');
          const fileLines = text.split('\n').slice(0, -1).map((line) => `${line}\n`);
          expect(text.endsWith('\n')).toBe(true);
          if (fileLines.length > 1) expect(statSync(file).size).toBeLessThanOrEqual(maxBytes);
          kept.push(...fileLines);
        }
        // What is kept is exactly the newest lines, whole and in order.
        expect(kept).toEqual(lines.slice(lines.length - kept.length));
        expect(kept.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps appending to an existing file and counts its size', () => {
    const dir = tempDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, 'x'.repeat(1_000) + '\n');
    const destination = new RotatingFileDestination({ path, maxBytes: 1_024, keep: 2 });
    expect(destination.bytes).toBe(1_001);
    destination.write('a'.repeat(30) + '\n');
    destination.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('x'.repeat(1_000) + '\n');
    expect(readFileSync(path, 'utf8')).toBe('a'.repeat(30) + '\n');
  });

  it('an unwritable path is a validation error naming file.path', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'not-a-dir'), '');
    expect(() => new RotatingFileDestination({ path: join(dir, 'not-a-dir', 'app.log'), maxBytes: 2_048, keep: 1 })).toThrow(/invalid log file: cannot open/);
  });

  it('through createPinoLogger: 3 000 lines rotate into keep + 1 files of whole JSON lines, none lost among the kept', () => {
    const dir = tempDir();
    const path = join(dir, 'tranche.log');
    const logger = createPinoLogger({ level: 'debug', terminal: false, file: { path, maxBytes: 32 * 1_024, keep: 3 } });
    for (let n = 0; n < 3_000; n++) logger.child({ executionId: `e${n % 7}` }).debug('fill', { n, price: 61_000 + n / 100 });
    logger.close();
    const numbers = filesOldestFirst(path, 3).flatMap((file) =>
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { n: number }).n),
    );
    expect(readdirSync(dir).sort()).toEqual(['tranche.log', 'tranche.log.1', 'tranche.log.2', 'tranche.log.3']);
    // Consecutive up to the newest: the oldest lines went with the dropped file, none in between.
    expect(numbers.at(-1)).toBe(2_999);
    expect(numbers).toEqual(numbers.map((_, index) => numbers[0]! + index));
    for (const file of filesOldestFirst(path, 3)) expect(statSync(file).size).toBeLessThanOrEqual(32 * 1_024);
  });
});
