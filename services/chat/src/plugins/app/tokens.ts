import fp from 'fastify-plugin'
import { createRemoteJWKSet, errors as jose, jwtVerify } from 'jose'
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_TYPE, type TokenClaims, validate } from '@webchat/shared'
import type { Engine } from '@webchat/engine'
import type { Config } from '../../config.js'
import { withDeadline } from '../../deadline.js'
import { type ChatError, invalidToken, unavailable } from '../../errors.js'
import { names } from '../../names.js'

export interface Tokens {
  /** Checks signature, type, issuer, audience, expiry, claims and session revocation. */
  verify (token: string): Promise<TokenClaims>
  /** Marks the token used; rejects when it already opened a connection. */
  consume (claims: TokenClaims): Promise<void>
}

const USER_ID = /^[A-Za-z0-9_-]{1,64}$/
const CLOCK_TOLERANCE_S = 5

function joseFailure (error: unknown): ChatError {
  if (error instanceof jose.JWTExpired) return invalidToken('token expired')
  if (error instanceof jose.JWTClaimValidationFailed) return invalidToken(`token claim ${error.claim} is not acceptable`)
  if (error instanceof jose.JWSSignatureVerificationFailed) return invalidToken('token signature is invalid')
  if (error instanceof jose.JWKSNoMatchingKey) return invalidToken('token signed by an unknown key')
  if (error instanceof jose.JOSEAlgNotAllowed || error instanceof jose.JOSENotSupported) return invalidToken('token algorithm not accepted')
  if (error instanceof jose.JWSInvalid || error instanceof jose.JWTInvalid || error instanceof jose.JWKSMultipleMatchingKeys) return invalidToken('token is malformed')
  return unavailable('cannot check tokens now: the key set of the auth service is unreachable')
}

export function createTokens ({ config, engine }: { config: Config, engine: Engine }): Tokens {
  const keys = createRemoteJWKSet(new URL(config.JWKS_URL), {
    timeoutDuration: 3000,
    cooldownDuration: config.JWKS_COOLDOWN_MS,
    cacheMaxAge: 10 * 60_000
  })
  const timeout = config.ENGINE_TIMEOUT_MS

  return {
    async verify (token) {
      let payload: unknown
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: [TOKEN_ALGORITHM],
          audience: TOKEN_AUDIENCE,
          issuer: config.TOKEN_ISSUER,
          typ: TOKEN_TYPE,
          requiredClaims: ['sub', 'sid', 'jti', 'exp', 'iat'],
          clockTolerance: CLOCK_TOLERANCE_S
        }))
      } catch (error) {
        throw joseFailure(error)
      }
      if (!validate.tokenClaims(payload) || !USER_ID.test(payload.sub)) throw invalidToken('token claims are malformed')
      if (await withDeadline(engine.kv.get(names.revokedSession(payload.sid)), timeout) !== null) {
        throw invalidToken('the session of this token has ended')
      }
      return payload
    },
    async consume (claims) {
      const ttl = Math.max(1000, claims.exp * 1000 - Date.now() + CLOCK_TOLERANCE_S * 1000)
      if (!await withDeadline(engine.kv.setIfAbsent(names.usedToken(claims.jti), '1', ttl), timeout)) {
        throw invalidToken('token already used: fetch a new one')
      }
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance { tokens: Tokens }
}

export default fp(async (fastify) => {
  fastify.decorate('tokens', createTokens({ config: fastify.chatConfig, engine: fastify.chatEngine }))
}, { name: 'chat-tokens', dependencies: ['chat-engine'] })
