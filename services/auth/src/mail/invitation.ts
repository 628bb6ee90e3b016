import { normalizeName } from '@webchat/shared'
import { isDeliverable, type MailMessage } from './message.js'

export const INVITATION_SUBJECT = 'An invitation to chat on webchat'

/** What an invitation mail says: who asks (as their sign-in verified them) and where to go. */
export interface InvitationMail {
  /** The inviter's display name. */
  inviterName: string
  /** The inviter's address, verified by their sign-in. */
  inviterEmail: string
  /** The web app. */
  appUrl: string
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)

/**
 * The mail inviting an address to webchat. The inviter's display name is the only text a user
 * chose, and it passed the name rule (1 to 40 characters that show); the address was verified
 * by their sign-in. Nothing else a user typed goes in (no room title, no note): an invitation
 * must not carry a stranger's message to any address. Each part is checked again here.
 */
export function invitationMessage ({ inviterName, inviterEmail, appUrl }: InvitationMail): MailMessage {
  if (normalizeName(inviterName) !== inviterName) throw new Error('the inviter\'s name breaks the name rule')
  if (!isDeliverable(inviterEmail)) throw new Error('the inviter\'s address is not one address')
  if (!/^https?:\/\/[^\s"'<>]+$/.test(appUrl)) throw new Error('the app URL is not an http(s) URL')
  const who = `${inviterName} (${inviterEmail})`
  const text = [
    `${who} wants to chat with you on webchat.`,
    '',
    `To answer, open ${appUrl} and sign in with this address: the conversation is waiting there.`,
    '',
    'If you do not know them, you can ignore this message: nothing happens unless you sign in.',
    ''
  ].join('\n')
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p><strong>${escapeHtml(inviterName)}</strong> (${escapeHtml(inviterEmail)}) wants to chat with you on webchat.</p>`,
    `<p>To answer, open <a href="${escapeHtml(appUrl)}">${escapeHtml(appUrl)}</a> and sign in with this address: the conversation is waiting there.</p>`,
    '<p>If you do not know them, you can ignore this message: nothing happens unless you sign in.</p>',
    '</body></html>'
  ].join('\n')
  return { subject: INVITATION_SUBJECT, text, html }
}
