import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorBody, ErrorCode } from '@webchat/shared'

export interface ErrorExtra {
  /** Seconds to wait; also sent as the `Retry-After` header. */
  retryAfter?: number
  attemptsLeft?: number
}

/** An error with an HTTP status and a code from the shared list; its message is safe to show. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor (readonly statusCode: number, readonly error: ErrorCode, message: string, readonly extra: ErrorExtra = {}) {
    super(message)
  }
}

/** The named errors of the auth service. */
export const errors = {
  badRequest: (message: string) => new ApiError(400, 'bad_request', message),
  invalidEmail: () => new ApiError(400, 'invalid_email', 'email must be one valid address'),
  invalidName: () => new ApiError(400, 'invalid_name', 'name must be 1 to 40 characters without control characters'),
  domainNotAllowed: () => new ApiError(403, 'domain_not_allowed', 'sign-in is not open to this email domain'),
  rateLimited: (retryAfter: number) => new ApiError(429, 'rate_limited', 'too many requests; try again later', { retryAfter }),
  mailUnavailable: () => new ApiError(503, 'mail_unavailable', 'the code could not be mailed; try again shortly'),
  invalidCode: (attemptsLeft: number) => new ApiError(401, 'invalid_code', 'wrong code', { attemptsLeft }),
  codeExpired: () => new ApiError(410, 'code_expired', 'this code expired, was used or was replaced; request a new one'),
  locked: (retryAfter: number) => new ApiError(429, 'locked', 'too many failed attempts for this address; wait and try again', { retryAfter }),
  unauthorized: () => new ApiError(401, 'unauthorized', 'sign in first'),
  crossSite: () => new ApiError(403, 'cross_site', 'cross-site requests are not allowed'),
  notFound: () => new ApiError(404, 'not_found', 'no such resource'),
  unavailable: () => new ApiError(503, 'unavailable', 'the service is temporarily unavailable')
}

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

function fromValidation (err: FastifyError): ApiError {
  const issues = (err.validation ?? []) as ValidationIssue[]
  const fields = new Set(issues.map(fieldOf))
  if (err.validationContext === 'body' && fields.has('email')) return errors.invalidEmail()
  if (err.validationContext === 'body' && fields.has('name')) return errors.invalidName()
  return errors.badRequest(`invalid ${err.validationContext ?? 'request'}: ${err.message.replace(/^[a-z]+\/?/, '').trim() || 'malformed'}`)
}

/** Turns anything thrown while serving a request into a status and an `{error, message}` body. */
export function toApiError (err: FastifyError | ApiError | Error): ApiError {
  if (err instanceof ApiError) return err
  const fe = err as FastifyError & { code?: string }
  if (fe.validation !== undefined) return fromValidation(fe)
  if (fe.code === 'ENGINE_UNAVAILABLE') return errors.unavailable()
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500
  if (status >= 400 && status < 500) {
    const code = (fe.code !== undefined ? fastifyCodes[fe.code] : undefined) ?? statusCodes[status] ?? 'bad_request'
    const message = code === 'bad_request' ? 'malformed request' : fe.message
    return new ApiError(status, code, message)
  }
  if (status === 503) return errors.unavailable()
  return new ApiError(500, 'internal', 'internal error')
}

export function sendError (reply: FastifyReply, error: ApiError): FastifyReply {
  const body: ErrorBody = { error: error.error, message: error.message, ...error.extra }
  if (error.extra.retryAfter !== undefined) void reply.header('retry-after', String(error.extra.retryAfter))
  if (error.statusCode === 401 && error.error === 'unauthorized') void reply.header('cache-control', 'no-store')
  return reply.code(error.statusCode).type('application/json; charset=utf-8').send(body)
}

/** The one error handler of the service. 5xx bodies never carry internals; they are logged instead. */
export function errorHandler (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const error = toApiError(err)
  if (error.statusCode >= 500) request.log.error({ err }, 'request failed')
  else request.log.info({ status: error.statusCode, error: error.error }, 'request refused')
  return sendError(reply, error)
}
