import Type, { type Static } from 'typebox'
import { LIMITS } from '../limits.js'
import { Email, IsoTime, User } from './common.js'

/** Names: trimmed, 1 to 40 characters, no control characters (checked again after trimming). */
/** One-time sign-in codes: LIMITS.codeDigits decimal digits. */
export const CODE_PATTERN = `^[0-9]{${LIMITS.codeDigits}}$`
export const NAME_PATTERN = '^[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]*$'
const nameChars = new RegExp(NAME_PATTERN, 'u')

/** Trims a display name and returns it, or `null` when it breaks the rule. */
export function normalizeName (raw: string): string | null {
  const name = raw.trim()
  const length = [...name].length
  return length >= 1 && length <= LIMITS.nameChars && nameChars.test(name) ? name : null
}

export const CodeRequest = Type.Object({ email: Email }, { $id: 'CodeRequest', additionalProperties: false })
export type CodeRequest = Static<typeof CodeRequest>

/**
 * The HttpOnly cookie `POST /auth/code` sets (SameSite=Lax, for the code's lifetime). It names the
 * code request: `POST /auth/verify` checks only the code of the request in this cookie, so nobody
 * else can guess at, void or probe it. Browsers and the client's cookie jar send it back by themselves.
 */
export const SIGN_IN_COOKIE = 'webchat_sign_in'

export const CodeAccepted = Type.Object({
  resendAfter: Type.Integer({ minimum: 0, description: 'seconds until another code may be requested' })
}, {
  $id: 'CodeAccepted',
  additionalProperties: false,
  description: `A code was mailed; the \`${SIGN_IN_COOKIE}\` cookie set with this answer is needed to check it`
})
export type CodeAccepted = Static<typeof CodeAccepted>

export const VerifyRequest = Type.Object({
  email: Email,
  code: Type.String({ pattern: CODE_PATTERN })
}, {
  $id: 'VerifyRequest',
  additionalProperties: false,
  description: `Sent with the \`${SIGN_IN_COOKIE}\` cookie of the code request. Without it, or when no code of that request is pending, the answer is the one for a wrong code (401 \`invalid_code\`, no \`attemptsLeft\`)`
})
export type VerifyRequest = Static<typeof VerifyRequest>

export const UserBody = Type.Object({ user: User }, { $id: 'UserBody', additionalProperties: false })
export type UserBody = Static<typeof UserBody>

export const RenameRequest = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, pattern: NAME_PATTERN })
}, { $id: 'RenameRequest', additionalProperties: false })
export type RenameRequest = Static<typeof RenameRequest>

export const TokenResponse = Type.Object({
  token: Type.String(),
  expiresAt: IsoTime
}, { $id: 'TokenResponse', additionalProperties: false })
export type TokenResponse = Static<typeof TokenResponse>

export const IntrospectRequest = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 8192 })
}, { $id: 'IntrospectRequest', additionalProperties: false })
export type IntrospectRequest = Static<typeof IntrospectRequest>

/** RFC 7662 token introspection response; only `active` is present for an inactive token. */
export const IntrospectResponse = Type.Object({
  active: Type.Boolean(),
  sub: Type.Optional(Type.String()),
  sid: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  exp: Type.Optional(Type.Integer()),
  iat: Type.Optional(Type.Integer()),
  iss: Type.Optional(Type.String()),
  aud: Type.Optional(Type.String()),
  jti: Type.Optional(Type.String()),
  token_type: Type.Optional(Type.String())
}, { $id: 'IntrospectResponse', additionalProperties: false })
export type IntrospectResponse = Static<typeof IntrospectResponse>

export const Jwk = Type.Object({
  kty: Type.String(),
  crv: Type.Optional(Type.String()),
  x: Type.Optional(Type.String()),
  y: Type.Optional(Type.String()),
  kid: Type.String(),
  alg: Type.String(),
  use: Type.String()
}, { additionalProperties: false })
export const Jwks = Type.Object({ keys: Type.Array(Jwk) }, { $id: 'Jwks', additionalProperties: false })
export type Jwks = Static<typeof Jwks>

/** What the web app asks the server for at start: where the chat socket is. */
export const WebConfig = Type.Object({
  chatUrl: Type.String({ description: 'WebSocket URL of the chat service; relative means same origin' })
}, { $id: 'WebConfig', additionalProperties: false })
export type WebConfig = Static<typeof WebConfig>

export const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
  checks: Type.Optional(Type.Record(Type.String(), Type.Boolean()))
}, { $id: 'Health', additionalProperties: false })
export type Health = Static<typeof Health>
