import { ErrorBody } from '@webchat/shared'

/** Response schemas of the error statuses a route documents, all `{error, message}`. */
export function errorResponses (...statuses: number[]): Record<number, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBody]))
}
