import type { LogFields, Logger } from '@tranche/core';

/** What replaces a secret in any text Tranche produces. */
export const REDACTED = '***';

/** Query-string and header fields that carry a signature or a key, whatever the exchange. */
const SIGNED_FIELDS = /((?:signature|sign|apiKey|api_key|apikey|X-MBX-APIKEY|secret|passphrase|listenKey|listenToken)["']?\s*[=:]\s*["']?)([^&\s"',}]+)/gi;

/**
 * Replaces every occurrence of the given secrets (API key, secret, passphrase) and
 * every signature / key field of a query string or header in `text` by `***`.
 * Secrets shorter than 4 characters are ignored (they would match ordinary text).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) result = result.split(secret).join(REDACTED);
  }
  return result.replace(SIGNED_FIELDS, `$1${REDACTED}`);
}

/** Applies `redactSecrets` to every string inside `value` (objects and arrays are copied). */
export function redactValue(value: unknown, secrets: readonly (string | undefined)[], depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (value instanceof Error) return redactSecrets(value.message, secrets);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) copy[key] = redactValue(item, secrets, depth + 1);
  return copy;
}

/**
 * A `Logger` that redacts the current secrets from every message and field before
 * passing the line on. `secrets` is read at each line, so credentials loaded after
 * the logger was built are covered too.
 */
export class RedactingLogger implements Logger {
  constructor(
    private readonly inner: Logger,
    private readonly secrets: () => readonly (string | undefined)[],
  ) {}

  debug(message: string, fields?: LogFields): void {
    this.inner.debug(...this.clean(message, fields));
  }

  info(message: string, fields?: LogFields): void {
    this.inner.info(...this.clean(message, fields));
  }

  warn(message: string, fields?: LogFields): void {
    this.inner.warn(...this.clean(message, fields));
  }

  error(message: string, fields?: LogFields): void {
    this.inner.error(...this.clean(message, fields));
  }

  child(fields: LogFields): Logger {
    return new RedactingLogger(this.inner.child(redactValue(fields, this.secrets()) as LogFields), this.secrets);
  }

  private clean(message: string, fields?: LogFields): [string, LogFields?] {
    const secrets = this.secrets();
    const text = redactSecrets(message, secrets);
    return fields === undefined ? [text] : [text, redactValue(fields, secrets) as LogFields];
  }
}
