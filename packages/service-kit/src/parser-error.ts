import type { ErrorBody } from '@webchat/shared'

/** Parser errors Node's HTTP server reports before a request exists, and what they mean. */
const PARSER_ERRORS: Record<string, { status: number, reason: string, message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', message: 'the request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', message: 'the request took too long to arrive' }
}
const MALFORMED = { status: 400, reason: 'Bad Request', message: 'the request is not valid HTTP' }

/**
 * The raw HTTP response for a request the HTTP parser refused (bytes that are not HTTP, headers
 * over the limit, a request too slow to arrive), with the same `{error, message}` body as every
 * other error; `null` when there is nobody to answer (the client reset the connection). For
 * Fastify's `clientErrorHandler`: there is no request or reply yet, only the socket.
 */
export function parserErrorResponse (err: Error & { code?: string }): string | null {
  if (err.code === 'ECONNRESET') return null
  const { status, reason, message } = PARSER_ERRORS[err.code ?? ''] ?? MALFORMED
  const body: ErrorBody = { error: 'bad_request', message }
  const json = JSON.stringify(body)
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`
}

/** What `answerParserError` needs of the socket (a structural type: tests pass a stand-in). */
export interface RawSocket {
  readonly writable: boolean
  readonly destroyed: boolean
  write (data: string): unknown
  destroy (err?: Error): unknown
}

/** Fastify's `clientErrorHandler`: answers with `parserErrorResponse` and drops the connection. */
export function answerParserError (err: Error & { code?: string }, socket: RawSocket): void {
  if (socket.destroyed) return
  const response = parserErrorResponse(err)
  if (response !== null && socket.writable) socket.write(response)
  socket.destroy()
}
