import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MinimalReport } from '../src/index.js';

const BIN = fileURLToPath(new URL('../bin/tranche-minimal.js', import.meta.url));

describe('tranche-minimal as a process (built bin)', () => {
  it('a real SIGINT cancels the execution, prints the report and exits 130', async () => {
    // Real time (speed 1) over a 10-minute window: the run is still working when the signal comes.
    const child = spawn(process.execPath, [BIN, '--json', '--quantity', '1', '--duration', '10m', '--speed', '1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/^started /m.test(stderr) && child.exitCode === null && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/SIGINT: cancelling the execution/);
    expect(code).toBe(130);
    const report = JSON.parse(stdout) as MinimalReport;
    expect(report.status).toBe('cancelled');
    expect(report.endReason).toMatch(/interrupted \(SIGINT\)/);
    expect(report.filledQuantity).toBeLessThan(1);
  });
});
