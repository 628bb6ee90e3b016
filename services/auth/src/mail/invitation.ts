import { isDeliverable, type MailMessage } from './message.js'

export const INVITATION_SUBJECT = 'An invitation to chat on webchat'

/** What an invitation mail says: who asks (as their sign-in verified them) and where to go. */
export interface InvitationMail {
  /** The inviter's address, verified by their sign-in. */
  inviterEmail: string
  /** The web app. */
  appUrl: string
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)

/**
 * The mail inviting an address to webchat. It names the inviter by the address their sign-in
 * verified, and by nothing they chose: a display name is free text ("PayPal (service@paypal.com)"
 * would pass the name rule), and this mail comes from our own MAIL_FROM. Nothing else a user
 * typed goes in (no room title, no note): an invitation must not carry a stranger's message to
 * any address. Each part is checked again here.
 */
export function invitationMessage ({ inviterEmail, appUrl }: InvitationMail): MailMessage {
  if (!isDeliverable(inviterEmail)) throw new Error('the inviter\'s address is not one address')
  if (!/^https?:\/\/[^\s"'<>]+$/.test(appUrl)) throw new Error('the app URL is not an http(s) URL')
  const text = [
    `The webchat user signed in as ${inviterEmail} wants to chat with you.`,
    '',
    `To answer, open ${appUrl} and sign in with this address: the conversation is waiting there.`,
    '',
    'If you do not know them, you can ignore this message: nothing happens unless you sign in.',
    ''
  ].join('\n')
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<p>The webchat user signed in as <strong>${escapeHtml(inviterEmail)}</strong> wants to chat with you.</p>`,
    `<p>To answer, open <a href="${escapeHtml(appUrl)}">${escapeHtml(appUrl)}</a> and sign in with this address: the conversation is waiting there.</p>`,
    '<p>If you do not know them, you can ignore this message: nothing happens unless you sign in.</p>',
    '</body></html>'
  ].join('\n')
  return { subject: INVITATION_SUBJECT, text, html }
}
