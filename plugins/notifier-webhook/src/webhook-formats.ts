import type { Notification } from '@tranche/core';
import type { WebhookFormat } from './webhook-notifier-config.schema.js';

const LABELS: Record<Notification['severity'], string> = { info: 'INFO', warning: 'WARNING', critical: 'CRITICAL' };
const EMOJI: Record<Notification['severity'], string> = { info: 'ℹ️', warning: '⚠️', critical: '🚨' };
/** Discord embed colours by severity (blue, amber, red). */
export const DISCORD_COLORS: Record<Notification['severity'], number> = { info: 0x3498db, warning: 0xf1c40f, critical: 0xe74c3c };

/** Cuts `text` to `max` characters (code points, so emoji are never split), ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

function isoTime(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString() : String(ts);
}

const escapeSlack = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** HTML-escapes `text` into at most `max` characters, never cutting an entity in two (Telegram refuses broken HTML). */
export function escapeHtmlWithin(text: string, max: number): string {
  let result = '';
  const characters = [...text];
  for (let index = 0; index < characters.length; index++) {
    const escaped = HTML_ENTITIES[characters[index]!] ?? characters[index]!;
    if (result.length + escaped.length > max - (index < characters.length - 1 ? 1 : 0)) return `${result}…`;
    result += escaped;
  }
  return result;
}

function context(notification: Notification): string {
  return [notification.event, notification.executionId, isoTime(notification.ts)].filter((part) => part !== undefined).join(' · ');
}

/** The body POSTed for one notification in one format (a plain object, sent as JSON). */
export function webhookBody(notification: Notification, format: WebhookFormat, chatId?: string | number): Record<string, unknown> {
  const { severity, title, message } = notification;
  switch (format) {
    case 'json':
      return {
        source: 'tranche',
        event: notification.event,
        severity,
        title,
        message,
        ts: notification.ts,
        time: isoTime(notification.ts),
        ...(notification.executionId === undefined ? {} : { executionId: notification.executionId }),
        ...(notification.data === undefined ? {} : { data: notification.data }),
      };
    case 'slack':
      // `text` is the fallback (notifications, old clients); blocks carry the layout. Limits: header 150, section 3000.
      return {
        text: truncate(`${EMOJI[severity]} [${LABELS[severity]}] ${escapeSlack(title)}: ${escapeSlack(message)}`, 3_000),
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: truncate(`${EMOJI[severity]} ${title}`, 150), emoji: true } },
          { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeSlack(message), 3_000) } },
          { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(`*${LABELS[severity]}* · ${escapeSlack(context(notification))}`, 3_000) }] },
        ],
      };
    case 'discord':
      // No mentions: a message text can never ping @everyone. Limits: content 2000, title 256, description 4096.
      return {
        content: truncate(`${EMOJI[severity]} **${LABELS[severity]}** ${title}`, 2_000),
        embeds: [
          {
            title: truncate(title, 256),
            description: truncate(message, 4_096),
            color: DISCORD_COLORS[severity],
            timestamp: isoTime(notification.ts),
            footer: { text: truncate(`Tranche · ${context(notification)}`, 2_048) },
          },
        ],
        allowed_mentions: { parse: [] },
      };
    case 'telegram':
      return {
        chat_id: chatId,
        // 4096 characters at most: title 512 + message 3000 + context 400 + tags stay below it, escaped.
        text: `${EMOJI[severity]} <b>${escapeHtmlWithin(title, 512)}</b>\n${escapeHtmlWithin(message, 3_000)}\n<i>${escapeHtmlWithin(context(notification), 400)}</i>`,
        parse_mode: 'HTML',
        disable_web_page_preview: true,
      };
  }
}
