import createError from '@fastify/error'
import { ERROR_CODES, ErrorBody, type ErrorCode } from '@webchat/shared'

/**
 * The code of every error a service answers with: `WEBCHAT_ERR_` and the wire code in capitals,
 * as Fastify names its own `FST_ERR_…`. Each service makes them in its `src/errors.ts` with
 * @fastify/error's `createError(code, message, statusCode)`; the wire code in the body is read
 * back from it, so a registry cannot answer with a code the contract does not have.
 */
export type WireErrorCode = `WEBCHAT_ERR_${Uppercase<ErrorCode>}`

/** What a service's error registry holds (checked with `satisfies`): constructors with wire codes. */
export type ErrorRegistry = Record<string, { readonly prototype: { code: WireErrorCode, statusCode?: number } }>

/** Body fields some refusals carry besides `error` and `message`. */
export type ErrorDetail = Pick<ErrorBody, 'attemptsLeft' | 'retryAfter'>

export interface WireError {
  statusCode: number
  body: ErrorBody
}

const PREFIX = 'WEBCHAT_ERR_'
const WIRE_CODES: ReadonlySet<string> = new Set(ERROR_CODES)

/** The wire code of an error from a registry; undefined for any other error. */
export function wireCodeOf (err: unknown): ErrorCode | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code
  if (typeof code !== 'string' || !code.startsWith(PREFIX)) return undefined
  const wire = code.slice(PREFIX.length).toLowerCase()
  return WIRE_CODES.has(wire) ? wire as ErrorCode : undefined
}

/** The status and body of an error from a registry, with its detail fields; undefined for any other. */
export function wireErrorOf (err: unknown): WireError | undefined {
  const error = wireCodeOf(err)
  if (error === undefined) return undefined
  const { statusCode, message, attemptsLeft, retryAfter } = err as Error & ErrorDetail & { statusCode?: number }
  const body: ErrorBody = { error, message }
  if (attemptsLeft !== undefined) body.attemptsLeft = attemptsLeft
  if (retryAfter !== undefined) body.retryAfter = retryAfter
  return { statusCode: statusCode ?? 500, body }
}

/** `err` with detail fields for its body: how long to wait, how many tries are left. */
export function withDetail<E extends Error> (err: E, detail: ErrorDetail): E & ErrorDetail {
  return Object.assign(err, detail)
}

/** Response schemas of the error statuses a route documents, all `{error, message}`. */
export function errorResponses (...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]))
}

/**
 * A registry error whose message is the reason, given where it is thrown and required by the
 * type: one code (`invalid_token`, `bad_request`, ...) covers failures a client is told apart.
 */
export function reasonError<C extends WireErrorCode, SC extends number> (code: C, statusCode: SC): createError.FastifyErrorConstructor<{ code: C, statusCode: SC }, [reason: string]> {
  return createError<C, SC, [reason: string]>(code, '%s', statusCode)
}
