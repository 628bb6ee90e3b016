import type { ServerFrameOf } from '@webchat/shared'
import { WebchatError } from '../errors.js'
import type { Timers } from '../timers.js'
import { readToken, refreshDelay } from '../token.js'
import type { Link } from './link.js'
import { createTimerSlot } from './timer-slot.js'
import type { ConnectionOptions } from './types.js'

/** How long after a failed refresh (token endpoint unreachable, or the server refused the token) it is tried again. */
const RETRY_MS = 5000

export interface RefresherDeps {
  timers: Timers
  getToken: ConnectionOptions['getToken']
  refreshLeadMs: number | undefined
  link: Pick<Link, 'socket' | 'isOpen' | 'transmit' | 'end'>
}

/** Keeps the socket's token fresh: a new one is handed to the server in-band before the old one ends. */
export interface Refresher {
  /** A new socket was offered a token of this lifetime. */
  offered (lifetimeMs: number | undefined): void
  /**
   * The socket is ready: the refresh is planned from the token's lifetime, or, when it was opened
   * with a reconnect ticket (lifetime unknown), from the token expiry `ready` gives.
   */
  schedule (expiresAt?: string): void
  /** Refreshes now (`refreshToken()`), if the socket is open. */
  now (): void
  /** The server took the new token. */
  refreshed (frame: ServerFrameOf<'refreshed'>): void
  /** The server refused a token: if it was the one just sent, it is tried again later. */
  refused (): void
  /** The socket is gone. */
  stop (): void
}

export function createRefresher ({ timers, getToken, refreshLeadMs, link }: RefresherDeps): Refresher {
  let lifetimeMs: number | undefined
  /** The lifetime of the token sent in a `refresh` frame and not yet answered. */
  let sentLifetimeMs: number | undefined
  const timer = createTimerSlot(timers)

  function schedule (expiresAt?: string): void {
    timer.clear()
    if (lifetimeMs === undefined && expiresAt !== undefined) {
      const left = Date.parse(expiresAt) - timers.now()
      if (Number.isFinite(left)) lifetimeMs = Math.max(0, left)
    }
    if (lifetimeMs === undefined) return
    timer.set(() => { void refresh() }, refreshDelay(lifetimeMs, refreshLeadMs))
  }

  async function refresh (): Promise<void> {
    timer.clear()
    const ws = link.socket()
    if (ws === undefined || !link.isOpen()) return
    let token
    try {
      token = readToken(await getToken(), timers.now())
    } catch (err) {
      if (err instanceof WebchatError && err.code === 'unauthorized') link.end('unauthorized')
      else if (link.socket() === ws) timer.set(() => { void refresh() }, RETRY_MS)
      return
    }
    if (link.socket() !== ws) return
    sentLifetimeMs = token.lifetimeMs
    link.transmit({ type: 'refresh', token: token.token })
  }

  return {
    offered (ms) { lifetimeMs = ms },
    schedule,
    now () {
      if (link.isOpen()) void refresh()
    },
    refreshed (frame) {
      lifetimeMs = sentLifetimeMs ?? Math.max(0, Date.parse(frame.expiresAt) - timers.now())
      sentLifetimeMs = undefined
      schedule()
    },
    refused () {
      if (sentLifetimeMs === undefined) return
      sentLifetimeMs = undefined
      timer.set(() => { void refresh() }, RETRY_MS)
    },
    stop () { timer.clear() }
  }
}
