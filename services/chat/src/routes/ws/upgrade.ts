import type { Socket } from 'node:net'
import type { FastifyRequest } from 'fastify'
import { SUBPROTOCOL, type TokenClaims } from '@webchat/shared'
import type { Allowances } from '../../allowances.js'
import type { Config } from '../../config.js'
import { errors } from '../../errors.js'
import { type ReconnectTickets, TICKET_PREFIX } from '../../reconnect-tickets.js'
import type { Tokens } from '../../tokens.js'

/**
 * The token, or a reconnect ticket in its place: offered as a subprotocol beside `webchat.v1`, or
 * as the `token` query parameter.
 */
export function tokenOf (request: FastifyRequest): string | undefined {
  const header = request.headers['sec-websocket-protocol']
  if (typeof header === 'string' && header !== '') {
    const protocols = header.split(',').map((p) => p.trim()).filter((p) => p !== '')
    if (!protocols.includes(SUBPROTOCOL)) throw new errors.BadRequest(`offer the ${SUBPROTOCOL} subprotocol`)
    const offered = protocols.find((p) => p !== SUBPROTOCOL)
    if (offered !== undefined) return offered
  }
  const query = request.query as Record<string, unknown> | undefined
  const token = query?.token
  return typeof token === 'string' && token !== '' ? token : undefined
}

/** An upgrade let through: who, and what gives their socket place back. */
export interface Admitted {
  claims: TokenClaims
  release: () => void
}

/** What checks an upgrade's credential. */
export interface UpgradeChecks {
  config: Config
  tokens: Tokens
  reconnectTickets: ReconnectTickets
  allowances: Allowances
}

/**
 * Everything checked before the 101: shutdown (503), Origin (403), the token's signature and
 * claims (401), the user's socket places (429), then the token's session and single use (401),
 * which consumes it: one token opens one connection. A reconnect ticket stands for the token:
 * its form is checked first, its use and session after the place is taken. The place is taken
 * before the credential is used up, so that an upgrade refused for it stores nothing.
 */
export async function checkUpgrade (request: FastifyRequest, { config, tokens, reconnectTickets, allowances }: UpgradeChecks, closing: boolean): Promise<Admitted> {
  if (closing) throw new errors.Unavailable('this instance is shutting down: reconnect')
  const origin = request.headers.origin
  if (origin === undefined) {
    if (!config.allowNoOrigin) throw new errors.Forbidden('an Origin header is required')
  } else if (!config.allowedOrigins.includes(origin.toLowerCase())) {
    throw new errors.Forbidden('this origin may not open chat sockets')
  }
  const token = tokenOf(request)
  if (token === undefined) throw new errors.Unauthorized('a chat token is required')
  const credential = token.startsWith(TICKET_PREFIX) ? ticketCredential(reconnectTickets, token) : await tokenCredential(tokens, token)
  const release = holdSocketSlot(request, allowances, credential.userId)
  try {
    return { claims: await credential.admit(), release }
  } catch (err) {
    release()
    throw err
  }
}

/** A credential whose form was checked: whose it is, and what uses it up. */
interface Credential {
  userId: string
  admit: () => Promise<TokenClaims>
}

async function tokenCredential (tokens: Tokens, token: string): Promise<Credential> {
  const claims = await tokens.read(token)
  return { userId: claims.sub, admit: async () => { await tokens.admit(claims); return claims } }
}

function ticketCredential (tickets: ReconnectTickets, ticket: string): Credential {
  const presented = tickets.read(ticket)
  return { userId: presented.userId, admit: async () => await tickets.admit(presented) }
}

/**
 * Takes one of the user's socket slots (refused with 429 when they hold them all) and returns
 * what gives it back, once however often it is called. Given back when the TCP connection ends,
 * so that an upgrade that never completes returns its slot too, and when the WebSocket closes
 * (an injected socket has no TCP connection).
 */
export function holdSocketSlot (request: FastifyRequest, allowances: Allowances, userId: string): () => void {
  if (!allowances.takeSocket(userId)) {
    throw new errors.TooManyConnections('this user has too many chat sockets open here: close one first')
  }
  let held = true
  const release = (): void => {
    if (!held) return
    held = false
    allowances.releaseSocket(userId)
  }
  const socket = request.raw.socket as Socket | undefined
  if (socket?.destroyed === true) release()
  else socket?.once('close', release)
  return release
}
