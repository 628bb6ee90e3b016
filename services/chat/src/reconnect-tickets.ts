import { createHash, randomBytes } from 'node:crypto'
import { type Engine, engineDeadline } from '@webchat/engine'
import type { FastifyBaseLogger } from 'fastify'
import { isUserId, parseRecord, TOKEN_AUDIENCE, type TokenClaims } from '@webchat/shared'
import type { Config } from './config.js'
import { errors } from './errors.js'
import { names } from './names.js'
import { CLOCK_TOLERANCE_S, type Tokens } from './tokens.js'

/**
 * Marks a reconnect ticket where a chat token may stand (a JWT never starts so). `wcr2.`: its
 * record names the process whose alive key it needs; an instance that knew only `wcr1.` tickets
 * (kept alive one by one) refuses it like a bad token, so it never skips that check.
 */
export const TICKET_PREFIX = 'wcr2.'

/** What a connection holds of its ticket: the key it is stored under, never the ticket itself. */
export interface TicketHolder {
  /** The connection's id, for the log. */
  readonly id: string
  readonly user: { id: string, name: string }
  readonly sid: string
  /** When the connection's token ends, in ms since the epoch. */
  readonly expiresAt: number
  ticketKey: string | null
  /** Set by `ended`: a ticket stored after it (its write under way when the socket closed) is deleted, never handed out. */
  ticketEnded: boolean
  /** Opened by a ticket and not refreshed since: it gets no ticket of its own (see `issue`). */
  readonly onTicket: boolean
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
 *
 * While its connection is open a ticket's key lives until its token expires, and it names the
 * instance that holds the connection; that instance renews one key of its own (`alive`) every third of
 * the ticket life, so that one write a period keeps every open connection's ticket usable (not a
 * write per connection), and a ticket of an instance that died stops working RECONNECT_TICKET_MS
 * after its last renewal at most. A connection that ends shortens its ticket's key to
 * RECONNECT_TICKET_MS.
 */
export interface ReconnectTickets {
  readonly enabled: boolean
  /** The key this process renews while it runs (INSTANCE_ID and a random part of its own). */
  readonly aliveKey: string
  /**
   * A ticket for `holder` (the one it held stops working); undefined when tickets are off, and for
   * a connection a ticket opened until it refreshes with a token: one ticket then opens one
   * connection, never a chain of them lasting as long as the token. Never rejects: a ticket the
   * engine could not store is logged and left out (the client then reconnects with a token).
   */
  issue (holder: TicketHolder): Promise<string | undefined>
  /** The ticket's user and key, from its text alone (no engine call); `invalid_token` when it is malformed. */
  read (ticket: string): PresentedTicket
  /** Uses the ticket up and checks its session: the claims the new connection runs with. */
  admit (presented: PresentedTicket): Promise<TokenClaims>
  /** The holder's connection ended: its ticket works RECONNECT_TICKET_MS more. */
  ended (holder: TicketHolder): void
  /**
   * Keeps the tickets of this instance's open connections usable RECONNECT_TICKET_MS more: called
   * at start, every half ticket life, and once more after a shutdown closed its connections.
   */
  keepAlive (): Promise<void>
}

/** A ticket's record; `inst`, the process holding its connection. */
interface Stored { sid: string, name: string, exp: number, inst: string }

const encode = (text: string): string => Buffer.from(text).toString('base64url')
/** The key holds a digest of the secret part: whoever reads Redis's keys cannot use them. */
const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url').slice(0, 32)
const BASE64URL = /^[A-Za-z0-9_-]+$/

const parseStored = (raw: string): Stored | null => parseRecord<Stored>(raw, { sid: 'string', name: 'string', exp: 'number', inst: 'string' })

interface ReconnectTicketsDeps {
  config: Config
  engine: Engine
  tokens: Pick<Tokens, 'revoked'>
  log: Pick<FastifyBaseLogger, 'warn'>
}

export function createReconnectTickets ({ config, engine, tokens, log }: ReconnectTicketsDeps): ReconnectTickets {
  const lifeMs = config.reconnectTicketMs
  const deadline = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, config.engineTimeoutMs)
  const refused = (reason: string): Error => new errors.InvalidToken(`${reason}: fetch a new token`)
  // This process's own name for its alive key: INSTANCE_ID may be set by hand, and an instance
  // restarted under the same one must not bring back the tickets of the connections it lost.
  const self = `${config.instanceId}.${randomBytes(6).toString('base64url')}`
  const aliveKey = names.instanceAlive(self)
  /**
   * Ticket keys the engine could not shorten (an ended connection's) or delete (a replaced
   * ticket's) when asked: until then they live with their token, so each renewal tries them again.
   */
  const pending = new Map<string, 'shorten' | 'delete'>()

  return {
    enabled: lifeMs > 0,
    aliveKey,
    async issue (holder) {
      if (lifeMs === 0 || holder.onTicket || holder.ticketEnded) return undefined
      const secret = randomBytes(24).toString('base64url')
      const key = names.reconnectTicket(holder.user.id, digest(secret))
      const stored: Stored = { sid: holder.sid, name: holder.user.name, exp: Math.ceil(holder.expiresAt / 1000), inst: self }
      // Bounded by its token, past which it is refused anyway; `alive` and `ended` bound it by the connection.
      const ttl = Math.max(lifeMs, holder.expiresAt + CLOCK_TOLERANCE_S * 1000 - Date.now())
      try {
        await deadline(engine.kv.set(key, JSON.stringify(stored), ttl))
      } catch (err) {
        log.warn({ err, connectionId: holder.id, userId: holder.user.id }, 'reconnect ticket not issued')
        return undefined
      }
      if (holder.ticketEnded) {
        // The socket closed while the ticket was stored: nobody will ever hold its secret.
        engine.kv.delete(key).catch(() => { pending.set(key, 'delete') })
        return undefined
      }
      const previous = holder.ticketKey
      holder.ticketKey = key
      if (previous !== null) engine.kv.delete(previous).catch(() => { pending.set(previous, 'delete') })
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
      // The connection may still count as open on an instance that died: then its ticket lasts as long as that instance's `alive`.
      const [revoked, alive] = await Promise.all([
        tokens.revoked(stored.sid),
        deadline(engine.kv.get(names.instanceAlive(stored.inst)))
      ])
      if (revoked) throw refused('the session of this ticket has ended')
      if (alive === null) throw refused('the instance this ticket\'s connection was on stopped')
      // As its token would be: no later than its expiry and the clock tolerance.
      if (stored.exp * 1000 + CLOCK_TOLERANCE_S * 1000 <= Date.now()) throw refused('the token this ticket carries has expired')
      const now = Math.floor(Date.now() / 1000)
      return { iss: config.tokenIssuer, aud: TOKEN_AUDIENCE, sub: userId, sid: stored.sid, name: stored.name, jti: key, iat: now, exp: stored.exp }
    },
    ended (holder) {
      holder.ticketEnded = true
      const key = holder.ticketKey
      if (key === null) return
      engine.kv.touch(key, lifeMs).catch(() => { if (!pending.has(key)) pending.set(key, 'shorten') })
    },
    async keepAlive () {
      if (lifeMs === 0) return
      // The keys left over first: the renewal must not keep them good any longer.
      const due = [...pending]
      const done = await Promise.allSettled(due.map(async ([key, what]) => await deadline(what === 'delete' ? engine.kv.delete(key) : engine.kv.touch(key, lifeMs))))
      done.forEach((result, i) => { if (result.status === 'fulfilled') pending.delete(due[i]![0]) })
      await deadline(engine.kv.set(aliveKey, '1', lifeMs))
    }
  }
}
