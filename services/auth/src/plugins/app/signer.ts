import { randomBytes } from 'node:crypto'
import { SignJWT, jwtVerify, type JWTHeaderParameters } from 'jose'
import {
  INVITATION_AUDIENCE, INVITATION_TTL_S, INVITATION_TYPE, TOKEN_ALGORITHMS, TOKEN_AUDIENCE, TOKEN_TYPE, validate,
  type InvitationClaims, type Jwks, type TokenClaims
} from '@webchat/shared'
import fp from 'fastify-plugin'
import { loadSigningKeys, type KeyObject, type SigningKey } from './signing-keys.js'

export interface SignerOptions {
  /** Newest first: the first key signs, every key verifies. */
  keys: SigningKey[]
  issuer: string
  ttlSeconds: number
  now?: () => number
}

export interface TokenSubject {
  userId: string
  sid: string
  name: string
}

export interface InvitationSubject {
  /** Who may use the ticket: the user who asked for it. */
  inviterId: string
  inviteeId: string
  /** The default name from the invitee's address. */
  name: string
}

export interface Signer {
  sign (subject: TokenSubject): Promise<{ token: string, expiresAt: string, claims: TokenClaims }>
  /** An invitation ticket: signed with the same key, but its own `typ` and audience, so never a chat token. */
  signInvitation (subject: InvitationSubject): Promise<{ ticket: string, expiresAt: string, claims: InvitationClaims }>
  /** The claims of a valid, unexpired token of ours; null for anything else. */
  verify (token: string): Promise<TokenClaims | null>
  jwks (): Jwks
}

/** Mints and checks chat tokens, and mints invitation tickets: JWTs signed with the newest key (ES256 or EdDSA), `kid` and `typ` in the header. */
export function createSigner ({ keys, issuer, ttlSeconds, now = Date.now }: SignerOptions): Signer {
  const current = keys[0]
  if (current === undefined) throw new Error('no signing key')
  const byKid = new Map(keys.map((k) => [k.kid, k]))
  const jwks: Jwks = { keys: keys.map((k) => k.jwk) }

  const keyFor = async (header: JWTHeaderParameters): Promise<KeyObject> => {
    const key = header.kid === undefined ? undefined : byKid.get(header.kid)
    if (key === undefined) throw new Error('unknown kid')
    // A key checks only tokens of its own algorithm.
    if (header.alg !== key.alg) throw new Error('algorithm of another key')
    return key.publicKey
  }

  const signed = async (claims: TokenClaims | InvitationClaims, typ: string): Promise<string> =>
    await new SignJWT({ ...claims }).setProtectedHeader({ alg: current.alg, typ, kid: current.kid }).sign(current.privateKey)

  return {
    async sign ({ userId, sid, name }) {
      const iat = Math.floor(now() / 1000)
      const claims: TokenClaims = {
        iss: issuer, aud: TOKEN_AUDIENCE, sub: userId, sid, name,
        jti: randomBytes(16).toString('base64url'), iat, exp: iat + ttlSeconds
      }
      const token = await signed(claims, TOKEN_TYPE)
      return { token, expiresAt: new Date(claims.exp * 1000).toISOString(), claims }
    },
    async signInvitation ({ inviterId, inviteeId, name }) {
      const iat = Math.floor(now() / 1000)
      const claims: InvitationClaims = {
        iss: issuer, aud: INVITATION_AUDIENCE, sub: inviterId, invitee: inviteeId, name,
        jti: randomBytes(16).toString('base64url'), iat, exp: iat + INVITATION_TTL_S
      }
      const ticket = await signed(claims, INVITATION_TYPE)
      return { ticket, expiresAt: new Date(claims.exp * 1000).toISOString(), claims }
    },
    async verify (token) {
      try {
        const { payload } = await jwtVerify(token, keyFor, {
          algorithms: [...TOKEN_ALGORITHMS], typ: TOKEN_TYPE, issuer, audience: TOKEN_AUDIENCE,
          requiredClaims: ['sub', 'sid', 'jti', 'iat', 'exp'], currentDate: new Date(now())
        })
        return validate.tokenClaims(payload) ? payload : null
      } catch {
        return null
      }
    },
    jwks: () => jwks
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    signer: Signer
  }
}

/** Loads the signing keys (configured, or generated into DATA_DIR) and decorates `signer`. */
export default fp(async function signerPlugin (fastify) {
  const { signingKeys, dataDir, tokenIssuer, tokenTtl } = fastify.authConfig
  const { keys, source } = await loadSigningKeys(signingKeys, dataDir)
  fastify.log.info({ kids: keys.map((k) => k.kid), algorithms: keys.map((k) => k.alg), source }, 'signing keys loaded (the first signs)')
  fastify.decorate('signer', createSigner({ keys, issuer: tokenIssuer, ttlSeconds: tokenTtl }))
}, { name: 'auth-signer', dependencies: ['auth-config'] })
