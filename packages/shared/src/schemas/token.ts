import Type, { type Static } from 'typebox'

/** JOSE header `typ` of chat tokens, and their audience. */
export const TOKEN_TYPE = 'webchat-chat+jwt'
export const TOKEN_AUDIENCE = 'chat'
/**
 * The algorithms that may sign chat tokens, and nothing else (never HS*, never `none`): ES256
 * (ECDSA on P-256) and EdDSA (Ed25519). ES256 is what new keys use: OpenSSL checks and signs a
 * P-256 signature faster than an Ed25519 one, so every connection costs chat and auth less
 * (measured in docs/benchmarks.md, connect storm).
 */
export const TOKEN_ALGORITHMS = ['ES256', 'EdDSA'] as const
export type TokenAlgorithm = typeof TOKEN_ALGORITHMS[number]
/** The JWK curve (`crv`) of each algorithm's keys. */
export const TOKEN_CURVES = { ES256: 'P-256', EdDSA: 'Ed25519' } as const satisfies Record<TokenAlgorithm, string>
/** The algorithm of generated signing keys. */
export const TOKEN_ALGORITHM: TokenAlgorithm = 'ES256'
/** WebSocket subprotocol of this protocol version. */
export const SUBPROTOCOL = 'webchat.v1'

/** Claims of a chat token, as signed by the auth service and checked by every chat instance. */
export const TokenClaims = Type.Object({
  iss: Type.String(),
  aud: Type.Literal(TOKEN_AUDIENCE),
  sub: Type.String({ minLength: 1, maxLength: 64 }),
  sid: Type.String({ minLength: 1, maxLength: 128 }),
  name: Type.String({ maxLength: 200 }),
  jti: Type.String({ minLength: 1, maxLength: 128 }),
  iat: Type.Integer(),
  exp: Type.Integer()
}, { $id: 'TokenClaims' })
export type TokenClaims = Static<typeof TokenClaims>
