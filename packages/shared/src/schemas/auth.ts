import Type, { type Static } from 'typebox'
import { LIMITS } from '../limits.js'
import { Email, IsoTime, User } from './common.js'

/** One-time sign-in codes: LIMITS.codeDigits decimal digits. */
export const CODE_PATTERN = `^[0-9]{${LIMITS.codeDigits}}$`

/*
 * Display names. A name must show as something: each character is a visible one (a letter, digit,
 * punctuation or symbol), a mark or selector on the character before it, a space between two of
 * them, or a joiner (ZWJ/ZWNJ) between two of them, which emoji sequences and Persian and Indic
 * spelling need. So a name cannot be blank: controls, bidi controls, zero-width and other
 * default-ignorable characters, Hangul fillers (they are letters that draw nothing) and the blank
 * braille pattern are refused. Marks are capped per character so that none stacks over the lines
 * around it. Written once as a pattern: the API schema (`RenameRequest`, OpenAPI) and
 * `normalizeName` (servers, clients) use the same one.
 */
const BLANK = '\\p{Default_Ignorable_Code_Point}\\u2800\\u{1D159}'
const VISIBLE = `(?![${BLANK}])[\\p{L}\\p{N}\\p{P}\\p{S}]`
/** Combining marks and variation selectors but the invisible ones, and emoji tag characters. */
const MARK = '(?:(?![\\u034F\\u17B4\\u17B5])\\p{M}|[\\u{E0020}-\\u{E007F}])'
const GLYPH = `${VISIBLE}${MARK}{0,8}`
export const NAME_PATTERN = `^\\p{Zs}*${GLYPH}(?:(?:[\\u200C\\u200D]|\\p{Zs}+)?${GLYPH})*\\p{Zs}*$`
const nameRule = new RegExp(NAME_PATTERN, 'u')

/**
 * A display name as stored, or `null` when it breaks the rule above: trimmed, in NFC (so one
 * spelling of "é" is stored), runs of spaces made one (a page shows them as one), then 1 to 40
 * characters.
 */
export function normalizeName (raw: string): string | null {
  const name = raw.trim().normalize('NFC').replace(/\p{Zs}{2,}/gu, ' ')
  const length = [...name].length
  return length >= 1 && length <= LIMITS.nameChars && nameRule.test(name) ? name : null
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
