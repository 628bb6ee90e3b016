import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { EngineUnavailableError } from '@webchat/engine'
import type { ErrorBody, ErrorCode } from '@webchat/shared'

/** An error with its HTTP status and machine-readable code; the message is safe to show. */
export class ChatError extends Error {
  override name = 'ChatError'
  constructor (readonly statusCode: number, readonly code: ErrorCode, message: string) {
    super(message)
  }
}

export const unauthorized = (message = 'a chat token is required'): ChatError => new ChatError(401, 'unauthorized', message)
export const invalidToken = (message: string): ChatError => new ChatError(401, 'invalid_token', message)
export const forbidden = (message: string): ChatError => new ChatError(403, 'forbidden', message)
export const unavailable = (message = 'the service is temporarily unavailable'): ChatError => new ChatError(503, 'unavailable', message)

/** Maps any thrown value to the code and message a client may see. */
export function describeError (error: unknown): { statusCode: number, body: ErrorBody } {
  if (error instanceof ChatError) return { statusCode: error.statusCode, body: { error: error.code, message: error.message } }
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

export function errorHandler (error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const { statusCode, body } = describeError(error)
  if (statusCode >= 500) request.log.error({ err: error }, 'request failed')
  else request.log.info({ code: body.error }, 'request refused')
  void reply.code(statusCode).send(body)
}

export function notFoundHandler (request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}` })
}
