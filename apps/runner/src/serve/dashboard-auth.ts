import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { TrancheError } from '@tranche/core';

/** The environment variable `tranche serve` reads its token from when `--token` is not given. */
export const DASHBOARD_TOKEN_ENV = 'TRANCHE_DASHBOARD_TOKEN';

/** Shortest token accepted (a guessable token on a network port is worse than none). */
export const MIN_TOKEN_LENGTH = 16;

/** True for a loopback bind address (`127.0.0.0/8`, `::1`, `localhost`): only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

/**
 * Checks the bind settings: a non-loopback host needs a token of at least
 * `MIN_TOKEN_LENGTH` characters. Throws one validation `TrancheError` otherwise.
 */
export function checkBindSecurity(host: string, token: string | undefined): void {
  if (token !== undefined && token.length < MIN_TOKEN_LENGTH) {
    throw new TrancheError('validation', `invalid --token: must be at least ${MIN_TOKEN_LENGTH} characters, got ${token.length}`, { field: '--token', retryable: false });
  }
  if (!isLoopbackHost(host) && token === undefined) {
    throw new TrancheError(
      'validation',
      `invalid --host: ${JSON.stringify(host)} is reachable from other machines, so the dashboard (which can submit and cancel orders) needs a token: pass --token or set ${DASHBOARD_TOKEN_ENV}`,
      { field: '--host', retryable: false },
    );
  }
}

/** Compares two secrets in time independent of where they differ (and of their lengths, through a digest). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The token a request carries: `Authorization: Bearer …`, else (only where `allowQuery`) a `?token=` parameter. */
export function requestToken(request: IncomingMessage, url: URL, allowQuery: boolean): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  return allowQuery ? (url.searchParams.get('token') ?? undefined) : undefined;
}

/**
 * True when the `Host` header names this server as bound to loopback (`127.0.0.1`,
 * `localhost`, `[::1]`, any port): refuses DNS-rebinding pages that reach the loopback
 * port under a foreign name.
 */
export function isLoopbackHostHeader(hostHeader: string | undefined): boolean {
  if (hostHeader === undefined) return false;
  const host = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : hostHeader.split(':')[0]!;
  return isLoopbackHost(host);
}

/**
 * True when a state-changing request comes from the dashboard's own origin: an `Origin`
 * (or, without it, a `Referer`) that names the `Host` the request was sent to. Browsers
 * send `Origin` with every cross-site POST, so another site's page is refused; a client
 * that sends neither (curl, scripts) is accepted.
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const host = request.headers.host;
  const origin = request.headers.origin ?? request.headers.referer;
  if (origin === undefined) return true;
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
