import { createRemoteJWKSet, jwtVerify } from 'jose'
import type { Redis } from 'ioredis'
import type { Socket } from 'socket.io'
import { TOKEN_ALGORITHMS, TOKEN_AUDIENCE, TOKEN_TYPE } from '@webchat/shared'

/** What chat allows between clocks, in seconds (its CLOCK_TOLERANCE_S). */
const CLOCK_TOLERANCE_S = 5

/**
 * The authentication a Socket.IO user would add to match what webchat checks on connect: the
 * token from the CONNECT packet (`socket.handshake.auth.token`) verified with jose against the
 * same JWKS the webchat instances fetch (algorithm, signature, typ, iss, aud, exp), and its `jti`
 * used once (`SET jti:<jti> 1 NX PX <remaining life>`; refused when already set). Not done here,
 * unlike webchat: the revocation check of the token's session (one Redis GET there).
 */
export function tokenMiddleware (jwksUrl: string, issuer: string, redis: Redis): (socket: Socket, next: (err?: Error) => void) => void {
  const keys = createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 3000 })
  const admit = async (token: unknown): Promise<string> => {
    if (typeof token !== 'string') throw new Error('no token')
    const { payload } = await jwtVerify(token, keys, {
      issuer,
      audience: TOKEN_AUDIENCE,
      typ: TOKEN_TYPE,
      algorithms: [...TOKEN_ALGORITHMS],
      requiredClaims: ['sub', 'sid', 'jti', 'exp', 'iat'],
      clockTolerance: CLOCK_TOLERANCE_S
    })
    const life = (payload.exp ?? 0) * 1000 - Date.now()
    if (typeof payload.jti !== 'string' || life <= 0) throw new Error('expired')
    if (await redis.set(`jti:${payload.jti}`, '1', 'PX', life, 'NX') !== 'OK') throw new Error('token already used')
    return payload.sub ?? ''
  }
  return (socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown }
    admit(auth.token).then((user) => {
      socket.data.user = user
      next()
    }, () => next(new Error('unauthorized')))
  }
}
