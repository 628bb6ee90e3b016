import { type Engine, engineDeadline } from '@webchat/engine'
import { isUserId, TOKEN_AUDIENCE, TOKEN_TYPE, type TokenClaims, validate } from '@webchat/shared'
import type { Config } from './config.js'
import { errors } from './errors.js'
import { createJwtVerifier, type KeyResolver } from './jwt.js'
import { names } from './names.js'
import { bucketOf } from './user-events.js'

export interface Tokens {
  /** Checks signature, type, issuer, audience, expiry, claims and session revocation. */
  verify (token: string): Promise<TokenClaims>
  /** Marks the token used; rejects when it already opened a connection. */
  consume (claims: TokenClaims): Promise<void>
  /** Signature, type, issuer, audience, expiry and claims only: no engine call (see `admit`). */
  read (token: string): Promise<TokenClaims>
  /**
   * The rest of `verify` and `consume` for claims `read` gave, with the revocation check and the
   * single-use mark in one round trip (opening a socket).
   */
  admit (claims: TokenClaims): Promise<void>
  /** Whether the session has ended (logged out): one engine read. */
  revoked (sid: string): Promise<boolean>
}

export const CLOCK_TOLERANCE_S = 5

/**
 * Used token ids are claimed in one of this many groups, by user (a group is a hash or two in
 * Redis; docs/benchmarks.md "Per-message state in Redis"). Not a group per user: a connection holds
 * one or two live tokens, and a hash that small costs more than a key per token. With 4,096 groups
 * a group holds a few to a few hundred live tokens from about 20,000 to a million connections, in
 * Redis's compact form (up to 512 fields a hash), and no more than its users' allowance of tokens
 * (TOKEN_MINT_MAX each).
 */
export const USED_TOKEN_GROUPS = 4096

export function createTokens ({ config, engine, keys }: { config: Config, engine: Engine, keys: KeyResolver }): Tokens {
  const verifyJwt = createJwtVerifier(keys, {
    issuer: config.tokenIssuer,
    audience: TOKEN_AUDIENCE,
    typ: TOKEN_TYPE,
    requiredClaims: ['sub', 'sid', 'jti', 'exp', 'iat'],
    clockToleranceS: CLOCK_TOLERANCE_S
  })
  const timeout = config.engineTimeoutMs

  /** Signature and claims: no engine call. */
  const check = async (token: string): Promise<TokenClaims> => {
    const payload = await verifyJwt(token)
    if (!validate.tokenClaims(payload) || !isUserId(payload.sub)) throw new errors.InvalidToken('token claims are malformed')
    return payload
  }
  const revoked = async (sid: string): Promise<boolean> =>
    await engineDeadline(engine.kv.get(names.revokedSession(sid)), timeout) !== null
  const mark = async (claims: TokenClaims): Promise<boolean> => {
    const ttl = Math.max(1000, claims.exp * 1000 - Date.now() + CLOCK_TOLERANCE_S * 1000)
    // A chat instance of the version before claims marked a used token with a key of its own,
    // kept until the token expires: a token used there opens no second connection here.
    const [claimed, marked] = await Promise.all([
      engineDeadline(engine.kv.claim(names.usedTokens(bucketOf(claims.sub, USED_TOKEN_GROUPS)), claims.jti, ttl), timeout),
      engineDeadline(engine.kv.get(names.usedToken(claims.jti)), timeout)
    ])
    return claimed && marked === null
  }
  const ended = (): Error => new errors.InvalidToken('the session of this token has ended')
  const used = (): Error => new errors.InvalidToken('token already used: fetch a new one')

  return {
    async verify (token) {
      const claims = await check(token)
      if (await revoked(claims.sid)) throw ended()
      return claims
    },
    async consume (claims) {
      if (!await mark(claims)) throw used()
    },
    read: check,
    async admit (claims) {
      // Both at once: marking a token of an ended session used is harmless, and it saves a round trip.
      const [isRevoked, isFirstUse] = await Promise.all([revoked(claims.sid), mark(claims)])
      if (isRevoked) throw ended()
      if (!isFirstUse) throw used()
    },
    revoked
  }
}
