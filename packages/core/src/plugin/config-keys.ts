/** `max_retries` → `maxRetries`; keys without underscores are unchanged. */
export function camelCaseKey(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Returns a copy of a config object with snake_case keys rewritten in camelCase, so
 * the seed's spelling (`strategy_optimizer.min_samples`) and camelCase both work.
 * Throws when both spellings of one key are given (which one wins would be a guess).
 */
export function normalizeConfigKeys(value: unknown, path: string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item, index) => normalizeConfigKeys(item, [...path, String(index)]));
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const camel = camelCaseKey(key);
    const previous = origin.get(camel);
    if (previous !== undefined) {
      const where = [...path, key].join('.');
      throw new DuplicateConfigKeyError(`invalid config: "${where}" is given twice (as "${previous}" and "${key}")`, where);
    }
    origin.set(camel, key);
    result[camel] = normalizeConfigKeys(child, [...path, key]);
  }
  return result;
}

/**
 * Maps a path in the normalized config back to the spelling the user wrote, so error
 * messages name `strategy_optimizer.min_samples`, not `strategyOptimizer.minSamples`.
 */
export function originalConfigPath(original: unknown, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let current: unknown = original;
  for (const segment of path) {
    if (typeof segment === 'number') {
      parts.push(`[${segment}]`);
      current = Array.isArray(current) ? current[segment] : undefined;
      continue;
    }
    const key = String(segment);
    let written = key;
    if (current !== null && typeof current === 'object' && !Array.isArray(current)) {
      written = Object.keys(current).find((candidate) => camelCaseKey(candidate) === key) ?? key;
      current = (current as Record<string, unknown>)[written];
    } else {
      current = undefined;
    }
    parts.push(parts.length === 0 ? written : `.${written}`);
  }
  return parts.join('');
}

/** Thrown by `normalizeConfigKeys` for a key given in two spellings. */
export class DuplicateConfigKeyError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'DuplicateConfigKeyError';
  }
}
