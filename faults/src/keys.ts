import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose'
import { TOKEN_ALGORITHM, TOKEN_CURVES } from '@webchat/shared'

/** A P-256 (ES256) key pair with its private JWK (as SIGNING_KEYS takes it) and public JWK. */
export interface KeyPair {
  kid: string
  privateKey: CryptoKey
  publicKey: CryptoKey
  privateJwk: JWK
  publicJwk: JWK
}

export async function createKeyPair (kid?: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: TOKEN_CURVES[TOKEN_ALGORITHM], extractable: true })
  const jwk = await exportJWK(privateKey)
  const id = kid ?? await calculateJwkThumbprint(jwk)
  const privateJwk: JWK = { ...jwk, kid: id, alg: TOKEN_ALGORITHM, use: 'sig' }
  const publicJwk: JWK = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, kid: id, alg: TOKEN_ALGORITHM, use: 'sig' }
  return { kid: id, privateKey, publicKey, privateJwk, publicJwk }
}
