#!/usr/bin/env node
// `npm run docs`: builds the one documentation site — the API pages of every package and
// the guides (docs/README.md and the documents it lists) — into docs/api with typedoc
// (settings in typedoc.json), then walks the generated HTML for broken local links.
// Exits 1 on a typedoc error or warning, or on a broken link; the site is written anyway.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));

/**
 * The typedoc entry points: every workspace package (packages/*, plugins/*, apps/*) with a
 * `src/index.ts`. A package scaffold without sources yet is left out (typedoc would stop
 * at it); `notes` says which.
 */
export function apiPackages(root = ROOT) {
  const packages = [];
  const notes = [];
  for (const group of ['packages', 'plugins', 'apps']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const dir = join(base, name);
      if (!existsSync(join(dir, 'package.json'))) continue;
      if (!existsSync(join(dir, 'src', 'index.ts'))) {
        notes.push(`${group}/${name}: no src/index.ts yet, left out of the API pages`);
        continue;
      }
      if (!existsSync(join(dir, 'README.md'))) {
        notes.push(`${group}/${name}: no README.md (every package needs one), left out of the API pages`);
        continue;
      }
      packages.push(`${group}/${name}`);
    }
  }
  return { packages, notes };
}

/** Every file under `dir`, recursively. */
function filesUnder(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...filesUnder(path));
    else found.push(path);
  }
  return found;
}

const ATTRIBUTE = /\s(?:href|src)="([^"]*)"/g;
const ID = /\sid="([^"]*)"/g;

/** Decodes the few entities typedoc writes in attribute values. */
function decode(value) {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/**
 * The local links of a generated site that lead nowhere: a missing file, or a `#fragment`
 * that no element of the target page has as its id. External links (`http:`, `https:`,
 * `mailto:`, …) are not followed.
 */
export function brokenLinks(siteDir) {
  const pages = filesUnder(siteDir).filter((file) => file.endsWith('.html'));
  const ids = new Map();
  const idsOf = (file) => {
    if (!ids.has(file)) ids.set(file, new Set([...readFileSync(file, 'utf8').matchAll(ID)].map((match) => decode(match[1]))));
    return ids.get(file);
  };
  const broken = [];
  for (const page of pages) {
    const html = readFileSync(page, 'utf8');
    for (const match of html.matchAll(ATTRIBUTE)) {
      const href = decode(match[1]);
      if (href === '' || /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue;
      const [pathAndQuery, fragment] = href.split('#', 2);
      const path = pathAndQuery.split('?')[0];
      const target = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
      if (!existsSync(target) || (statSync(target).isDirectory() && !existsSync(join(target, 'index.html')))) {
        broken.push({ page: relative(siteDir, page), href, reason: 'no such file' });
        continue;
      }
      // typedoc's own "#" links (the search box, the menu toggles) have an empty fragment.
      if (fragment && target.endsWith('.html') && !idsOf(target).has(fragment)) {
        broken.push({ page: relative(siteDir, page), href, reason: `no element with id "${fragment}"` });
      }
    }
  }
  return broken;
}

function run() {
  const { packages, notes } = apiPackages();
  for (const note of notes) process.stderr.write(`docs: ${note}\n`);
  const args = packages.flatMap((dir) => ['--entryPoints', dir]);
  const index = join(ROOT, 'docs', 'api', 'index.html');
  const previous = existsSync(index) ? statSync(index).mtimeMs : -1;
  const typedoc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${typedoc.stdout}${typedoc.stderr}`;
  process.stderr.write(output);
  // Each warning and error once (not typedoc's closing "Found N errors and M warnings" line).
  const warnings = output.split('\n').filter((line) => /\[warning\]|\[error\]|\berror\b.*TS\d+/.test(line) && !/\bFound \d+ errors? and \d+ warnings?/.test(line));
  const site = join(ROOT, 'docs', 'api');
  let failed = typedoc.status !== 0 || warnings.length > 0;
  if (existsSync(index) && statSync(index).mtimeMs !== previous) {
    const broken = brokenLinks(site);
    for (const link of broken) process.stderr.write(`docs: broken link in docs/api/${link.page}: ${link.href} (${link.reason})\n`);
    if (broken.length > 0) failed = true;
    process.stderr.write(`docs: ${packages.length} packages and the guides in docs/api (open docs/api/index.html); ${warnings.length} typedoc warning(s) or error(s), ${broken.length} broken link(s)\n`);
  } else {
    process.stderr.write('docs: typedoc wrote no site (see its errors above)\n');
    failed = true;
  }
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = run();
}
