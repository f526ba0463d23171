import type { RunnerIo } from '../src/index.js';

/** A writable that keeps what is written, for CLI tests. */
export interface CapturedStream {
  text: string;
  isTTY: boolean;
  columns: number;
  write(chunk: string): boolean;
}

/** Captures the runner's stdout and stderr. */
export function captureIo(): RunnerIo & { out: CapturedStream; err: CapturedStream } {
  const stream = (): CapturedStream => ({
    text: '',
    isTTY: false,
    columns: 120,
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  });
  const out = stream();
  const err = stream();
  return { out, err, stdout: out as unknown as NodeJS.WriteStream, stderr: err as unknown as NodeJS.WriteStream };
}
