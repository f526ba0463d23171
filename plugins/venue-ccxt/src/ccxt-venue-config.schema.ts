import { z } from 'zod';
import { SymbolSchema } from '@tranche/core';

/** Environment variables holding the API credentials (their names, never their values). */
export const EnvCredentialsSchema = z
  .object({
    /** Variable holding the API key. */
    apiKey: z.string().min(1).default('TRANCHE_API_KEY').describe('Variable holding the API key.'),
    /** Variable holding the API secret. */
    secret: z.string().min(1).default('TRANCHE_API_SECRET').describe('Variable holding the API secret.'),
    /** Variable holding the API passphrase, for exchanges that have one (OKX, KuCoin, …). */
    password: z.string().min(1).optional().describe('Variable holding the API passphrase, for exchanges that have one (OKX, KuCoin, …).'),
  })
  .strict();

/** A JSON key file `{ "apiKey": "…", "secret": "…", "password"?: "…" }`; should be readable by its owner only. */
export const FileCredentialsSchema = z
  .object({
    /** Path of the key file (absolute, or relative to the working directory). */
    file: z.string().min(1).describe('Path of the key file (absolute, or relative to the working directory).'),
  })
  .strict();

/** Where the credentials come from: environment variables (default) or a key file. Never the secrets themselves. */
export const CredentialsSourceSchema = z.union(
  [
    z
      .object({
        /** Names of the environment variables holding the credentials. */
        env: EnvCredentialsSchema.prefault({}).describe('Names of the environment variables holding the credentials.'),
      })
      .strict(),
    FileCredentialsSchema,
  ],
  {
    error: 'must be { "env": { "apiKey": "VARIABLE", "secret": "VARIABLE" } } or { "file": "path/to/key.json" } (never the keys themselves)',
  },
);
/** Where the credentials come from. */
export type CredentialsSource = z.infer<typeof CredentialsSourceSchema>;

/** How ccxt's own limiter and Tranche's backoff treat the exchange's request limits. */
export const RateLimitConfigSchema = z
  .object({
    /** ccxt's built-in request limiter (`enableRateLimit`); keep it on against a real exchange. */
    enabled: z.boolean().default(true).describe('ccxt\'s built-in request limiter (`enableRateLimit`); keep it on against a real exchange.'),
    /** Milliseconds between two requests for ccxt's limiter (`rateLimit`); unset: the exchange's own figure. */
    intervalMs: z.number().positive().optional().describe('Milliseconds between two requests for ccxt\'s limiter (`rateLimit`); unset: the exchange\'s own figure.'),
    /** Back-off after a 429 that carried no `Retry-After`. */
    backoffMs: z.number().int().nonnegative().default(1_000).describe('Back-off after a 429 that carried no `Retry-After`.'),
    /** Back-off after a 418 (IP ban) that carried neither `Retry-After` nor a ban end. */
    banBackoffMs: z.number().int().nonnegative().default(60_000).describe('Back-off after a 418 (IP ban) that carried neither `Retry-After` nor a ban end.'),
  })
  .strict();

const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/, { error: 'must be an http(s):// URL' });
const wsUrl = z.string().regex(/^wss?:\/\/[^\s/]+/, { error: 'must be a ws(s):// URL' });

/** The `venue-ccxt` config section. Strict: unknown keys are errors; every key has a default. */
export const CcxtVenueConfigSchema = z
  .object({
    /** ccxt exchange id (`binance`, `okx`, `kraken`, …). */
    exchange: z.string().regex(/^[a-z][a-z0-9]*$/, { error: 'must be a ccxt exchange id such as "binance"' }).default('binance').describe('ccxt exchange id (`binance`, `okx`, `kraken`, …).'),
    /** Use the exchange's testnet (`setSandboxMode(true)`). */
    sandbox: z.boolean().default(false).describe('Use the exchange\'s testnet (`setSandboxMode(true)`).'),
    /** Replaces scheme, host and port of every REST endpoint (proxies, testnets, local emulators); the exchange's paths are kept, a path given here is ignored. */
    baseUrl: httpUrl.optional().describe('Replaces scheme, host and port of every REST endpoint (proxies, testnets, local emulators); the exchange\'s paths are kept, a path given here is ignored.'),
    /** Replaces scheme, host and port of every websocket endpoint (streams and the websocket API); paths are kept, as for `baseUrl`. */
    wsUrl: wsUrl.optional().describe('Replaces scheme, host and port of every websocket endpoint (streams and the websocket API); paths are kept, as for `baseUrl`.'),
    /** Where the API key and secret come from (default: `TRANCHE_API_KEY` / `TRANCHE_API_SECRET`). */
    credentials: CredentialsSourceSchema.default(() => ({ env: { apiKey: 'TRANCHE_API_KEY', secret: 'TRANCHE_API_SECRET' } })).describe('Where the API key and secret come from (default: `TRANCHE_API_KEY` / `TRANCHE_API_SECRET`).'),
    /**
     * Passed to ccxt as exchange `options` (merged over Tranche's defaults). `verbose` is
     * refused: ccxt's verbose mode prints every request, signed URLs and API-key headers
     * included, straight to the console, past Tranche's redaction. Credentials are
     * refused too: they come from `credentials` only, so that they are redacted.
     */
    options: z
      .record(z.string(), z.unknown())
      .refine((options) => !Object.keys(options).some((key) => key.toLowerCase() === 'verbose'), {
        error: 'must not set "verbose": ccxt would print every signed request (API key and signature) to the console; use --log-level debug',
      })
      .refine((options) => !Object.keys(options).some((key) => /^(apikey|secret|password|uid|privatekey|token|walletaddress)$/i.test(key)), {
        error: 'must not hold credentials (apiKey, secret, password, …): set venue-ccxt.credentials to environment variables or a key file',
      })
      .default(() => ({}))
      .describe('Passed to ccxt as exchange `options` (merged over Tranche\'s defaults). `verbose` is refused: ccxt\'s verbose mode prints every request, signed URLs and API-key headers included, straight to the console, past Tranche\'s redaction. Credentials are refused too: they come from `credentials` only, so that they are redacted.'),
    /** Symbols the market data source streams (unset: the core `asset_cache.default_symbols`). */
    symbols: z.array(SymbolSchema).default(() => []).describe('Symbols the market data source streams (unset: the core `asset_cache.default_symbols`).'),
    /** REST request timeout in milliseconds (ccxt `timeout`); a submit that times out is ambiguous. */
    timeoutMs: z.number().int().positive().default(10_000).describe('REST request timeout in milliseconds (ccxt `timeout`); a submit that times out is ambiguous.'),
    /** Milliseconds between polls: working orders (always) and market data (when not streaming). */
    pollIntervalMs: z.number().int().positive().default(2_000).describe('Milliseconds between polls: working orders (always) and market data (when not streaming).'),
    /** Market data by ccxt pro streams, by polling, or streams with a polling fallback (`auto`). */
    marketData: z.enum(['stream', 'poll', 'auto']).default('auto').describe('Market data by ccxt pro streams, by polling, or streams with a polling fallback (`auto`).'),
    /** Follow `watchOrders` / `watchMyTrades` where the exchange has them (polling cross-checks them either way). */
    orderStreams: z.boolean().default(true).describe('Follow `watchOrders` / `watchMyTrades` where the exchange has them (polling cross-checks them either way).'),
    /** Book levels a side kept from streams and REST snapshots. */
    bookDepth: z.number().int().positive().max(5_000).default(20).describe('Book levels a side kept from streams and REST snapshots.'),
    /** First delay before re-connecting a failed stream (doubles up to `maxReconnectDelayMs`). */
    reconnectDelayMs: z.number().int().nonnegative().default(500).describe('First delay before re-connecting a failed stream (doubles up to `maxReconnectDelayMs`).'),
    /** Largest delay between two re-connection attempts. */
    maxReconnectDelayMs: z.number().int().positive().default(30_000).describe('Largest delay between two re-connection attempts.'),
    /** In `auto` mode, consecutive stream failures after which a symbol is polled instead. */
    streamFailuresBeforePolling: z.number().int().positive().default(3).describe('In `auto` mode, consecutive stream failures after which a symbol is polled instead.'),
    /** Request limits: ccxt's limiter and the back-off on 429 / 418. */
    rateLimit: RateLimitConfigSchema.prefault({}).describe('Request limits: ccxt\'s limiter and the back-off on 429 / 418.'),
  })
  .strict();
/** The parsed `venue-ccxt` config section. */
export type CcxtVenueConfig = z.infer<typeof CcxtVenueConfigSchema>;
/** The `venue-ccxt` config section as a user writes it. */
export type CcxtVenueConfigInput = z.input<typeof CcxtVenueConfigSchema>;
/** Token under which the parsed `venue-ccxt` config section is bound. */
export const CcxtVenueConfig = Symbol.for('tranche.venue-ccxt.config');
