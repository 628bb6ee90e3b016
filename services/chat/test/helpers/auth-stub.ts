import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { INVITATION_AUDIENCE, INVITATION_TYPE, TOKEN_ALGORITHM, TOKEN_CURVES, TOKEN_TYPE, type TokenAlgorithm } from '@webchat/shared'

export const ISSUER = 'webchat-auth-test'

interface Key { kid: string, alg: TokenAlgorithm, privateKey: CryptoKey, jwk: JWK }

async function newKey (alg: TokenAlgorithm = TOKEN_ALGORITHM): Promise<Key> {
  const kid = randomUUID()
  const { privateKey, publicKey } = await generateKeyPair(alg, { crv: TOKEN_CURVES[alg], extractable: true })
  const jwk = { ...await exportJWK(publicKey), kid, alg, use: 'sig' }
  return { kid, alg, privateKey, jwk }
}

export interface MintOptions {
  sub?: string
  sid?: string
  name?: string
  jti?: string
  aud?: string
  iss?: string
  typ?: string
  /** Seconds from now (negative: already expired). */
  expiresIn?: number
  /** Sign with a key the JWKS does not publish (under a published kid unless `kid` is given). */
  forged?: boolean
  kid?: string
  omit?: string[]
  /** Claims besides those of a chat token. */
  extra?: Record<string, unknown>
}

export interface TicketOptions extends Omit<MintOptions, 'sid' | 'extra'> {
  /** The invited user's id. */
  invitee: string
}

/**
 * What the auth service is to chat: a JWKS over real HTTP on 127.0.0.1 and tokens signed exactly
 * as auth mints them (ES256, kid, typ, iss, aud 'chat', sub, sid, name, jti, iat, exp).
 */
export interface AuthStub {
  url: string
  fetches: number
  mint (options?: MintOptions): Promise<string>
  /** An invitation ticket as auth signs one: `sub` the inviter, `invitee`, `name`; no `sid`. */
  mintTicket (options: TicketOptions): Promise<string>
  /** Publishes a new key (ES256 unless told) and signs with it from now on. */
  rotate (alg?: TokenAlgorithm): Promise<void>
  close (): Promise<void>
}

export async function startAuthStub (): Promise<AuthStub> {
  const keys: Key[] = [await newKey()]
  const rogue = await newKey()
  const server: Server = createServer((request, response) => {
    if (request.url === '/.well-known/jwks.json') {
      stub.fetches++
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ keys: keys.map((k) => k.jwk) }))
      return
    }
    response.writeHead(404).end()
  })
  const stub: AuthStub = {
    url: '',
    fetches: 0,
    async mint (options = {}) {
      const signer = keys.at(-1)!
      const now = Math.floor(Date.now() / 1000)
      const claims: Record<string, unknown> = {
        iss: options.iss ?? ISSUER,
        aud: options.aud ?? 'chat',
        sub: options.sub ?? 'u1',
        sid: options.sid ?? 's1',
        name: options.name ?? 'User One',
        jti: options.jti ?? randomUUID(),
        iat: now,
        exp: now + (options.expiresIn ?? 300),
        ...options.extra
      }
      for (const claim of options.omit ?? []) Reflect.deleteProperty(claims, claim)
      return await new SignJWT(claims)
        .setProtectedHeader({ alg: signer.alg, kid: options.kid ?? signer.kid, typ: options.typ ?? TOKEN_TYPE })
        .sign(options.forged === true ? rogue.privateKey : signer.privateKey)
    },
    async mintTicket ({ invitee, ...options }) {
      return await stub.mint({ typ: INVITATION_TYPE, aud: INVITATION_AUDIENCE, expiresIn: 600, ...options, omit: ['sid', ...options.omit ?? []], extra: { invitee } })
    },
    async rotate (alg) {
      keys.push(await newKey(alg))
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  stub.url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
  return stub
}
