import Type, { type Static } from 'typebox'

/** JOSE header `typ` of chat tokens, and their audience. Only EdDSA (Ed25519) signs them. */
export const TOKEN_TYPE = 'webchat-chat+jwt'
export const TOKEN_AUDIENCE = 'chat'
export const TOKEN_ALGORITHM = 'EdDSA'
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
