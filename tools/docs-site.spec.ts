import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, apiPackages, brokenLinks } from './docs-site.mjs';

/** Markdown files of docs/ (not the generated docs/api), relative to docs/. */
function docsMarkdown(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (path !== join(ROOT, 'docs', 'api')) walk(path);
      } else if (name.endsWith('.md')) found.push(relative(join(ROOT, 'docs'), path));
    }
  };
  walk(join(ROOT, 'docs'));
  return found;
}

/** The front matter and body of docs/README.md, the site's guide index. */
function guideIndex(): { children: Record<string, string>; body: string } {
  const text = readFileSync(join(ROOT, 'docs', 'README.md'), 'utf8');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error('docs/README.md has no front matter');
  return { children: (parse(match[1]!) as { children: Record<string, string> }).children, body: match[2]! };
}

const temporary: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tranche-docs-'));
  temporary.push(dir);
  return dir;
}
function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
afterEach(() => {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the docs site (npm run docs)', () => {
  it('docs/README.md puts every guide in the site, in order, getting started first, and links each one', () => {
    const { children, body } = guideIndex();
    const listed = Object.values(children);
    const guides = docsMarkdown().filter((doc) => doc !== 'README.md');
    // A guide missing here is not a page of the site (typedoc would copy it as a raw file): add it to the children of docs/README.md.
    expect([...listed].sort()).toEqual([...guides].sort());
    expect(listed[0]).toBe('guides/getting-started.md');
    for (const path of listed) expect(body, `docs/README.md should link ${path}`).toContain(`](${path})`);
  });

  it('typedoc.json builds the API pages and the guide index into docs/api', () => {
    const config = JSON.parse(readFileSync(join(ROOT, 'typedoc.json'), 'utf8')) as { projectDocuments: string[]; out: string; entryPointStrategy: string };
    expect(config.projectDocuments).toEqual(['docs/README.md']);
    expect(config.out).toBe('docs/api');
    expect(config.entryPointStrategy).toBe('packages');
  });

  it('documents every workspace package with sources and a README, and says which it leaves out', () => {
    const root = tempDir();
    write(join(root, 'packages', 'core', 'package.json'), '{}');
    write(join(root, 'packages', 'core', 'src', 'index.ts'), 'export {};');
    write(join(root, 'packages', 'core', 'README.md'), '# core');
    write(join(root, 'plugins', 'scaffold', 'package.json'), '{}');
    write(join(root, 'plugins', 'no-readme', 'package.json'), '{}');
    write(join(root, 'plugins', 'no-readme', 'src', 'index.ts'), 'export {};');
    const { packages, notes } = apiPackages(root);
    expect(packages).toEqual(['packages/core']);
    expect(notes).toEqual([expect.stringMatching(/^plugins\/no-readme: no README\.md/), expect.stringMatching(/^plugins\/scaffold: no src\/index\.ts yet/)]);
    // This repository: every app and plugin with sources is in.
    expect(apiPackages().packages).toEqual(expect.arrayContaining(['packages/core', 'plugins/venue-paper', 'apps/minimal']));
  });

  it('the link check finds missing files and missing anchors, and passes good and external links', () => {
    const site = tempDir();
    write(join(site, 'index.html'), '<a href="documents/guide.html#setup">ok</a> <a href="https://example.com/x">external</a> <a href="#top">self</a> <div id="top"></div>');
    write(join(site, 'documents', 'guide.html'), '<h2 id="setup">Setup</h2><a href="../media/missing.png">img</a><a href="../index.html#nowhere">bad anchor</a><img src="../assets/logo.svg">');
    write(join(site, 'assets', 'logo.svg'), '<svg/>');
    expect(brokenLinks(site)).toEqual([
      { page: join('documents', 'guide.html'), href: '../media/missing.png', reason: 'no such file' },
      { page: join('documents', 'guide.html'), href: '../index.html#nowhere', reason: 'no element with id "nowhere"' },
    ]);
  });
});
