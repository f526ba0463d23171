/**
 * Extracts the code blocks of the docs and type-checks them the way a user's project
 * would see Tranche: `@tranche/*` resolved through node_modules to the built `dist`
 * declarations (no `@tranche/source` condition). Used by `docs-code-blocks.spec.ts`.
 *
 * Block rules (examples/README.md states them for authors):
 * - A ```ts block is a module of its own and must compile as it is.
 * - ```ts fragment (or an `<!-- fragment -->` line right before the block) is not compiled.
 * - A block with `title="path/in/project"` (any language) is a file of the guide's tutorial
 *   project: the guide's titled blocks are written together into one project directory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** One fenced code block of a markdown file. */
export interface CodeBlock {
  /** Markdown file, relative to the repository root. */
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Language of the fence (`ts`, `json`, `yaml`, `sh`, …). */
  lang: string;
  /** File name inside the guide's project (`title="…"`), if any. */
  title?: string;
  /** Marked as a fragment: not compiled. */
  fragment: boolean;
  code: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/;

/** The fenced code blocks of one markdown text. */
export function extractCodeBlocks(markdown: string, doc: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index]!);
    if (!open) continue;
    const [, indent, fence, lang, meta] = open;
    const body: string[] = [];
    let end = index + 1;
    for (; end < lines.length; end++) {
      const close = lines[end]!.trim();
      if (close.startsWith(fence!) && close.replace(/[`~]/g, '') === '') break;
      body.push(lines[end]!.startsWith(indent!) ? lines[end]!.slice(indent!.length) : lines[end]!);
    }
    const title = /title="([^"]+)"/.exec(meta ?? '')?.[1];
    const previous = lines.slice(0, index).reverse().find((line) => line.trim() !== '') ?? '';
    blocks.push({
      doc,
      line: index + 1,
      lang: (lang ?? '').toLowerCase(),
      ...(title === undefined ? {} : { title }),
      fragment: /\bfragment\b/.test(meta ?? '') || /<!--\s*fragment\s*-->/.test(previous),
      code: body.join('\n'),
    });
    index = end;
  }
  return blocks;
}

/** Markdown files whose code blocks are checked: `docs/**` (not the generated `docs/api`) and the root README. */
export function docFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (path !== join(root, 'docs', 'api')) walk(path);
      } else if (name.endsWith('.md')) found.push(relative(root, path));
    }
  };
  walk(join(root, 'docs'));
  return ['README.md', ...found];
}

/** Whether a block is TypeScript. */
export function isTypeScript(block: CodeBlock): boolean {
  return block.lang === 'ts' || block.lang === 'typescript';
}

/** The compiler options of a user's project (as in the strategy tutorial's tsconfig.json). */
export const USER_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  skipLibCheck: true,
  types: ['node'],
  noEmit: true,
};

/** A diagnostic mapped back to a markdown line. */
export interface DocDiagnostic {
  doc: string;
  /** 1-based line in the markdown file. */
  line: number;
  message: string;
}

/**
 * Type-checks files written to disk (block files or project files) in one program and
 * maps each diagnostic to its markdown line: `origin(file)` gives the block a file came
 * from and the markdown line of the file's first line.
 */
export function typeCheck(files: readonly string[], options: ts.CompilerOptions, origin: (file: string) => { doc: string; firstLine: number } | undefined): DocDiagnostic[] {
  const program = ts.createProgram({ rootNames: [...files], options });
  const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()];
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const source = diagnostic.file ? origin(diagnostic.file.fileName) : undefined;
    if (!diagnostic.file || !source) {
      return { doc: diagnostic.file?.fileName ?? '(compiler)', line: 0, message: `TS${diagnostic.code}: ${message}` };
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    return { doc: source.doc, line: source.firstLine + line, message: `TS${diagnostic.code}: ${message}` };
  });
}

/** Reads a markdown file's blocks. */
export function readBlocks(root: string, doc: string): CodeBlock[] {
  return extractCodeBlocks(readFileSync(join(root, doc), 'utf8'), doc);
}
