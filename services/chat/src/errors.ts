import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { EngineUnavailableError } from '@webchat/engine'
import { type ErrorRegistry, reasonError, type WireError, wireErrorOf } from '@webchat/service-kit'

/**
 * The named errors of the chat service, each answered as `{error, message}` (an HTTP body or a
 * WebSocket `error` frame) with the wire code in its own code. The message says which check
 * failed: a token is refused for one of several reasons, and the client is told which.
 */
export const errors = {
  BadRequest: reasonError('WEBCHAT_ERR_BAD_REQUEST', 400),
  Unauthorized: reasonError('WEBCHAT_ERR_UNAUTHORIZED', 401),
  InvalidToken: reasonError('WEBCHAT_ERR_INVALID_TOKEN', 401),
  InvalidTicket: reasonError('WEBCHAT_ERR_INVALID_TICKET', 403),
  Forbidden: reasonError('WEBCHAT_ERR_FORBIDDEN', 403),
  PayloadTooLarge: reasonError('WEBCHAT_ERR_PAYLOAD_TOO_LARGE', 413),
  RateLimited: reasonError('WEBCHAT_ERR_RATE_LIMITED', 429),
  TooManyRooms: reasonError('WEBCHAT_ERR_TOO_MANY_ROOMS', 429),
  TooManyConnections: reasonError('WEBCHAT_ERR_TOO_MANY_CONNECTIONS', 429),
  NotFound: reasonError('WEBCHAT_ERR_NOT_FOUND', 404),
  Muted: reasonError('WEBCHAT_ERR_MUTED', 403),
  Banned: reasonError('WEBCHAT_ERR_BANNED', 403),
  Archived: reasonError('WEBCHAT_ERR_ARCHIVED', 409),
  RoomFull: reasonError('WEBCHAT_ERR_ROOM_FULL', 409),
  Conflict: reasonError('WEBCHAT_ERR_CONFLICT', 409),
  EditWindowPassed: reasonError('WEBCHAT_ERR_EDIT_WINDOW_PASSED', 409),
  InvalidReaction: reasonError('WEBCHAT_ERR_INVALID_REACTION', 400),
  TooManyReactions: reasonError('WEBCHAT_ERR_TOO_MANY_REACTIONS', 409),
  Rejected: reasonError('WEBCHAT_ERR_REJECTED', 422),
  Unavailable: reasonError('WEBCHAT_ERR_UNAVAILABLE', 503)
} satisfies ErrorRegistry

/** Anything thrown while serving a request, as a status and the code and message a client may see. */
export function toWireError (error: unknown): WireError {
  const known = wireErrorOf(error)
  if (known !== undefined) return known
  if (error instanceof EngineUnavailableError) return { statusCode: 503, body: { error: 'unavailable', message: 'storage is temporarily unavailable' } }
  const fastifyError = error as Partial<FastifyError>
  if (fastifyError.validation !== undefined) return { statusCode: 400, body: { error: 'bad_request', message: fastifyError.message ?? 'invalid request' } }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return { statusCode: 413, body: { error: 'payload_too_large', message: 'request body too large' } }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return { statusCode: 415, body: { error: 'unsupported_media_type', message: 'send application/json' } }
  }
  const status = fastifyError.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { statusCode: status, body: { error: status === 404 ? 'not_found' : 'bad_request', message: fastifyError.message ?? 'bad request' } }
  }
  return { statusCode: 500, body: { error: 'internal', message: 'internal error' } }
}

/** The one error handler of the service. 5xx bodies never carry internals; they are logged instead. */
export function errorHandler (error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { statusCode, body } = toWireError(error)
  if (statusCode >= 500) request.log.error({ err: error }, 'request failed')
  else request.log.info({ code: body.error }, 'request refused')
  void reply.code(statusCode).send(body)
}

export function notFoundHandler (request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}` })
}
