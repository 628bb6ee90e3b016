import { randomUUID } from 'node:crypto'
import { importJWK, SignJWT, type JWK } from 'jose'
import { TOKEN_AUDIENCE, TOKEN_TYPE } from '@webchat/shared'

export interface Minter { mint (user: string, sid: string): Promise<string> }

/** Signs chat tokens exactly as the auth service does, with the key the bench's JWKS publishes. */
export async function createMinter (privateJwk: JWK, kid: string, issuer: string): Promise<Minter> {
  const alg = privateJwk.alg
  if (alg === undefined) throw new Error('the signing JWK has no alg')
  const key = await importJWK(privateJwk, alg)
  return {
    async mint (user, sid) {
      const now = Math.floor(Date.now() / 1000)
      return await new SignJWT({ sid, name: `Bench ${user}`, jti: randomUUID() })
        .setProtectedHeader({ alg, kid, typ: TOKEN_TYPE })
        .setIssuer(issuer)
        .setAudience(TOKEN_AUDIENCE)
        .setSubject(user)
        .setIssuedAt(now)
        .setExpirationTime(now + 1800)
        .sign(key)
    }
  }
}
