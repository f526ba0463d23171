import { inject, injectable } from 'inversify';
import { timer, type Subscription } from 'rxjs';
import { Clock, Logger, NOTIFICATION_SEVERITIES, SeededRandom, TrancheError, type Notification, type Notifier, type NotifyOptions } from '@tranche/core';
import { webhookBody } from './webhook-formats.js';
import { WebhookNotifierConfig, type WebhookFormat } from './webhook-notifier-config.schema.js';
import { displayUrl, endpointSecrets, redact } from './webhook-redaction.js';

interface Endpoint {
  readonly id: string;
  readonly url: string;
  readonly format: WebhookFormat;
  readonly chatId?: string | number;
  readonly headers: Readonly<Record<string, string>>;
  readonly events?: ReadonlySet<string>;
  readonly minRank: number;
  readonly secrets: readonly string[];
  readonly queue: Job[];
  busy: boolean;
}

interface Job {
  readonly notification: Notification;
  readonly signal?: AbortSignal;
  readonly resolve: () => void;
  readonly reject: (error: TrancheError) => void;
}

/** The result of one HTTP attempt. */
type Attempt = { ok: true } | { ok: false; retry: boolean; retryAfterMs?: number; reason: string };

/** Delivery counters per endpoint. */
export interface WebhookEndpointStats {
  delivered: number;
  failed: number;
  retried: number;
  dropped: number;
}

/**
 * A `Notifier` that POSTs each notification as JSON to one or more endpoints, in the
 * endpoint's format (`json`, `slack`, `discord`, `telegram`). Each endpoint has its own
 * bounded queue and sends one notification at a time; an attempt is aborted after
 * `timeoutMs` (an RxJS timer on the clock firing an `AbortController`); network errors,
 * timeouts, 5xx and 429 are retried `retries` times with exponential backoff and a seeded
 * jitter on the clock (a `Retry-After` is honoured), other 4xx never. URLs and header
 * values are secrets: logs and errors name the endpoint id and host only.
 */
@injectable()
export class WebhookNotifier implements Notifier {
  /** Notifier id (the key under `notifications.notifiers`). */
  readonly id = 'webhook';
  /** Counters by endpoint id. */
  readonly stats = new Map<string, WebhookEndpointStats>();
  private readonly endpoints: Endpoint[];
  private readonly random: SeededRandom;
  private readonly logger: Logger;
  private readonly closing = new AbortController();

  constructor(
    @inject(WebhookNotifierConfig) private readonly config: WebhookNotifierConfig,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'notifier-webhook' });
    this.random = new SeededRandom(config.backoff.seed);
    this.endpoints = config.endpoints.map((endpoint, index) => {
      const id = endpoint.id ?? `${endpoint.format}-${index + 1}`;
      this.stats.set(id, { delivered: 0, failed: 0, retried: 0, dropped: 0 });
      return {
        id,
        url: endpoint.url,
        format: endpoint.format,
        ...(endpoint.chatId === undefined ? {} : { chatId: endpoint.chatId }),
        headers: endpoint.headers ?? {},
        ...(endpoint.events ? { events: new Set(endpoint.events) } : {}),
        minRank: NOTIFICATION_SEVERITIES.indexOf(endpoint.minSeverity),
        secrets: endpointSecrets(endpoint.url, endpoint.headers),
        queue: [],
        busy: false,
      };
    });
  }

  /** Ids of the endpoints with where they point (host only). */
  describeEndpoints(): string[] {
    return this.endpoints.map((endpoint) => `${endpoint.id} (${endpoint.format}, ${displayUrl(endpoint.url)})`);
  }

  /**
   * Queues the notification for every endpoint whose filters accept it; resolves when each
   * has delivered it, rejects (naming the endpoints, never their URLs) when any gave up.
   */
  notify(notification: Notification, options: NotifyOptions = {}): Promise<void> {
    if (this.closing.signal.aborted) return Promise.resolve();
    const rank = NOTIFICATION_SEVERITIES.indexOf(notification.severity);
    const targets = this.endpoints.filter((endpoint) => rank >= endpoint.minRank && (!endpoint.events || endpoint.events.has(notification.event)));
    const deliveries = targets.map(
      (endpoint) =>
        new Promise<void>((resolve, reject) => {
          if (endpoint.queue.length >= this.config.maxQueue) {
            const dropped = endpoint.queue.shift()!;
            this.stats.get(endpoint.id)!.dropped++;
            dropped.reject(new TrancheError('rate-limited', `webhook ${endpoint.id}: dropped, ${this.config.maxQueue} notifications already waiting`, { retryable: false }));
          }
          endpoint.queue.push({ notification, ...(options.signal ? { signal: options.signal } : {}), resolve, reject });
          void this.drain(endpoint);
        }),
    );
    return Promise.allSettled(deliveries).then((results) => {
      const failures = results.flatMap((result) => (result.status === 'rejected' ? [TrancheError.from(result.reason).message] : []));
      if (failures.length > 0) throw new TrancheError('venue-unavailable', failures.join('; '), { retryable: false });
    });
  }

  /** Aborts attempts in flight and retries waiting; notifications still queued are rejected. Later calls send nothing. */
  close(): Promise<void> {
    this.closing.abort();
    for (const endpoint of this.endpoints) {
      for (const job of endpoint.queue.splice(0)) job.reject(new TrancheError('internal', `webhook ${endpoint.id}: closed before sending`, { retryable: false }));
    }
    return Promise.resolve();
  }

  private async drain(endpoint: Endpoint): Promise<void> {
    if (endpoint.busy) return;
    endpoint.busy = true;
    try {
      for (let job = endpoint.queue.shift(); job !== undefined; job = endpoint.queue.shift()) {
        try {
          await this.deliver(endpoint, job);
          this.stats.get(endpoint.id)!.delivered++;
          job.resolve();
        } catch (error) {
          this.stats.get(endpoint.id)!.failed++;
          job.reject(new TrancheError('venue-unavailable', redact(TrancheError.from(error).message, endpoint.secrets), { retryable: false }));
        }
      }
    } finally {
      endpoint.busy = false;
    }
  }

  /** One notification to one endpoint, with retries; throws a redacted error when it gives up. */
  private async deliver(endpoint: Endpoint, job: Job): Promise<void> {
    const body = JSON.stringify(webhookBody(job.notification, endpoint.format, endpoint.chatId));
    const signals = job.signal ? [this.closing.signal, job.signal] : [this.closing.signal];
    const cancelled = AbortSignal.any(signals);
    for (let attempt = 0; ; attempt++) {
      if (cancelled.aborted) throw new TrancheError('internal', `webhook ${endpoint.id}: abandoned after ${attempt} attempt(s)`, { retryable: false });
      const outcome = await this.attempt(endpoint, body, cancelled);
      if (outcome.ok) return;
      const where = `webhook ${endpoint.id} (${displayUrl(endpoint.url)})`;
      if (!outcome.retry || attempt >= this.config.retries) {
        throw new TrancheError('venue-unavailable', `${where}: ${outcome.reason}${outcome.retry ? `, gave up after ${attempt + 1} attempts` : ''}`, { retryable: false });
      }
      const { baseMs, maxMs, jitter } = this.config.backoff;
      if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > maxMs) {
        throw new TrancheError('rate-limited', `${where}: asks to wait ${outcome.retryAfterMs} ms, more than backoff.max_ms (${maxMs})`, { retryable: false });
      }
      const backoffMs = Math.min(maxMs, this.random.jitter(Math.min(maxMs, baseMs * 2 ** attempt), jitter));
      const delayMs = Math.max(backoffMs, outcome.retryAfterMs ?? 0);
      this.stats.get(endpoint.id)!.retried++;
      this.logger.debug('webhook attempt failed, retrying', { endpoint: endpoint.id, attempt: attempt + 1, reason: redact(outcome.reason, endpoint.secrets), delayMs });
      await this.wait(delayMs, cancelled);
    }
  }

  /** One POST, aborted after `timeoutMs` on the clock or when `cancelled` fires. */
  private async attempt(endpoint: Endpoint, body: string, cancelled: AbortSignal): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timeout = timer(this.config.timeoutMs, this.clock.scheduler).subscribe(() => {
      timedOut = true;
      controller.abort();
    });
    const onCancel = (): void => controller.abort();
    cancelled.addEventListener('abort', onCancel, { once: true });
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...endpoint.headers },
        body,
        signal: controller.signal,
        redirect: 'error',
      });
      const text = await response.text().catch(() => '');
      if (response.ok) return { ok: true };
      const status = `HTTP ${response.status}`;
      if (response.status === 429) {
        const retryAfterMs = this.retryAfterMs(response.headers.get('retry-after'), text);
        return { ok: false, retry: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), reason: status };
      }
      return { ok: false, retry: response.status >= 500, reason: `${status}${response.status < 500 && text ? `: ${text.slice(0, 200)}` : ''}` };
    } catch (error) {
      if (timedOut) return { ok: false, retry: true, reason: `no answer within ${this.config.timeoutMs} ms` };
      if (cancelled.aborted) return { ok: false, retry: false, reason: 'abandoned (closed or delivery timeout)' };
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      return { ok: false, retry: true, reason: `network error: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
    } finally {
      timeout.unsubscribe();
      cancelled.removeEventListener('abort', onCancel);
    }
  }

  /** `Retry-After` in seconds or as an HTTP date; else Telegram's `parameters.retry_after` in the JSON body. */
  private retryAfterMs(header: string | null, body: string): number | undefined {
    if (header !== null) {
      const seconds = Number(header.trim());
      if (header.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1_000);
      const date = Date.parse(header);
      if (Number.isFinite(date)) return Math.max(0, date - this.clock.now());
    }
    try {
      const parsed = JSON.parse(body) as { parameters?: { retry_after?: unknown } };
      const seconds = parsed.parameters?.retry_after;
      if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1_000);
    } catch {
      // Not JSON: no hint.
    }
    return undefined;
  }

  private wait(delayMs: number, cancelled: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let subscription: Subscription | undefined = undefined;
      const onCancel = (): void => {
        subscription?.unsubscribe();
        resolve();
      };
      subscription = timer(delayMs, this.clock.scheduler).subscribe(() => {
        cancelled.removeEventListener('abort', onCancel);
        resolve();
      });
      cancelled.addEventListener('abort', onCancel, { once: true });
    });
  }
}
