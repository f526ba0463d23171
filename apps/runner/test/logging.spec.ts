import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ExecutionReportSchema } from '@tranche/core';
import { main } from '../src/index.js';
import { RunnerLogger } from '../src/logging.js';
import { captureIo } from './capture-io.js';

const dir = mkdtempSync(join(tmpdir(), 'tranche-logging-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function lines(written: string[]): Array<Record<string, unknown>> {
  return written.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('RunnerLogger', () => {
  it('is quiet by default (warn), debug with --verbose, and --log-level wins over both', () => {
    const written: string[] = [];
    const write = (line: string): void => void written.push(line);
    new RunnerLogger({ write }).info('hidden');
    new RunnerLogger({ write }).warn('shown');
    new RunnerLogger({ write, verbose: true }).debug('verbose debug');
    new RunnerLogger({ write, verbose: true, level: 'error' }).warn('hidden by --log-level');
    expect(lines(written).map((line) => [line['level'], line['msg']])).toEqual([
      ['warn', 'shown'],
      ['debug', 'verbose debug'],
    ]);
  });

  it('the config section sets levels per component; flags stay above it; children made before follow', () => {
    const written: string[] = [];
    const logger = new RunnerLogger({ write: (line) => void written.push(line), level: 'warn' });
    const execution = logger.child({ component: 'execution', executionId: 'e1' });
    execution.info('before the section');
    logger.configure({ level: 'debug', components: { execution: 'info', 'monitor-quality': 'error' } });
    execution.info('after the section');
    execution.debug('below the component level');
    logger.child({ component: 'monitor-quality' }).warn('below its level');
    logger.info('root at the flag level, not the section’s');
    expect(lines(written).map((line) => line['msg'])).toEqual(['after the section']);
    expect(lines(written)[0]).toMatchObject({ component: 'execution', executionId: 'e1' });
  });

  it('a bad section is a validation error naming the key', () => {
    expect(() => new RunnerLogger({ write: () => undefined }).configure({ file: { path: join(dir, 'x.log'), max_bytes: 5 } })).toThrow(/file\.maxBytes must be/);
  });
});

describe('tranche execute logging', () => {
  it('--json keeps stdout pure JSON while logs go to stderr and --log-file; the config section routes component levels and rotation', async () => {
    const logFile = join(dir, 'run.log');
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ 'journal-sqlite': { path: ':memory:' }, 'logger-pino': { components: { execution: 'debug' }, file: { max_bytes: 1_048_576, keep: 2 } } }));
    const io = captureIo();
    const stderr: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (stderr.push(String(chunk)), true));
    let code: number;
    try {
      code = await main(['execute', '--json', '--config', config, '--log-file', logFile, '--log-format', 'json', '--order', JSON.stringify({ symbol: 'BTC/USDT', side: 'buy', type: 'twap', quantity: 0.5, params: { durationMs: 60_000, slices: 3 } })], io);
    } finally {
      spy.mockRestore();
    }
    expect(code, io.err.text).toBe(0);
    const report = ExecutionReportSchema.parse(JSON.parse(io.out.text));
    // The default level stays warn; the execution component logs at debug from the section, on stderr and in the file.
    const stderrLines = stderr.join('').trim().split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const fileLines = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const written of [stderrLines, fileLines]) {
      const execution = written.filter((line) => line['component'] === 'execution' && line['executionId'] === report.id);
      expect(execution.at(0)).toMatchObject({ level: 'info', msg: 'execution started', symbol: 'BTC/USDT', side: 'buy', strategy: 'twap' });
      expect(execution.at(-1)).toMatchObject({ level: 'info', msg: 'execution ended', filledQuantity: report.filledQuantity });
      expect(execution.filter((line) => line['msg'] === 'fill')).toHaveLength(report.fills.length);
      expect(written.filter((line) => line['component'] !== 'execution' && (line['level'] === 'debug' || line['level'] === 'info'))).toEqual([]);
    }
  }, 60_000);
});
