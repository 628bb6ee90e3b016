import fp from 'fastify-plugin'
import { createTransport } from 'nodemailer'
import { withDeadline } from '@webchat/engine'
import { invitationMessage, type InvitationMail } from '../../mail/invitation.js'
import { codeMessage, isDeliverable, type MailMessage } from '../../mail/message.js'
import { notificationMessage, notificationMessageId, type NotificationMail } from '../../mail/notification.js'

export interface Mailer {
  /** Resolves once the mail server accepted the message; rejects within `timeoutMs` otherwise. */
  sendCode (to: string, code: string): Promise<void>
  /** The same for an invitation mail (mail/invitation.ts). */
  sendInvitation (to: string, invitation: InvitationMail): Promise<void>
  /** The same for a mail about missed messages (mail/notification.ts), its Message-ID made from the job's id. */
  sendNotification (to: string, notification: NotificationMail): Promise<void>
  /**
   * Whether the mail server answered the last probe (false until one has). Never waits: a probe
   * starts in the background when the last answer is a success older than `probeCacheMs`, or a
   * failure older than `probeRetryMs`.
   */
  reachable (): boolean
  /**
   * Stops probing. A probe under way cannot be aborted (nodemailer's verify has no handle): it
   * ends within `timeoutMs` and its answer is ignored.
   */
  close (): void
}

export interface MailerOptions {
  transport: 'smtp' | 'console'
  smtpUrl: string
  from: string
  timeoutMs: number
  codeTtlSeconds: number
  /** Where the console transport prints; defaults to stdout. */
  print?: (line: string) => void
  /** How long a successful probe is trusted before the next read starts another (default 5 s). */
  probeCacheMs?: number
  /**
   * How long after a failed probe the next may start (default 1 s): /readyz is public, and polling
   * it must not turn into back-to-back connection and login attempts at a provider that is down.
   */
  probeRetryMs?: number
}

export interface BackgroundProbe {
  /** The last answer (false before the first one); starts a probe if it is due and none is under way. */
  read (): boolean
  /** No probe after this; the answer of one under way is ignored. */
  stop (): void
}

/**
 * The last answer of `probe`, never awaited, so a probe that hangs cannot slow the reader. A read
 * starts a probe when the last answer is a success older than `maxAgeMs` or a failure older than
 * `retryMs` (recovery shows on a read after the next probe); never more than one at a time.
 */
export function backgroundProbe (probe: () => Promise<boolean>, maxAgeMs: number, retryMs = 1000): BackgroundProbe {
  let ok = false
  let answeredAt = -Infinity
  let running = false
  let stopped = false
  const start = (): void => {
    running = true
    void probe().catch(() => false).then((answer) => {
      running = false
      if (stopped) return
      ok = answer
      answeredAt = Date.now()
    })
  }
  return {
    read () {
      if (!stopped && !running && Date.now() - answeredAt >= (ok ? maxAgeMs : retryMs)) start()
      return ok
    },
    stop () { stopped = true }
  }
}

/** What of a mail failure may be logged: never its message, which can quote the address. */
export function mailFailure (err: unknown): Record<string, unknown> {
  const e = err as { code?: unknown, responseCode?: unknown, command?: unknown }
  return { code: e.code, responseCode: e.responseCode, command: e.command }
}

export function createMailer (options: MailerOptions): Mailer {
  const minutes = Math.round(options.codeTtlSeconds / 60)
  const refuse = (): never => { throw Object.assign(new Error('refusing an undeliverable address'), { code: 'EADDRESS' }) }
  if (options.transport === 'console') {
    const print = options.print ?? ((line: string) => { process.stdout.write(line + '\n') })
    return {
      async sendCode (to, code) {
        if (!isDeliverable(to)) refuse()
        codeMessage(code, minutes)
        print(`[mail:console] sign-in code for ${to}: ${code}`)
      },
      async sendInvitation (to, invitation) {
        if (!isDeliverable(to)) refuse()
        invitationMessage(invitation)
        print(`[mail:console] invitation for ${to} from ${invitation.inviterEmail}: ${invitation.appUrl}`)
      },
      async sendNotification (to, notification) {
        if (!isDeliverable(to)) refuse()
        notificationMessage(notification)
        // Not the text: it quotes other people's messages, and carries the unsubscribe signature.
        print(`[mail:console] notification mail ${notificationMessageId(notification.jobId, options.from)} (${notification.items.length} items, ${notification.more} more)`)
      },
      reachable: () => true,
      close () {}
    }
  }
  const t = options.timeoutMs
  const transporter = createTransport({
    url: options.smtpUrl,
    connectionTimeout: t,
    greetingTimeout: t,
    socketTimeout: t,
    dnsTimeout: t,
    disableFileAccess: true,
    disableUrlAccess: true,
    logger: false
  })
  // The deadlines are unref'd: a probe still under way at shutdown must not hold the process up.
  const probe = backgroundProbe(async () => await withDeadline(transporter.verify(), t, { unref: true }), options.probeCacheMs ?? 5000, options.probeRetryMs)
  const send = async (to: string, { subject, text, html }: MailMessage, extra: { headers?: Record<string, string>, messageId?: string } = {}): Promise<void> => {
    await withDeadline(transporter.sendMail({ from: options.from, to: { name: '', address: to }, subject, text, html, ...extra }), t, { unref: true })
  }
  return {
    async sendCode (to, code) {
      if (!isDeliverable(to)) refuse()
      await send(to, codeMessage(code, minutes))
    },
    async sendInvitation (to, invitation) {
      if (!isDeliverable(to)) refuse()
      await send(to, invitationMessage(invitation))
    },
    async sendNotification (to, notification) {
      if (!isDeliverable(to)) refuse()
      const { headers, ...message } = notificationMessage(notification)
      await send(to, message, { headers, messageId: notificationMessageId(notification.jobId, options.from) })
    },
    reachable: probe.read,
    close () {
      probe.stop()
      transporter.close()
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer
  }
}

export default fp(async function mailerPlugin (fastify) {
  const config = fastify.authConfig
  const mailer = createMailer({
    transport: config.mailTransport,
    smtpUrl: config.smtpUrl,
    from: config.mailFrom,
    timeoutMs: config.smtpTimeoutMs,
    codeTtlSeconds: config.codeTtl
  })
  if (config.mailTransport === 'console') fastify.log.warn('MAIL_TRANSPORT=console: sign-in codes are printed to the terminal, not mailed')
  fastify.decorate('mailer', mailer)
  // The first probe starts with the service, so that /readyz soon reports the mail server.
  fastify.addHook('onReady', async () => { mailer.reachable() })
  fastify.addHook('onClose', async () => { mailer.close() })
}, { name: 'auth-mailer', dependencies: ['auth-config'] })
