/** WebSocket close codes and what a client must do on each. */
export const CloseCode = {
  /** Normal closure (the client left). */
  normal: 1000,
  /** Policy violation: sustained abuse. Do not retry at once. */
  abuse: 1008,
  /** A frame over the size limit. */
  tooBig: 1009,
  /** Unexpected server error: reconnect with backoff. */
  internal: 1011,
  /** The instance is restarting: reconnect now. */
  restarting: 1012,
  /** The session ended (logout): do not reconnect. */
  sessionEnded: 4001,
  /** The token expired: fetch a new token and reconnect. */
  tokenExpired: 4003,
  /** The client read too slowly and fell too far behind. */
  tooSlow: 4008
} as const

export type CloseCode = typeof CloseCode[keyof typeof CloseCode]

/** Whether a client should reconnect after this close code, and how soon. */
export function reconnectPolicy (code: number): 'never' | 'now' | 'backoff' {
  if (code === CloseCode.sessionEnded) return 'never'
  if (code === CloseCode.restarting || code === CloseCode.tokenExpired) return 'now'
  return 'backoff'
}
