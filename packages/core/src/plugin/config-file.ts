import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TrancheError } from '../errors/tranche-error.js';

/**
 * Reads a JSON or YAML config file (by extension; `.yaml`/`.yml` are YAML, anything
 * else JSON). Parse errors become one validation error naming the file and position.
 */
export async function loadConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TrancheError('validation', `cannot read config file "${path}": ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      field: 'config',
      retryable: false,
    });
  }
  return parseConfigText(text, path);
}

/** Parses config text as YAML or JSON according to `fileName`'s extension. */
export function parseConfigText(text: string, fileName: string): unknown {
  const yaml = ['.yaml', '.yml'].includes(extname(fileName).toLowerCase());
  try {
    const parsed: unknown = yaml ? parseYaml(text) : JSON.parse(text);
    // A YAML alias may refer to its own anchor (`a: &x [*x]`): a cyclic value would overflow the stack of every check after this one.
    if (yaml) assertAcyclic(parsed);
    return parsed;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TrancheError('validation', `invalid config file "${fileName}": malformed ${yaml ? 'YAML' : 'JSON'} (${reason})`, {
      field: 'config',
      retryable: false,
    });
  }
}

function assertAcyclic(value: unknown, ancestors: object[] = []): void {
  if (value === null || typeof value !== 'object') return;
  if (ancestors.includes(value)) throw new Error('an alias refers to its own anchor (the value would be infinitely deep)');
  ancestors.push(value);
  for (const item of Object.values(value)) assertAcyclic(item, ancestors);
  ancestors.pop();
}
