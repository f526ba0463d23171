#!/usr/bin/env node
// Generates docs/configuration.md, the configuration reference, from the zod schemas of
// the built packages: the core config (CoreConfigSchema) and the `configSchema` of every
// plugin package found in the workspace (packages/*, plugins/*). Nothing is hard-coded:
// a new plugin appears in the reference once it is built.
//
//   node tools/config-reference.mjs           write docs/configuration.md (npm run docs:config)
//   node tools/config-reference.mjs --check   exit 1 when docs/configuration.md is out of date
//   --allow-unbuilt                           leave out packages that are not built (with a warning)
//
// Run it from a built tree (`npm run build`): it imports each package's dist.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';

/** The repository root (this file is tools/config-reference.mjs). */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
/** Where the reference is written. */
export const OUTPUT = join(ROOT, 'docs', 'configuration.md');
/** The command that regenerates the reference. */
export const REGENERATE = 'npm run docs:config';

/** `maxRetries` → `max_retries`; kebab-case section names are unchanged. */
export function snakeCase(key) {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/**
 * The workspace packages under packages/ and plugins/ that have a source entry point,
 * sorted by directory. A package with `src/index.ts` but no `dist/index.js` is an error:
 * the reference would silently miss it.
 */
export function workspacePackages(root = ROOT) {
  const found = [];
  for (const group of ['packages', 'plugins']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const dir = join(base, name);
      const manifestPath = join(dir, 'package.json');
      if (!existsSync(manifestPath) || !existsSync(join(dir, 'src', 'index.ts'))) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      found.push({ name: manifest.name, dir, description: manifest.description ?? '' });
    }
  }
  return found;
}

/** Imports a package's built entry point; a clear error when it is not built. */
async function importBuilt(pkg) {
  const entry = join(pkg.dir, 'dist', 'index.js');
  if (!existsSync(entry)) {
    throw new Error(`${pkg.name} is not built (${relative(ROOT, entry)} is missing): run \`npm run build\` first, then ${REGENERATE}`);
  }
  return import(pathToFileURL(entry).href);
}

/** Is this a Tranche plugin (a default export with a name and an inversify module)? */
function isPlugin(value) {
  return value !== null && typeof value === 'object' && typeof value.name === 'string' && typeof value.version === 'string' && 'module' in value;
}

/**
 * Everything the reference is made of: the core schema, each plugin found in the
 * workspace (with its package, description and config schema, if any), and the names
 * of the plugins the `tranche` runner installs by default and as venues.
 */
export async function loadSchemas(root = ROOT, { allowUnbuilt = false, warn = () => undefined } = {}) {
  const packages = workspacePackages(root);
  const corePackage = packages.find((pkg) => pkg.name === '@tranche/core');
  if (!corePackage) throw new Error('packages/core not found');
  const core = await importBuilt(corePackage);
  const plugins = [];
  for (const pkg of packages) {
    if (pkg.name === '@tranche/core' || pkg.name === '@tranche/testkit') continue;
    if (allowUnbuilt && !existsSync(join(pkg.dir, 'dist', 'index.js'))) {
      warn(`config-reference: ${pkg.name} is not built: left out`);
      continue;
    }
    const loaded = await importBuilt(pkg);
    if (!isPlugin(loaded.default)) continue;
    plugins.push({ package: pkg.name, dir: pkg.dir, plugin: loaded.default });
  }
  plugins.sort((a, b) => a.plugin.name.localeCompare(b.plugin.name));
  let runnerDefaults = [];
  let runnerVenues = {};
  const runnerEntry = join(root, 'apps', 'runner', 'dist', 'index.js');
  if (existsSync(runnerEntry)) {
    const runner = await import(pathToFileURL(runnerEntry).href);
    runnerDefaults = (runner.DEFAULT_PLUGINS ?? []).map((plugin) => plugin.name);
    runnerVenues = Object.fromEntries(Object.entries(runner.VENUE_PLUGINS ?? {}).map(([venue, plugin]) => [plugin.name, venue]));
  }
  return { coreSchema: core.CoreConfigSchema, plugins, runnerDefaults, runnerVenues };
}

/** JSON Schema of a zod schema as a user writes it (defaults make keys optional). */
function jsonSchemaOf(schema) {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', reused: 'inline', cycles: 'ref' });
}

/** The object variants of a JSON Schema node: itself, or the object members of its anyOf. */
function objectVariants(node) {
  if (node.type === 'object' && node.properties) return [node];
  if (Array.isArray(node.anyOf)) return node.anyOf.filter((variant) => variant.type === 'object' && variant.properties);
  return [];
}

/** A short type name: `integer`, `list of string`, `map of string → number`, `"max" | number`. */
export function typeOf(node) {
  if (node === true || node === undefined || Object.keys(node).length === 0) return 'any';
  if ('const' in node) return JSON.stringify(node.const);
  if (Array.isArray(node.enum)) return node.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (Array.isArray(node.anyOf)) {
    if (node.anyOf.every((variant) => variant.type === 'object' && variant.properties)) return `object (one of ${node.anyOf.length} forms)`;
    return node.anyOf.map(typeOf).join(' | ');
  }
  if (Array.isArray(node.oneOf)) return node.oneOf.map(typeOf).join(' | ');
  switch (node.type) {
    case 'array':
      return `list of ${node.items ? typeOf(node.items) : 'any'}`;
    case 'object':
      if (node.properties) return 'object';
      if (node.additionalProperties && typeof node.additionalProperties === 'object') {
        return `map of ${node.propertyNames ? typeOf(node.propertyNames) : 'string'} → ${typeOf(node.additionalProperties)}`;
      }
      return 'map';
    default:
      return Array.isArray(node.type) ? node.type.join(' | ') : String(node.type ?? 'any');
  }
}

/** Number formatting without exponent noise: 1e-8 stays readable, 5000 stays 5000. */
function num(value) {
  return String(value);
}

/** The constraints of one node, in words: `1–200`, `> 0`, `non-empty`, `matches ^…$`. */
export function constraintsOf(node) {
  if (!node || typeof node !== 'object') return [];
  if (Array.isArray(node.anyOf)) {
    return node.anyOf.flatMap((variant) => {
      const inner = constraintsOf(variant);
      return inner.length === 0 ? [] : [`${typeOf(variant)}: ${inner.join(', ')}`];
    });
  }
  const out = [];
  const low = node.minimum !== undefined ? { value: node.minimum, strict: false } : node.exclusiveMinimum !== undefined ? { value: node.exclusiveMinimum, strict: true } : undefined;
  const high = node.maximum !== undefined ? { value: node.maximum, strict: false } : node.exclusiveMaximum !== undefined ? { value: node.exclusiveMaximum, strict: true } : undefined;
  const safe = (bound) => bound && Math.abs(bound.value) < Number.MAX_SAFE_INTEGER;
  if (safe(low) && safe(high) && !low.strict && !high.strict) out.push(`${num(low.value)}–${num(high.value)}`);
  else {
    if (safe(low)) out.push(`${low.strict ? '>' : '≥'} ${num(low.value)}`);
    if (safe(high)) out.push(`${high.strict ? '<' : '≤'} ${num(high.value)}`);
  }
  if (node.minLength === 1) out.push('non-empty');
  else if (node.minLength !== undefined) out.push(`at least ${node.minLength} characters`);
  if (node.maxLength !== undefined) out.push(`at most ${node.maxLength} characters`);
  if (node.pattern !== undefined) out.push(`matches \`${node.pattern}\``);
  if (node.minItems !== undefined) out.push(`at least ${node.minItems} item${node.minItems === 1 ? '' : 's'}`);
  if (node.maxItems !== undefined) out.push(`at most ${node.maxItems} items`);
  if (node.type === 'array' && node.items) {
    const items = constraintsOf(node.items);
    if (items.length > 0) out.push(`each ${items.join(', ')}`);
  }
  if (node.type === 'object' && node.additionalProperties && typeof node.additionalProperties === 'object') {
    const keys = node.propertyNames ? constraintsOf(node.propertyNames) : [];
    const values = constraintsOf(node.additionalProperties);
    if (keys.length > 0) out.push(`keys ${keys.join(', ')}`);
    if (values.length > 0) out.push(`values ${values.join(', ')}`);
  }
  return out;
}

/**
 * A default as the reference shows it: paths of this machine become `<cwd>/…` or
 * `<@tranche/package>/…` so the page is the same on every machine; long values are
 * summarized.
 */
function formatDefault(value, context) {
  let text = JSON.stringify(value, (_, item) => (typeof item === 'string' ? portablePath(item, context) : item));
  if (text === undefined) return '';
  if (text.length <= (Array.isArray(value) ? 64 : 120)) return `\`${text}\``;
  if (Array.isArray(value)) {
    const scalars = value.every((item) => item === null || typeof item !== 'object');
    return scalars ? `${value.length} values: \`${value.slice(0, 3).map((item) => JSON.stringify(item)).join(', ')}, …, ${JSON.stringify(value.at(-1))}\`` : `${value.length} ${value.length === 1 ? 'entry' : 'entries'} (see the description)`;
  }
  const count = Object.keys(value).length;
  return `${count} ${count === 1 ? 'entry' : 'entries'} (see the description)`;
}

function portablePath(text, context) {
  for (const { dir, name } of context.packageDirs) {
    if (text === dir || text.startsWith(dir + sep)) return `<${name}>${text.slice(dir.length).split(sep).join('/')}`;
  }
  if (text === context.cwd || text.startsWith(context.cwd + sep)) return `<cwd>${text.slice(context.cwd.length).split(sep).join('/')}`;
  return text;
}

/** Escapes a table cell: pipes and line breaks. */
function cell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * The rows of one schema: one per key, depth first; nested objects (and the object
 * variants of a union) contribute their own keys under `parent.key`.
 */
export function keyRows(schema, prefix = [], context = { cwd: process.cwd(), packageDirs: [] }) {
  const rows = [];
  const walk = (node, path, variantNote) => {
    const required = new Set(node.required ?? []);
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const keyPath = [...path, key];
      const variants = objectVariants(child);
      const nested = variants.length > 0;
      rows.push({
        camel: keyPath.join('.'),
        snake: keyPath.map(snakeCase).join('.'),
        type: nested && child.type === 'object' ? 'object' : typeOf(child),
        allowed: nested && child.type === 'object' ? '' : constraintsOf(child).join('; '),
        default: 'default' in child ? (nested && child.type === 'object' && Object.keys(child.default).length === 0 ? 'see its keys' : formatDefault(child.default, context)) : required.has(key) ? '**required**' : 'unset',
        description: [variantNote, child.description].filter(Boolean).join(' '),
      });
      if (!nested) continue;
      if (variants.length === 1) walk(variants[0], keyPath, '');
      else variants.forEach((variant, index) => walk(variant, keyPath, `(form ${index + 1} of ${variants.length} of \`${keyPath.map(snakeCase).join('.')}\`)`));
    }
  };
  walk(jsonSchemaOf(schema), prefix, '');
  return rows;
}

function table(rows) {
  const lines = ['| key (config file) | camelCase | type | allowed | default | description |', '| --- | --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    lines.push(`| \`${row.snake}\` | \`${row.camel}\` | ${cell(row.type)} | ${cell(row.allowed)} | ${cell(row.default)} | ${cell(row.description || '—')} |`);
  }
  return lines.join('\n');
}

/** Renders docs/configuration.md from what `loadSchemas` found. */
export function renderConfigReference({ coreSchema, plugins, runnerDefaults, runnerVenues }, cwd = process.cwd()) {
  const context = { cwd, packageDirs: plugins.map(({ dir, package: name }) => ({ dir, name })).concat([{ dir: join(ROOT, 'packages', 'core'), name: '@tranche/core' }]) };
  const withSchema = plugins.filter(({ plugin }) => plugin.configSchema);
  const without = plugins.filter(({ plugin }) => !plugin.configSchema);
  const out = [];
  out.push('---', 'title: Configuration reference', '---', '');
  out.push('# Configuration reference', '');
  out.push(`<!-- Generated by \`${REGENERATE}\` (tools/config-reference.mjs) from the zod schemas of the built packages. Do not edit by hand. -->`, '');
  out.push(
    'Every key a Tranche config accepts, generated from the zod schemas that validate it: the core keys, then one section per plugin',
    '(the section is the plugin\'s name). A config file is JSON or YAML; keys may be written in snake_case, as below, or in camelCase',
    '(giving both spellings of one key is an error). Unknown keys are errors, and a bad value is refused with one message naming the',
    'key as you wrote it and the value. Keys a plugin does not read are refused too: install the plugin first.',
    '',
    '```yaml',
    'default_strategy: twap',
    'max_retries: 3',
    'asset_cache:',
    '  cache_ttl: 60',
    'feed-replay:',
    '  speed: 10',
    'venue-paper:',
    '  latency_ms: 20',
    '```',
    '',
    '"unset" means the key has no default: the feature it controls is off or derived (see its description). `<cwd>` is the working',
    'directory and `<@tranche/x>` the installed package\'s directory.',
    '',
    '## Sections',
    '',
    '| section | package | installed by `tranche` |',
    '| --- | --- | --- |',
    '| [core keys](#core-keys) (top level) | `@tranche/core` | always |',
  );
  for (const { plugin, package: name } of withSchema) {
    const installed = runnerVenues[plugin.name] !== undefined && !runnerDefaults.includes(plugin.name) ? `with \`--venue ${runnerVenues[plugin.name]}\`` : runnerDefaults.includes(plugin.name) ? 'by default' : 'when named under `plugins`';
    out.push(`| [\`${plugin.name}\`](#${plugin.name}) | \`${name}\` | ${installed} |`);
  }
  out.push('', '## Core keys', '', 'The top level of the config (`CoreConfigSchema` in `@tranche/core`).', '', table(keyRows(coreSchema, [], context)), '');
  for (const { plugin, package: name } of withSchema) {
    out.push(`## ${plugin.name}`, '');
    out.push(`${plugin.description ? `${plugin.description.replace(/\.?$/, '.')} ` : ''}Package \`${name}\`, section \`${plugin.name}\`.`, '');
    out.push(table(keyRows(plugin.configSchema, [plugin.name], context)), '');
  }
  if (without.length > 0) {
    out.push('## Plugins without settings', '');
    out.push('These plugins take no config section; a section under their name is refused as an unknown key. Strategies take their parameters per order (`params` of the order request), not from the config.', '');
    for (const { plugin, package: name } of without) out.push(`- \`${plugin.name}\` (\`${name}\`)${plugin.description ? `: ${plugin.description}` : ''}`);
    out.push('');
  }
  return out.join('\n');
}

/** Every key of the reference without a description, as `section: key` (the generator warns about them). */
export function undescribedKeys(schemas) {
  const missing = keyRows(schemas.coreSchema).filter((row) => !row.description).map((row) => `core: ${row.snake}`);
  for (const { plugin } of schemas.plugins) {
    if (!plugin.configSchema) continue;
    for (const row of keyRows(plugin.configSchema, [plugin.name])) if (!row.description) missing.push(`${plugin.name}: ${row.snake}`);
  }
  return missing;
}

async function cli(argv) {
  const schemas = await loadSchemas(ROOT, { allowUnbuilt: argv.includes('--allow-unbuilt'), warn: (line) => process.stderr.write(`${line}\n`) });
  const text = renderConfigReference(schemas);
  const missing = undescribedKeys(schemas);
  if (missing.length > 0) process.stderr.write(`config-reference: ${missing.length} key(s) without a description (add .describe() to the schema): ${missing.join(', ')}\n`);
  if (argv.includes('--check')) {
    const current = existsSync(OUTPUT) ? readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${relative(ROOT, OUTPUT)} is out of date: run \`${REGENERATE}\`\n`);
      return 1;
    }
    return 0;
  }
  writeFileSync(OUTPUT, text);
  process.stderr.write(`wrote ${relative(ROOT, OUTPUT)}: core and ${schemas.plugins.filter(({ plugin }) => plugin.configSchema).length} plugin sections\n`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await cli(process.argv.slice(2));
}
