import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TrancheError } from '../errors/tranche-error.js';
import { loadConfigFile, parseConfigText } from './config-file.js';
import { parseTrancheConfig } from './create-tranche.js';
import { definePlugin } from './define-plugin.js';

/**
 * Bad config input refused whole: one validation error naming the key (or the file)
 * and the value, at every level, for JSON and YAML alike.
 */

const withSettings = definePlugin({
  name: 'with-settings',
  version: '1.0.0',
  configSchema: z.object({ depthLevels: z.number().int().positive().default(20), nested: z.object({ rate: z.number().max(1).default(0.5) }).strict().prefault({}) }).strict(),
  module: new ContainerModule(() => undefined),
});
const withoutSettings = definePlugin({ name: 'no-settings', version: '1.0.0', module: new ContainerModule(() => undefined) });
const plugins = [withSettings, withoutSettings];

function errorOf(run: () => unknown): TrancheError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TrancheError);
    return error as TrancheError;
  }
  throw new Error('expected an error');
}

describe('config bad input', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['unknown core key', { max_retires: 3 }, /unknown key "max_retires"/],
    ['unknown nested core key', { strategy_optimizer: { min_sampels: 3 } }, /unknown key "strategy_optimizer.min_sampels"/],
    ['wrong type, core', { max_retries: 'three' }, /max_retries must be a number, got "three"/],
    ['negative, core', { max_retries: -1 }, /max_retries must be >=0, got -1/],
    ['Infinity (JSON 1e400), core', JSON.parse('{"max_retries": 1e400}'), /max_retries must be a number, got Infinity/],
    ['wrong type, nested core', { asset_cache: { cache_ttl: 'x' } }, /asset_cache.cache_ttl must be a number, got "x"/],
    ['unknown key in a plugin section', { 'with-settings': { depthLevel: 5 } }, /unknown key "with-settings.depthLevel"/],
    ['unknown key two levels down in a plugin section', { 'with-settings': { nested: { rat: 1 } } }, /unknown key "with-settings.nested.rat"/],
    ['out of range in a plugin section', { 'with-settings': { nested: { rate: 2 } } }, /with-settings.nested.rate must be <=1, got 2/],
    ['a plugin section that is not an object', { 'with-settings': 5 }, /with-settings must be an object, got 5/],
    ['a key for a plugin without settings', { 'no-settings': { speed: 2 } }, /unknown key "no-settings.speed"/],
    ['a scalar for a plugin without settings', { 'no-settings': 'on' }, /no-settings must be an object, got "on"/],
    ['a section of a plugin not installed', { 'venue-nope': {} }, /unknown key "venue-nope"/],
    ['not an object', [], /invalid config: must be an object/],
  ];
  for (const [name, input, message] of cases) {
    it(`${name}: one validation error naming the key and value`, () => {
      const error = errorOf(() => parseTrancheConfig(input, plugins));
      expect(error.kind).toBe('validation');
      expect(error.message).toMatch(/^invalid config/);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('\n');
    });
  }

  it('an empty section of a plugin without settings is accepted', () => {
    expect(() => parseTrancheConfig({ 'no-settings': {} }, plugins)).not.toThrow();
  });

  it('a YAML alias that refers to its own anchor is a clear error, not a stack overflow', () => {
    for (const text of ['a: &x [*x]\n', 'a: &x\n  b: *x\n', 'plugins: &p\n  - *p\n']) {
      const error = errorOf(() => parseConfigText(text, 'cyclic.yaml'));
      expect(error.kind).toBe('validation');
      expect(error.message).toMatch(/invalid config file "cyclic.yaml": malformed YAML \(an alias refers to its own anchor/);
    }
  });

  it('YAML aliases of a shared (acyclic) value are fine', () => {
    expect(parseConfigText('base: &b { cache_ttl: 5 }\nasset_cache: *b\nother: *b\n', 'shared.yml')).toEqual({ base: { cache_ttl: 5 }, asset_cache: { cache_ttl: 5 }, other: { cache_ttl: 5 } });
  });

  it('files: missing, empty, malformed JSON and YAML name the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tranche-config-'));
    const file = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const expectations: Array<[string, RegExp]> = [
      [join(dir, 'missing.json'), /cannot read config file ".*missing.json": ENOENT/],
      [file('empty.json', ''), /invalid config file ".*empty.json": malformed JSON/],
      [file('cut.json', '{"max_retries": 3,'), /invalid config file ".*cut.json": malformed JSON/],
      [file('bad.yaml', 'a: [1, 2\nb: :'), /invalid config file ".*bad.yaml": malformed YAML/],
      [file('cyclic.yml', 'a: &x [*x]\n'), /invalid config file ".*cyclic.yml": malformed YAML/],
    ];
    for (const [path, message] of expectations) {
      const error = await loadConfigFile(path).then(
        () => undefined,
        (failure: unknown) => failure as TrancheError,
      );
      expect(error, path).toBeInstanceOf(TrancheError);
      expect(error!.kind).toBe('validation');
      expect(error!.message).toMatch(message);
    }
  });
});
