import type { NotificationItem } from '@webchat/shared'
import { escapeHtml } from './invitation.js'
import type { MailMessage } from './message.js'

/** What a notification mail says, and where its links go. */
export interface NotificationMail {
  /** The job's id: the mail's Message-ID is made from it, so a resent mail is recognisable. */
  jobId: string
  /** Oldest first. */
  items: NotificationItem[]
  /** Unread items not listed. */
  more: number
  /** The web app (rooms are at `/r/<name>` of its origin, as web/src/model/room-path.ts has it). */
  appUrl: string
  /** The user's signed one-click unsubscribe link. */
  unsubscribeUrl: string
}

/** The mail with the headers it needs besides the mailer's own. */
export interface NotificationMessage extends MailMessage {
  headers: Record<string, string>
}

const HTTP_URL = /^https?:\/\/[^\s"'<>]+$/

/**
 * Text a user made (names, titles, previews) as one line: control and format characters (line
 * breaks, direction overrides) become spaces, so that a preview cannot add lines that pass for the
 * mail's own (a fake footer) nor reorder what the reader sees.
 */
const oneLine = (text: string): string => text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ').replace(/\s{2,}/g, ' ').trim()

/** A time as the mail shows it, in UTC: the mail cannot know the reader's time zone. */
const timeOf = (ts: number): string => `${new Date(ts).toISOString().slice(0, 16).replace('T', ' ')} UTC`

const roomUrl = (appUrl: string, room: string): string => new URL(`/r/${encodeURIComponent(room)}`, appUrl).href

/** "Ann", "Ann and Bob", "Ann, Bob and others". */
function senders (items: NotificationItem[]): string {
  const distinct = [...new Set(items.map((item) => oneLine(item.from.name)))]
  if (distinct.length === 1) return distinct[0]!
  if (distinct.length === 2) return `${distinct[0]!} and ${distinct[1]!}`
  return `${distinct[0]!}, ${distinct[1]!} and others`
}

export function notificationSubject (items: NotificationItem[], more: number): string {
  const total = items.length + more
  const first = items[0]!
  if (total === 1) {
    const from = oneLine(first.from.name)
    return first.kind === 'direct' ? `${from} sent you a message` : `${from} mentioned you in ${oneLine(first.roomTitle)}`
  }
  return `${total} new messages from ${senders(items)}`
}

/** The mail about messages a user missed: each item with its sender, room, preview, time and link. */
export function notificationMessage ({ items, more, appUrl, unsubscribeUrl }: NotificationMail): NotificationMessage {
  if (items.length === 0) throw new Error('a notification mail lists at least one item')
  for (const url of [appUrl, unsubscribeUrl]) if (!HTTP_URL.test(url)) throw new Error('a notification link is not an http(s) URL')
  const shown = items.map((item) => ({
    from: oneLine(item.from.name),
    where: item.kind === 'direct' ? 'a direct message' : `a mention in ${oneLine(item.roomTitle)}`,
    preview: oneLine(item.preview),
    time: timeOf(item.ts),
    link: roomUrl(appUrl, item.room)
  }))
  const moreLine = more > 0 ? `And ${more} more unread ${more === 1 ? 'message' : 'messages'}.` : ''
  const text = [
    'While you were away on webchat:',
    '',
    ...shown.flatMap((s) => [`${s.from}, ${s.where}, ${s.time}:`, `  ${s.preview}`, `  ${s.link}`, '']),
    ...(moreLine === '' ? [] : [moreLine, '']),
    `Open webchat: ${appUrl}`,
    '',
    '--',
    'You get this mail because messages reached you while you were away.',
    `Choose which mails you get in webchat's settings: ${appUrl}`,
    `Unsubscribe from these mails: ${unsubscribeUrl}`,
    ''
  ].join('\n')
  const link = (href: string, label: string): string => `<a href="${escapeHtml(href)}">${escapeHtml(label)}</a>`
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    '<p>While you were away on webchat:</p>',
    '<ul>',
    ...shown.map((s) => `<li><p><strong>${escapeHtml(s.from)}</strong>, ${escapeHtml(s.where)}, ${escapeHtml(s.time)}:</p>` +
      `<blockquote>${escapeHtml(s.preview)}</blockquote><p>${link(s.link, 'Open the conversation')}</p></li>`),
    '</ul>',
    ...(moreLine === '' ? [] : [`<p>${escapeHtml(moreLine)}</p>`]),
    `<p>${link(appUrl, 'Open webchat')}</p>`,
    '<hr><p style="font-size:12px;color:#666">You get this mail because messages reached you while you were away. ' +
      `${link(appUrl, 'Choose which mails you get')} in webchat's settings, or ${link(unsubscribeUrl, 'unsubscribe from these mails')}.</p>`,
    '</body></html>'
  ].join('\n')
  return {
    subject: notificationSubject(items, more),
    text,
    html,
    headers: {
      // RFC 2369 and RFC 8058: mail clients show an unsubscribe button that POSTs the link.
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click'
    }
  }
}

/** The Message-ID of a job's mail, in the domain of the sender's address: the same on every attempt. */
export function notificationMessageId (jobId: string, from: string): string {
  const domain = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from)?.[1] ?? 'webchat.localhost'
  return `<notification.${jobId}@${domain}>`
}
