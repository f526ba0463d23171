/**
 * What may be shown of a webhook URL: scheme and host only. The path and query of Slack,
 * Discord and Telegram webhook URLs are their credentials.
 */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/***`;
  } catch {
    return '***';
  }
}

/**
 * The secret parts of an endpoint: its whole URL, its path and query, each path segment
 * and query value of 6+ characters (a Telegram token is one segment, `bot123:ABC…`) and
 * its header values (e.g. `Authorization`).
 */
export function endpointSecrets(url: string, headers: Readonly<Record<string, string>> = {}): string[] {
  const secrets = new Set<string>([url]);
  try {
    const parsed = new URL(url);
    secrets.add(parsed.href);
    if (parsed.pathname.length > 1) secrets.add(parsed.pathname + parsed.search);
    for (const segment of parsed.pathname.split('/')) {
      if (segment.length >= 6) {
        secrets.add(segment);
        secrets.add(decodeURIComponent(segment));
      }
    }
    for (const value of parsed.searchParams.values()) if (value.length >= 6) secrets.add(value);
    if (parsed.username) secrets.add(parsed.username);
    if (parsed.password) secrets.add(parsed.password);
  } catch {
    // An unparsable URL was refused by the config schema; the whole string is covered above.
  }
  for (const value of Object.values(headers)) if (value.length >= 4) secrets.add(value);
  // Longest first, so a URL is replaced as a whole before its parts.
  return [...secrets].filter((secret) => secret.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every secret replaced by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) result = result.split(secret).join('***');
  return result;
}
