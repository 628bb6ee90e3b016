import { escapeHtml } from '../mail/invitation.js'

/** A page of its own, with no script, style or anything fetched: only a form back to this service. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
} as const

const page = (title: string, body: string): string => [
  '<!doctype html>',
  '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
  `<title>${escapeHtml(title)} · webchat</title></head>`,
  `<body><h1>${escapeHtml(title)}</h1>`,
  body,
  '</body></html>',
  ''
].join('\n')

/** What a GET of the link shows: nothing changes until the button is pressed (mail scanners follow links). */
export const confirmPage = (action: string): string => page('Stop webchat mails?', [
  '<p>webchat mails you about direct messages and mentions that reach you while you are away.</p>',
  `<form method="post" action="${escapeHtml(action)}"><button type="submit">Stop these mails</button></form>`
].join('\n'))

export const donePage = (appUrl: string): string => page('You will get no more of these mails', [
  '<p>webchat will not mail you about messages that reach you while you are away.</p>',
  `<p>To get them again, change your notification settings in <a href="${escapeHtml(appUrl)}">webchat</a>.</p>`
].join('\n'))

export const invalidPage = (appUrl: string): string => page('This link does not work', [
  '<p>This unsubscribe link is incomplete or not one webchat made. Nothing was changed.</p>',
  `<p>You can choose which mails you get in your notification settings in <a href="${escapeHtml(appUrl)}">webchat</a>.</p>`
].join('\n'))
