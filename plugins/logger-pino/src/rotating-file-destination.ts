import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { TrancheError } from '@tranche/core';

/** Options of a `RotatingFileDestination`. */
export interface RotatingFileOptions {
  /** The live log file; rotated files are `<path>.1` (newest) … `<path>.<keep>`. */
  path: string;
  /** Rotate before a write would take the live file past this many bytes. */
  maxBytes: number;
  /** Rotated files kept besides the live one (0: the live file is truncated on rotation). */
  keep: number;
}

/**
 * A pino destination that appends lines to a file and rotates it by size: before a write
 * that would take the file past `maxBytes`, `<path>.<keep-1>` … `<path>.1` move up one,
 * `<path>` becomes `<path>.1` and a new `<path>` is opened. Writes are synchronous and
 * whole (pino hands over one complete line per `write`), so rotation happens only
 * between lines: no line is lost or split across files. A single line longer than
 * `maxBytes` goes whole into a fresh file.
 */
export class RotatingFileDestination {
  private fd: number;
  private size: number;
  private closed = false;

  constructor(private readonly options: RotatingFileOptions) {
    try {
      mkdirSync(dirname(options.path), { recursive: true });
      this.fd = openSync(options.path, 'a');
      this.size = fstatSync(this.fd).size;
    } catch (error) {
      throw new TrancheError('validation', `invalid log file: cannot open ${options.path} (${(error as Error).message})`, { field: 'file.path', retryable: false });
    }
  }

  /** Appends `chunk` (one or more whole lines), rotating first when it would not fit. */
  write(chunk: string): boolean {
    if (this.closed) return false;
    const bytes = Buffer.from(chunk, 'utf8');
    if (this.size > 0 && this.size + bytes.length > this.options.maxBytes) this.rotate();
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
    this.size += bytes.length;
    return true;
  }

  /** Moves the live file to `<path>.1` (older ones up, the oldest dropped) and reopens `<path>`. */
  rotate(): void {
    closeSync(this.fd);
    const { path, keep } = this.options;
    if (keep === 0) {
      rmSync(path, { force: true });
    } else {
      rmSync(`${path}.${keep}`, { force: true });
      for (let index = keep - 1; index >= 1; index--) {
        if (existsSync(`${path}.${index}`)) renameSync(`${path}.${index}`, `${path}.${index + 1}`);
      }
      renameSync(path, `${path}.1`);
    }
    this.fd = openSync(path, 'a');
    this.size = 0;
  }

  /** Bytes in the live file. */
  get bytes(): number {
    return this.size;
  }

  /** Closes the file; later writes are dropped. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
