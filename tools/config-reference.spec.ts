import { readFileSync } from 'node:fs';
import { camelCaseKey } from '@tranche/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { OUTPUT, REGENERATE, keyRows, loadSchemas, renderConfigReference, snakeCase, type ConfigSchemas } from './config-reference.mjs';

/** A zod 4 schema's definition, as far as this walk needs it. */
interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Objects reachable from a schema through wrappers (optional, default, prefault, …), pipes and unions. */
function objectsOf(schema: z.ZodType): Record<string, z.ZodType>[] {
  const def = defOf(schema);
  if (def.type === 'object') return [def.shape!];
  if (def.innerType) return objectsOf(def.innerType);
  if (def.type === 'pipe' && def.in) return objectsOf(def.in);
  if (def.type === 'union') return def.options!.flatMap(objectsOf);
  return [];
}

/** Every key path of a schema, read from the zod definitions (independently of the generator's JSON Schema walk). */
function keyPaths(schema: z.ZodType, prefix: string[] = []): string[] {
  return objectsOf(schema).flatMap((shape) => Object.entries(shape).flatMap(([key, child]) => [[...prefix, key].join('.'), ...keyPaths(child, [...prefix, key])]));
}

/** Every object of a schema with its keys, for the "described fully or not at all" rule. */
function describedShapes(schema: z.ZodType, path: string): { path: string; described: string[]; undescribed: string[] }[] {
  return objectsOf(schema).flatMap((shape) => {
    const keys = Object.entries(shape);
    const described = keys.filter(([, child]) => typeof child.description === 'string' && child.description.length > 0).map(([key]) => key);
    const undescribed = keys.filter(([key]) => !described.includes(key)).map(([key]) => key);
    return [{ path, described, undescribed }, ...keys.flatMap(([key, child]) => describedShapes(child, `${path}.${key}`))];
  });
}

/** The (snake, camel) key pairs of the generated reference's tables. */
function referenceKeys(markdown: string): { snake: string; camel: string }[] {
  return [...markdown.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((match) => ({ snake: match[1]!, camel: match[2]! }));
}

let schemas: ConfigSchemas;
let generated: string;

beforeAll(async () => {
  schemas = await loadSchemas();
  generated = renderConfigReference(schemas);
});

describe('configuration reference (docs/configuration.md)', () => {
  it(`is up to date with the schemas (regenerate it with \`${REGENERATE}\`)`, () => {
    const committed = readFileSync(OUTPUT, 'utf8');
    if (committed !== generated) {
      expect.fail(`docs/configuration.md is out of date with the zod schemas of the built packages: run \`${REGENERATE}\` (after \`npm run build\`) and commit the result`);
    }
  });

  it('finds the core schema and the plugins of the workspace, including every plugin the runner installs', () => {
    const names = schemas.plugins.map(({ plugin }) => plugin.name);
    expect(names).toEqual(expect.arrayContaining(['feed-replay', 'venue-paper', 'venue-ccxt', 'strategy-twap', 'journal-sqlite', 'risk-limits']));
    expect(schemas.runnerDefaults.length).toBeGreaterThan(0);
    for (const name of [...schemas.runnerDefaults, ...Object.keys(schemas.runnerVenues)]) expect(names).toContain(name);
    // Each plugin with settings has its own section.
    for (const { plugin } of schemas.plugins.filter((found) => found.plugin.configSchema)) expect(generated).toMatch(new RegExp(`^## ${plugin.name}$`, 'm'));
  });

  it('covers every key of every schema, in snake_case and camelCase, once each', () => {
    const rows = referenceKeys(generated);
    const expected = [
      ...keyPaths(schemas.coreSchema),
      ...schemas.plugins.flatMap(({ plugin }) => (plugin.configSchema ? keyPaths(plugin.configSchema, [plugin.name]) : [])),
    ];
    expect(expected.length).toBeGreaterThan(100);
    expect(rows.map((row) => row.camel).sort()).toEqual([...new Set(expected)].sort());
    for (const row of rows) {
      expect(row.snake).toBe(row.camel.split('.').map(snakeCase).join('.'));
      // What a user writes is what the config loader reads: core's own snake → camel rule gives the schema key back.
      expect(row.snake.split('.').map(camelCaseKey).join('.')).toBe(row.camel);
    }
  });

  it('gives each key its type, default and the description from its schema', () => {
    const core = keyRows(schemas.coreSchema);
    expect(core.find((row) => row.snake === 'max_retries')).toMatchObject({ type: 'integer', allowed: '0–20', default: '`3`' });
    const paper = keyRows(schemas.plugins.find(({ plugin }) => plugin.name === 'venue-paper')!.plugin.configSchema!, ['venue-paper']);
    expect(paper.find((row) => row.snake === 'venue-paper.queue_model')).toMatchObject({ type: '"conservative" | "pro-rata"', default: '`"conservative"`' });
    expect(paper.find((row) => row.snake === 'venue-paper.latency_ms')?.description).toMatch(/arrival at the matching engine/);
    const replay = keyRows(schemas.plugins.find(({ plugin }) => plugin.name === 'feed-replay')!.plugin.configSchema!, ['feed-replay'], {
      cwd: process.cwd(),
      packageDirs: schemas.plugins.map(({ dir, package: name }) => ({ dir, name })),
    });
    // Machine paths are written portably.
    expect(replay.find((row) => row.snake === 'feed-replay.data')?.default).toBe('`"<@tranche/feed-replay>/data"`');
    expect(replay.find((row) => row.snake === 'feed-replay.cache_dir')?.default).toBe('`"<cwd>/.tranche/cache"`');
    expect(generated).not.toContain(process.cwd());
  });

  it('every object schema is described fully or not at all (a new key without .describe() next to described ones is a mistake)', () => {
    const shapes = [
      ...describedShapes(schemas.coreSchema, 'core'),
      ...schemas.plugins.flatMap(({ plugin }) => (plugin.configSchema ? describedShapes(plugin.configSchema, plugin.name) : [])),
    ];
    const partial = shapes.filter((shape) => shape.described.length > 0 && shape.undescribed.length > 0).map((shape) => `${shape.path}: ${shape.undescribed.join(', ')}`);
    expect(partial).toEqual([]);
  });
});
