import { CODE_PATTERN, EMAIL_PATTERN, LIMITS } from '@webchat/shared'

export const SUBJECT = 'Your webchat sign-in code'

const emailPattern = new RegExp(EMAIL_PATTERN)
const codeRule = new RegExp(CODE_PATTERN)

/**
 * The address is the only user input that reaches the mail server: one address, no display
 * name, no list, no whitespace, no CR/LF. Checked here again whatever the route checked.
 */
export function isDeliverable (address: string): boolean {
  return typeof address === 'string' && address.length <= LIMITS.emailChars &&
    !/[\r\n\s,;<>"]/.test(address) && emailPattern.test(address)
}

/** A mail as the mailer sends it: a subject, text and HTML bodies. */
export interface MailMessage {
  subject: string
  text: string
  html: string
}

/**
 * The code as the HTML body shows it: two groups (1234 5678) that are easier to read and type,
 * set apart by a margin rather than a character, so that a copy of it is the code as the API takes it.
 */
function groupedHtml (code: string): string {
  const half = Math.ceil(code.length / 2)
  return `${code.slice(0, half)}<span style="margin-left:14px">${code.slice(half)}</span>`
}

/** The mail carrying a code: a fixed subject, text and HTML bodies; nothing else varies. */
export function codeMessage (code: string, validMinutes: number): MailMessage {
  if (!codeRule.test(code)) throw new Error(`a code is ${LIMITS.codeDigits} digits`)
  const text = [
    `Your webchat sign-in code is ${code}`,
    '',
    `Enter it on the sign-in page within ${validMinutes} minutes. It works once.`,
    'If you did not ask for it, you can ignore this message: nobody can sign in without the code.',
    ''
  ].join('\n')
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    '<p>Your webchat sign-in code is</p>',
    `<p style="font-size:28px;letter-spacing:4px"><strong>${groupedHtml(code)}</strong></p>`,
    `<p>Enter it on the sign-in page within ${validMinutes} minutes. It works once.</p>`,
    '<p>If you did not ask for it, you can ignore this message: nobody can sign in without the code.</p>',
    '</body></html>'
  ].join('\n')
  return { subject: SUBJECT, text, html }
}
