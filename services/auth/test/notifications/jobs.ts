import { randomUUID } from 'node:crypto'
import type { Engine } from '@webchat/engine'
import { NOTIFICATION_QUEUE, type NotificationItem, type NotificationJob } from '@webchat/shared'
import { bodyOf, type CapturedMail, type SmtpSink } from '@webchat/testkit'
import type { FastifyInstance } from 'fastify'
import { type Built, signIn, sleep } from '../helper.js'

/** Settings that make the worker quick: it polls often and retries a mail after 1.6 s. */
export const QUICK_WORKER = { NOTIFY_POLL_MS: '20', SMTP_TIMEOUT_MS: '500', NOTIFY_RETRY_MS: '1600', NOTIFY_RETRY_MAX_MS: '1600', APP_URL: 'https://chat.example.com' }

let clock = Date.UTC(2024, 4, 1, 10, 30)

/** An item of `kind` from Ann (or `from`), in a room named after its kind unless given. */
export function item (kind: NotificationItem['kind'], over: Partial<NotificationItem> = {}): NotificationItem {
  clock += 60_000
  return {
    kind,
    room: kind === 'direct' ? 'dm-ann' : 'project-x',
    roomTitle: kind === 'direct' ? 'Ann' : 'Project X',
    messageId: `${clock}-0`,
    from: { id: 'ann-id', name: 'Ann' },
    preview: `hello at ${clock}`,
    ts: clock,
    ...over
  }
}

export const job = (user: string, items: NotificationItem[], more = 0): NotificationJob => ({ id: randomUUID(), user, items, more })

/** Pushes jobs (or any text) into the notification queue as chat does. */
export async function push (engine: Engine, ...jobs: Array<NotificationJob | string>): Promise<void> {
  for (const j of jobs) {
    const id = await engine.queues.push(NOTIFICATION_QUEUE, typeof j === 'string' ? j : JSON.stringify(j), 10_000)
    if (id === null) throw new Error('the queue refused the job')
  }
}

/** Waits until the queue holds nothing (every job acknowledged or buried). */
export async function drained (engine: Engine, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while ((await engine.queues.depth(NOTIFICATION_QUEUE)).queued > 0) {
    if (Date.now() > deadline) throw new Error('the notification queue was not drained in time')
    await sleep(20)
  }
}

/** The notification mails (not the sign-in codes) the sink captured for `address`. */
export const mailsTo = (sink: SmtpSink, address: string): CapturedMail[] =>
  sink.mails.filter((m) => m.to.includes(address) && headerOf(m, 'List-Unsubscribe') !== undefined)

/** A user signed in through the routes: their id and session cookie. */
export async function signedUp (built: Built, email: string): Promise<{ id: string, cookie: string }> {
  const cookie = await signIn(built, email)
  const me = await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })
  return { id: me.json().user.id, cookie }
}

/** `PUT /auth/me/notifications` for the session of `cookie`. */
export async function choose (app: FastifyInstance, cookie: string, email: string): Promise<void> {
  const res = await app.inject({ method: 'PUT', url: '/auth/me/notifications', headers: { cookie }, payload: { email } })
  if (res.statusCode !== 200) throw new Error(`settings refused: ${res.statusCode} ${res.body}`)
}

/** webchat_auth_notification_mails_total of one outcome, as /metrics shows it. */
export async function outcomes (app: FastifyInstance, outcome: string): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
  const line = text.split('\n').find((l) => l.startsWith(`webchat_auth_notification_mails_total{outcome="${outcome}"}`))
  return line === undefined ? 0 : Number(line.split(' ').at(-1))
}

/** The HTML part of a captured mail, decoded. */
export function htmlOf (mail: CapturedMail): string {
  const body = bodyOf(mail)
  return body.slice(body.indexOf('Content-Type: text/html'))
}

/** A header of a captured mail, unfolded. */
export function headerOf (mail: CapturedMail, name: string): string | undefined {
  const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ')
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
  return line?.slice(name.length + 1).trim()
}
