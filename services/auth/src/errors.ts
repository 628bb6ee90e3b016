import createError from '@fastify/error'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorCode } from '@webchat/shared'
import { type ErrorRegistry, reasonError, type WireError, wireErrorOf } from '@webchat/service-kit'

/**
 * The named errors of the auth service, each answered as `{error, message}` with the wire code
 * in its own code. Refusals that say when to retry or how many tries are left get those fields
 * with `withDetail`.
 */
export const errors = {
  BadRequest: reasonError('WEBCHAT_ERR_BAD_REQUEST', 400),
  InvalidEmail: createError('WEBCHAT_ERR_INVALID_EMAIL', 'email must be one valid address', 400),
  InvalidName: createError('WEBCHAT_ERR_INVALID_NAME', 'name must be 1 to 40 characters that show: no control, invisible, filler or direction characters', 400),
  DomainNotAllowed: createError('WEBCHAT_ERR_DOMAIN_NOT_ALLOWED', 'sign-in is not open to this email domain', 403),
  RateLimited: createError('WEBCHAT_ERR_RATE_LIMITED', 'too many requests; try again later', 429),
  MailUnavailable: createError('WEBCHAT_ERR_MAIL_UNAVAILABLE', 'the code could not be mailed; try again shortly', 503),
  InvalidCode: createError('WEBCHAT_ERR_INVALID_CODE', 'wrong or expired code', 401),
  CodeExpired: createError('WEBCHAT_ERR_CODE_EXPIRED', 'this code expired, was used or was replaced; request a new one', 410),
  Unauthorized: createError('WEBCHAT_ERR_UNAUTHORIZED', 'sign in first', 401),
  CrossSite: createError('WEBCHAT_ERR_CROSS_SITE', 'cross-site requests are not allowed', 403),
  NotFound: createError('WEBCHAT_ERR_NOT_FOUND', 'no such resource', 404),
  Unavailable: createError('WEBCHAT_ERR_UNAVAILABLE', 'the service is temporarily unavailable', 503)
} satisfies ErrorRegistry

/** Fastify's own 4xx errors, by code and else by status, as wire codes. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_NOT_FOUND: 'not_found'
}
const statusCodes: Record<number, ErrorCode> = {
  401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed',
  413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited', 503: 'unavailable'
}

interface ValidationIssue { instancePath?: string, params?: { requiredProperties?: string[] } }

/** The field a validation error is about: `/email` or a required property that is missing. */
function fieldOf (issue: ValidationIssue | undefined): string {
  if (issue === undefined) return ''
  const path = issue.instancePath ?? ''
  if (path !== '') return path.split('/')[1] ?? ''
  return issue.params?.requiredProperties?.[0] ?? ''
}

function fromValidation (err: FastifyError): Error {
  const issues = (err.validation ?? []) as ValidationIssue[]
  const fields = new Set(issues.map(fieldOf))
  if (err.validationContext === 'body' && fields.has('email')) return new errors.InvalidEmail()
  if (err.validationContext === 'body' && fields.has('name')) return new errors.InvalidName()
  return new errors.BadRequest(`invalid ${err.validationContext ?? 'request'}: ${err.message.replace(/^[a-z]+\/?/, '').trim() || 'malformed'}`)
}

/** Anything thrown while serving a request, as a status and an `{error, message}` body. */
export function toWireError (err: unknown): WireError {
  const fe = err as Partial<FastifyError>
  const known = wireErrorOf(fe.validation !== undefined ? fromValidation(fe as FastifyError) : err)
  if (known !== undefined) return known
  if (fe.code === 'ENGINE_UNAVAILABLE') return toWireError(new errors.Unavailable())
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500
  if (status >= 400 && status < 500) {
    const error = (fe.code !== undefined ? fastifyCodes[fe.code] : undefined) ?? statusCodes[status] ?? 'bad_request'
    return { statusCode: status, body: { error, message: error === 'bad_request' ? 'malformed request' : fe.message ?? '' } }
  }
  if (status === 503) return toWireError(new errors.Unavailable())
  return { statusCode: 500, body: { error: 'internal', message: 'internal error' } }
}

function send (reply: FastifyReply, { statusCode, body }: WireError): FastifyReply {
  if (body.retryAfter !== undefined) void reply.header('retry-after', String(body.retryAfter))
  if (statusCode === 401 && body.error === 'unauthorized') void reply.header('cache-control', 'no-store')
  return reply.code(statusCode).type('application/json; charset=utf-8').send(body)
}

/** Answers with the error's status and body; Retry-After when it says when to retry. */
export const sendError = (reply: FastifyReply, err: unknown): FastifyReply => send(reply, toWireError(err))

/** The one error handler of the service. 5xx bodies never carry internals; they are logged instead. */
export function errorHandler (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const wire = toWireError(err)
  if (wire.statusCode >= 500) request.log.error({ err }, 'request failed')
  else request.log.info({ status: wire.statusCode, error: wire.body.error }, 'request refused')
  return send(reply, wire)
}
