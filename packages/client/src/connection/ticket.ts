import { CloseCode } from '@webchat/shared'

/**
 * How long after a socket drops its reconnect ticket is offered. Servers keep a ticket at most
 * 2 minutes past its connection's end (RECONNECT_TICKET_MS); the margin covers a slow close.
 */
export const TICKET_USE_MS = 90_000

/** The reconnect ticket of the current (or last) socket: offered once, in place of a token. */
export interface TicketSlot {
  /** A `ready` or `refreshed` frame's ticket (undefined: the server gave none). */
  keep (ticket: string | undefined): void
  /** The socket dropped with `code`: the ticket may open the next one for a while. */
  dropped (code: number, now: number): void
  /** The ticket, if one may be offered now; it is given once. */
  take (now: number): string | undefined
  clear (): void
}

export function createTicketSlot (enabled: boolean): TicketSlot {
  let ticket: string | undefined
  let usableUntil = 0
  return {
    keep (value) {
      ticket = enabled ? value : undefined
      usableUntil = Number.POSITIVE_INFINITY
    },
    dropped (code, now) {
      // A ticket carries its connection's token expiry: after 4003 only a new token helps.
      if (code === CloseCode.tokenExpired) ticket = undefined
      usableUntil = Math.min(usableUntil, now + TICKET_USE_MS)
    },
    take (now) {
      const value = now < usableUntil ? ticket : undefined
      ticket = undefined
      return value
    },
    clear () { ticket = undefined }
  }
}
