import fp from 'fastify-plugin'
import { createTransport } from 'nodemailer'
import { codeMessage, isDeliverable } from '../../mail/message.js'

export interface Mailer {
  /** Resolves once the mail server accepted the message; rejects within `timeoutMs` otherwise. */
  sendCode (to: string, code: string): Promise<void>
  /** Whether the mail server answers (a success is remembered for a few seconds). */
  check (): Promise<boolean>
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
  probeCacheMs?: number
}

/** Rejects when `promise` takes longer than `ms`; the late outcome is swallowed. */
async function within<T> (promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms)
  })
  promise.catch(() => {})
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Remembers a successful probe for `ttlMs` and shares one probe among concurrent callers. A
 * failure is not remembered: the next call probes again, so recovery shows at once.
 */
function cachedProbe (probe: () => Promise<boolean>, ttlMs: number): () => Promise<boolean> {
  let okAt = -Infinity
  let pending: Promise<boolean> | undefined
  return async () => {
    if (Date.now() - okAt < ttlMs) return true
    pending ??= probe().catch(() => false).then((ok) => {
      if (ok) okAt = Date.now()
      pending = undefined
      return ok
    })
    return await pending
  }
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
      check: async () => true,
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
  const check = cachedProbe(async () => await within(transporter.verify(), t, 'SMTP probe'), options.probeCacheMs ?? 5000)
  return {
    async sendCode (to, code) {
      if (!isDeliverable(to)) refuse()
      const { subject, text, html } = codeMessage(code, minutes)
      await within(transporter.sendMail({ from: options.from, to: { name: '', address: to }, subject, text, html }), t, 'SMTP send')
    },
    check,
    close: () => { transporter.close() }
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
  fastify.addHook('onClose', async () => { mailer.close() })
}, { name: 'auth-mailer', dependencies: ['auth-config'] })
