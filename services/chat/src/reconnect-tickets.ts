import { createHash, randomBytes } from 'node:crypto'
import { type Engine, engineDeadline } from '@webchat/engine'
import { isUserId, TOKEN_AUDIENCE, type TokenClaims } from '@webchat/shared'
import type { Config } from './config.js'
import { errors } from './errors.js'
import { names } from './names.js'
import type { Tokens } from './tokens.js'

/** Marks a reconnect ticket where a chat token may stand (a JWT never starts so). */
export const TICKET_PREFIX = 'wcr1.'

/** What a connection holds of its ticket: the key it is stored under, never the ticket itself. */
export interface TicketHolder {
  readonly user: { id: string, name: string }
  readonly sid: string
  /** When the connection's token ends, in ms since the epoch. */
  readonly expiresAt: number
  ticketKey: string | null
}

/** A ticket read off the upgrade: whose it claims to be, before the engine is asked. */
export interface PresentedTicket {
  userId: string
  key: string
}

/**
 * Reconnect tickets: a connection is given one in `ready` (and a new one in `refreshed`); any
 * instance opens one new connection of the same user and session for it, with Redis reads only
 * (no signature to verify, no call to auth). It lives while its connection is open and
 * RECONNECT_TICKET_MS after it ends, and carries the expiry of the connection's token, so a ticket
 * never lengthens what auth granted: the new connection must refresh as the old one would have.
 */
export interface ReconnectTickets {
  readonly enabled: boolean
  /** A ticket for `holder` (the one it held stops working); undefined when tickets are off. */
  issue (holder: TicketHolder): Promise<string | undefined>
  /** The ticket's user and key, from its text alone (no engine call); `invalid_token` when it is malformed. */
  read (ticket: string): PresentedTicket
  /** Uses the ticket up and checks its session: the claims the new connection runs with. */
  admit (presented: PresentedTicket): Promise<TokenClaims>
  /** The holder's connection ended: its ticket works RECONNECT_TICKET_MS more. */
  ended (holder: TicketHolder): void
  /** Keeps the tickets of open connections alive (each instance every half ticket life). */
  keepAlive (holders: Iterable<TicketHolder>): Promise<void>
}

interface Stored { sid: string, name: string, exp: number }

const encode = (text: string): string => Buffer.from(text).toString('base64url')
/** The key holds a digest of the secret part: whoever reads Redis's keys cannot use them. */
const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url').slice(0, 32)
const BASE64URL = /^[A-Za-z0-9_-]+$/

function parseStored (raw: string): Stored | null {
  try {
    const value = JSON.parse(raw) as Partial<Stored>
    return typeof value.sid === 'string' && typeof value.name === 'string' && typeof value.exp === 'number' ? value as Stored : null
  } catch {
    return null
  }
}

export function createReconnectTickets ({ config, engine, tokens }: { config: Config, engine: Engine, tokens: Pick<Tokens, 'revoked'> }): ReconnectTickets {
  const lifeMs = config.reconnectTicketMs
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const refused = (reason: string): Error => new errors.InvalidToken(`${reason}: fetch a new token`)

  return {
    enabled: lifeMs > 0,
    async issue (holder) {
      if (lifeMs === 0) return undefined
      const secret = randomBytes(24).toString('base64url')
      const key = names.reconnectTicket(holder.user.id, digest(secret))
      const stored: Stored = { sid: holder.sid, name: holder.user.name, exp: Math.ceil(holder.expiresAt / 1000) }
      await deadline(engine.kv.set(key, JSON.stringify(stored), lifeMs))
      const previous = holder.ticketKey
      holder.ticketKey = key
      if (previous !== null) engine.kv.delete(previous).catch(() => {})
      return `${TICKET_PREFIX}${encode(holder.user.id)}.${secret}`
    },
    read (ticket) {
      const parts = ticket.slice(TICKET_PREFIX.length).split('.')
      const [user, secret] = parts
      if (lifeMs === 0) throw refused('reconnect tickets are not accepted here')
      if (parts.length !== 2 || user === undefined || secret === undefined || !BASE64URL.test(user) || secret.length !== 32 || !BASE64URL.test(secret)) {
        throw refused('the reconnect ticket is malformed')
      }
      const userId = Buffer.from(user, 'base64url').toString()
      if (!isUserId(userId)) throw refused('the reconnect ticket is malformed')
      return { userId, key: names.reconnectTicket(userId, digest(secret)) }
    },
    async admit ({ userId, key }) {
      const raw = await deadline(engine.kv.consume(key))
      if (raw === null) throw refused('the reconnect ticket is unknown, used or expired')
      const stored = parseStored(raw)
      if (stored === null) throw refused('the reconnect ticket is malformed')
      if (await tokens.revoked(stored.sid)) throw refused('the session of this ticket has ended')
      if (stored.exp * 1000 + config.tokenGraceMs <= Date.now()) throw refused('the token this ticket carries has expired')
      const now = Math.floor(Date.now() / 1000)
      return { iss: config.tokenIssuer, aud: TOKEN_AUDIENCE, sub: userId, sid: stored.sid, name: stored.name, jti: key, iat: now, exp: stored.exp }
    },
    ended (holder) {
      if (holder.ticketKey === null) return
      engine.kv.touch(holder.ticketKey, lifeMs).catch(() => {})
    },
    async keepAlive (holders) {
      const touches: Array<Promise<boolean>> = []
      for (const holder of holders) if (holder.ticketKey !== null) touches.push(engine.kv.touch(holder.ticketKey, lifeMs))
      await Promise.allSettled(touches)
    }
  }
}
