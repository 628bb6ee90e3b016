import { INVITATION_AUDIENCE, INVITATION_TYPE, isUserId, normalizeName, validate } from '@webchat/shared'
import type { Config } from './config.js'
import { errors } from './errors.js'
import { createJwtVerifier, type KeyResolver } from './jwt.js'
import { CLOCK_TOLERANCE_S } from './tokens.js'

/** The person an invitation ticket names, as they are added to a room. */
export interface Invitee {
  id: string
  /** The default name from their address (their own name replaces it when they join). */
  name: string
}

export interface Tickets {
  /**
   * The invitee of an invitation ticket that auth signed for `userId` and that has not expired
   * (signature by the JWKS of chat tokens, issuer, audience, `typ`); `invalid_ticket` otherwise,
   * with the reason. A chat token is no ticket: its `typ` and audience are refused, as a ticket
   * is at the socket's token check. A ticket may be used again, by the same user, until it expires.
   */
  read (ticket: string, userId: string): Promise<Invitee>
}

export function createTickets ({ config, keys }: { config: Pick<Config, 'tokenIssuer'>, keys: KeyResolver }): Tickets {
  const verify = createJwtVerifier(keys, {
    issuer: config.tokenIssuer,
    audience: INVITATION_AUDIENCE,
    typ: INVITATION_TYPE,
    requiredClaims: ['sub', 'invitee', 'jti', 'exp', 'iat'],
    clockToleranceS: CLOCK_TOLERANCE_S,
    noun: 'ticket',
    refuse: (reason) => new errors.InvalidTicket(reason)
  })
  return {
    async read (ticket, userId) {
      const claims = await verify(ticket)
      if (!validate.invitationClaims(claims) || !isUserId(claims.sub) || !isUserId(claims.invitee)) {
        throw new errors.InvalidTicket('ticket claims are malformed')
      }
      if (claims.sub !== userId) throw new errors.InvalidTicket('this ticket was given to another user')
      return { id: claims.invitee, name: normalizeName(claims.name) ?? '' }
    }
  }
}
