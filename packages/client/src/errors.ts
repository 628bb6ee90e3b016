import type { ErrorCode } from '@webchat/shared'

/** Codes of failures found on the client side, beside the server's `ErrorCode`s. */
export type ClientErrorCode =
  | 'network' // the request never got an HTTP answer
  | 'bad_response' // an answer that is not what the contract promises
  | 'not_connected' // the connection is not open (or the room is not joined)
  | 'disconnected' // the connection dropped before an answer came
  | 'closed' // the connection was closed by `close()`
  | 'session_ended' // the server ended the session (4001); it will not reconnect
  | 'timeout'

/** An error of the auth API or of the chat connection, with a stable `code`. */
export class WebchatError extends Error {
  override readonly name = 'WebchatError'
  readonly code: ErrorCode | ClientErrorCode
  /** HTTP status, when the error came from an HTTP answer. */
  readonly status: number | undefined
  /** Attempts left after a wrong code (`invalid_code`). */
  readonly attemptsLeft: number | undefined
  /** Seconds to wait (`rate_limited`, `locked`). */
  readonly retryAfter: number | undefined
  /** The clientMsgId or room the error is about (WebSocket errors). */
  readonly ref: string | undefined

  constructor (code: ErrorCode | ClientErrorCode, message: string, details: {
    status?: number, attemptsLeft?: number, retryAfter?: number, ref?: string, cause?: unknown
  } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause })
    this.code = code
    this.status = details.status
    this.attemptsLeft = details.attemptsLeft
    this.retryAfter = details.retryAfter
    this.ref = details.ref
  }
}

export function isWebchatError (err: unknown): err is WebchatError {
  return err instanceof WebchatError
}
