import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger } from 'fastify'
import type { Engine } from '@webchat/engine'
import { withDetail } from '@webchat/service-kit'
import type { InvitationResponse, User } from '@webchat/shared'
import { appUrlOf } from '../../config.js'
import { errors } from '../../errors.js'
import { names } from '../../names.js'
import { mailFailure, type Mailer } from './mailer.js'
import type { AuthMetrics } from './metrics.js'
import type { Signer } from './signer.js'
import { defaultName, normalizeEmail, type Users } from './users.js'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** Counters of signed-in users' requests: on the memory engine they stay out of the share of sessions. */
const TRAFFIC = { share: 'traffic' } as const

/** Domains of one provider that ignores dots in the local part (Gmail), each mapped to its one name. */
const DOTLESS: Record<string, string> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' }

/**
 * The inbox an address reaches, for the daily mail cap: `victim+1@…`, `victim+2@…` and `victim@…`
 * are one inbox at most providers (and at Gmail so is `v.ictim@googlemail.com`), so a spelling
 * must not buy another day's mails. As a digest, so the key does not spell the address out.
 * (Each spelling is still its own user.)
 */
export function mailboxOf (email: string): string {
  const lower = email.toLowerCase()
  const at = lower.lastIndexOf('@')
  const plus = lower.indexOf('+')
  let local = plus > 0 && plus < at ? lower.slice(0, plus) : lower.slice(0, at)
  let domain = lower.slice(at + 1)
  const dotless = DOTLESS[domain]
  if (dotless !== undefined) {
    local = local.replaceAll('.', '')
    domain = dotless
  }
  return createHash('sha256').update(`${local}@${domain}`).digest('base64url')
}

export interface InvitationRules {
  perHour: number
  mailsPerDay: number
  appUrl: string
}

export interface Invitations {
  /**
   * A ticket naming the user of `email` (the id it has, or the one it gets at its first sign-in),
   * for `inviter` only, and an invitation mail to the address in the background. Nothing is stored
   * for the address (only rate counters, alike for every address), so the answer is the same for a
   * registered and a new address, and it never waits for the mail server.
   */
  invite (inviter: User, email: string): Promise<InvitationResponse>
  /** Resolves when the mails under way are sent or failed (at shutdown). */
  settled (): Promise<void>
}

export interface InvitationsOptions extends InvitationRules {
  engine: Engine
  users: Users
  signer: Signer
  mailer: Mailer
  metrics: AuthMetrics
  log: FastifyBaseLogger
}

export function createInvitations ({ engine, users, signer, mailer, metrics, log, ...rules }: InvitationsOptions): Invitations {
  const pending = new Set<Promise<void>>()

  /** A few mails per inbox per counted day, whoever invites and however the address is tagged: nobody can mail-bomb an inbox. */
  const mail = async (email: string, inviter: User): Promise<void> => {
    const { count } = await engine.counters.increment(names.invitationMails(mailboxOf(email)), DAY_MS, 1, TRAFFIC)
    if (count > rules.mailsPerDay) {
      metrics.invitationMails.inc({ result: 'skipped' })
      return
    }
    await mailer.sendInvitation(email, { inviterEmail: inviter.email, appUrl: rules.appUrl })
    metrics.invitationMails.inc({ result: 'sent' })
  }

  return {
    async invite (inviter, rawEmail) {
      const email = normalizeEmail(rawEmail)
      if (email === inviter.email) throw new errors.BadRequest('that is your own address')
      const { count, resetMs } = await engine.counters.increment(names.invitationsAsked(inviter.id), HOUR_MS, 1, TRAFFIC)
      if (count > rules.perHour) throw withDetail(new errors.RateLimited(), { retryAfter: Math.ceil(resetMs / 1000) })
      // Read only: a new address is stored at its own first sign-in, under this same id.
      const inviteeId = await users.idOf(email)
      // The name from the address, never the stored one: a display name would show that the address signed in before.
      const { ticket, expiresAt } = await signer.signInvitation({ inviterId: inviter.id, inviteeId, name: defaultName(email) })
      metrics.invitations.inc()
      const sending = mail(email, inviter).catch((err: unknown) => {
        metrics.invitationMails.inc({ result: 'failed' })
        log.warn({ mail: mailFailure(err) }, 'invitation mail failed')
      }).finally(() => { pending.delete(sending) })
      pending.add(sending)
      return { ticket, expiresAt }
    },
    async settled () {
      await Promise.all([...pending])
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    invitations: Invitations
  }
}

export default fp(async function invitationsPlugin (fastify) {
  const config = fastify.authConfig
  const invitations = createInvitations({
    engine: fastify.engine,
    users: fastify.users,
    signer: fastify.signer,
    mailer: fastify.mailer,
    metrics: fastify.authMetrics,
    log: fastify.log,
    perHour: config.invitationsPerHour,
    mailsPerDay: config.invitationMailsPerDay,
    appUrl: appUrlOf(config)
  })
  fastify.decorate('invitations', invitations)
  // Mails under way are finished (each within SMTP_TIMEOUT_MS) before the mailer closes.
  fastify.addHook('preClose', async () => { await invitations.settled() })
}, { name: 'auth-invitations', dependencies: ['auth-config', 'auth-engine', 'auth-users', 'auth-signer', 'auth-mailer', 'auth-metrics'] })
