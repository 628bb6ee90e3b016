import { setTimeout as sleep } from 'node:timers/promises'
import { SMTPServer } from 'smtp-server'
import { LIMITS } from '@webchat/shared'

export interface CapturedMail {
  from: string
  to: string[]
  raw: string
}

export interface SmtpSink {
  url: string
  port: number
  mails: CapturedMail[]
  /** The newest code (LIMITS.codeDigits digits) mailed to `email`, waiting up to `timeoutMs` for it. */
  codeFor (email: string, timeoutMs?: number): Promise<string>
  /** While failing, every message is refused with a 4xx reply. */
  failing: boolean
  close (): Promise<void>
}

/** A code's digits standing alone: not part of a MIME boundary, an id or a longer number. */
const CODE = new RegExp(`(?<![0-9A-Za-z_=.-])([0-9]{${LIMITS.codeDigits}})(?![0-9A-Za-z_-])`)

/**
 * A captured mail's body after its headers, with quoted-printable undone (soft breaks joined, so
 * that a code split across lines is found; `=XX` as UTF-8 bytes).
 */
export function bodyOf (mail: CapturedMail): string {
  const body = mail.raw.split(/\r?\n\r?\n/).slice(1).join('\n\n').replace(/=\r?\n/g, '')
  return body.replace(/(?:=[0-9A-F]{2})+/g, (run) => Buffer.from(run.replace(/=/g, ''), 'hex').toString('utf8'))
}

/** A real SMTP server in process on 127.0.0.1, capturing every message. */
export async function startSmtpSink (): Promise<SmtpSink> {
  const mails: CapturedMail[] = []
  const sink: SmtpSink = {
    url: '', port: 0, mails, failing: false,
    async codeFor (email, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      const to = email.toLowerCase()
      while (Date.now() < deadline) {
        for (let i = mails.length - 1; i >= 0; i--) {
          const mail = mails[i]!
          if (!mail.to.some((t) => t.toLowerCase() === to)) continue
          const match = CODE.exec(bodyOf(mail))
          if (match?.[1] !== undefined) return match[1]
        }
        await sleep(20)
      }
      throw new Error(`no code mailed to ${email} within ${timeoutMs} ms`)
    },
    close: async () => { await new Promise<void>((resolve) => server.close(() => resolve())) }
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData (stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (sink.failing) { callback(Object.assign(new Error('mailbox unavailable'), { responseCode: 451 })); return }
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8')
        })
        callback()
      })
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.server.address()
  sink.port = typeof address === 'object' && address !== null ? address.port : 0
  sink.url = `smtp://127.0.0.1:${sink.port}`
  return sink
}
