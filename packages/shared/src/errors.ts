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
  'invalid_token', 'upgrade_required',
  // chat
  'bad_frame', 'unknown_type', 'invalid_room', 'too_many_rooms', 'not_joined', 'text_too_long',
  'session_mismatch',
  // server
  'unavailable', 'internal'
] as const

export type ErrorCode = typeof ERROR_CODES[number]

export const ErrorCodeSchema = Type.Union(ERROR_CODES.map((code) => Type.Literal(code)))

/** The body of every HTTP error. Some codes add a field (`attemptsLeft`, `retryAfter`). */
export const ErrorBody = Type.Object({
  error: ErrorCodeSchema,
  message: Type.String(),
  attemptsLeft: Type.Optional(Type.Integer({ minimum: 0 })),
  retryAfter: Type.Optional(Type.Integer({ minimum: 0, description: 'seconds' }))
}, { $id: 'ErrorBody', additionalProperties: false })
export type ErrorBody = Static<typeof ErrorBody>
