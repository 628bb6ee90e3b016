import Type, { type Static } from 'typebox'

/**
 * The fixed list of machine-readable error codes. Every HTTP 4xx/5xx body and every WebSocket
 * `error` frame carries one of these in `error` / `code`.
 */
export const ERROR_CODES = [
  // request shape
  'bad_request', 'payload_too_large', 'unsupported_media_type', 'not_found', 'method_not_allowed',
  // auth
  'invalid_email', 'domain_not_allowed', 'rate_limited', 'mail_unavailable', 'invalid_code',
  'code_expired', 'locked', 'unauthorized', 'forbidden', 'cross_site', 'invalid_name',
  'invalid_token', 'invalid_ticket', 'upgrade_required',
  // chat
  'bad_frame', 'unknown_type', 'invalid_room', 'too_many_rooms', 'not_joined', 'text_too_long',
  'session_mismatch', 'too_many_connections',
  // rooms and members
  'muted', 'banned', 'archived', 'room_full', 'conflict',
  // message lifecycle
  'edit_window_passed', 'invalid_reaction', 'too_many_reactions',
  // the host product's before-send hook
  'rejected',
  // server
  'unavailable', 'internal'
] as const

export type ErrorCode = typeof ERROR_CODES[number]

type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: Type.TLiteral<T[K] & string> }
type ErrorCodeLiterals = Literals<typeof ERROR_CODES>
/** Typed as the tuple of literals (a mapped array would make `Static` of it `never`). */
export const ErrorCodeSchema = Type.Union(ERROR_CODES.map((code) => Type.Literal(code))) as unknown as Type.TUnion<ErrorCodeLiterals>

/** The body of every HTTP error. Some codes add a field (`attemptsLeft`, `retryAfter`). */
export const ErrorBody = Type.Object({
  error: ErrorCodeSchema,
  message: Type.String(),
  attemptsLeft: Type.Optional(Type.Integer({ minimum: 0, description: 'guesses left at the code of the request in the sign-in cookie; only to its holder' })),
  retryAfter: Type.Optional(Type.Integer({ minimum: 0, description: 'seconds' }))
}, { $id: 'ErrorBody', additionalProperties: false })
export type ErrorBody = Static<typeof ErrorBody>
