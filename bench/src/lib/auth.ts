import { randomUUID } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { TOKEN_CURVES, type TokenAlgorithm } from '@webchat/shared'

/** The issuer chat instances expect (their TOKEN_ISSUER) and the bench signs with. */
export const ISSUER = 'webchat-auth-bench'

export interface BenchAuth {
  /** The JWKS URL the chat instances fetch (their JWKS_URL). */
  jwksUrl: string
  /** The private key as a JWK (its `alg` says which), handed to the generators so that they mint tokens. */
  privateJwk: JWK
  kid: string
  /** How often the JWKS was fetched. */
  fetches (): number
  close (): Promise<void>
}

/**
 * What the auth service is to chat, reduced to what the bench needs: a key (P-256 for ES256, as
 * auth generates them, or Ed25519 for EdDSA) whose public half is served as a JWKS over HTTP
 * exactly as auth serves it, and whose private half signs tokens in the generators (tokens as auth
 * mints them: alg, kid, typ, iss, aud, sub, sid, name, jti, iat, exp). Every chat instance
 * verifies every token on upgrade.
 */
export async function startAuth (alg: TokenAlgorithm): Promise<BenchAuth> {
  const kid = randomUUID()
  const { privateKey, publicKey } = await generateKeyPair(alg, { crv: TOKEN_CURVES[alg], extractable: true })
  const publicJwk = { ...await exportJWK(publicKey), kid, alg, use: 'sig' }
  const privateJwk = { ...await exportJWK(privateKey), kid, alg }
  let fetches = 0
  const body = JSON.stringify({ keys: [publicJwk] })
  const server: Server = createServer((request, response) => {
    if (request.url === '/.well-known/jwks.json') {
      fetches++
      response.writeHead(200, { 'content-type': 'application/json' }).end(body)
      return
    }
    response.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    privateJwk,
    kid,
    fetches: () => fetches,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
