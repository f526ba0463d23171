import type { MinimalIo } from '../src/index.js';

/** A sink that keeps what is written. */
export interface Captured {
  text: string;
  write(chunk: string): boolean;
}

/** Captures the app's stdout and stderr; `onStderr` sees every stderr chunk as it is written. */
export function captureIo(onStderr?: (chunk: string) => void): MinimalIo & { out: Captured; err: Captured } {
  const out: Captured = {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      return true;
    },
  };
  const err: Captured = {
    text: '',
    write(chunk: string) {
      this.text += chunk;
      onStderr?.(chunk);
      return true;
    },
  };
  return { out, err, stdout: out, stderr: err };
}
