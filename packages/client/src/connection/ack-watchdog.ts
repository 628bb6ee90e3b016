import type { Timers } from '../timers.js'
import type { Link } from './link.js'
import { createTimerSlot } from './timer-slot.js'

export interface AckWatchdogDeps {
  timers: Timers
  timeoutMs: number
  /** Sends written to the current socket and not answered yet. */
  inFlight: () => number
  link: Pick<Link, 'socket' | 'drop'>
}

/**
 * While sends are in flight, a socket that answers none of them for `timeoutMs` is dead: the wait
 * starts over with every answer and stops when nothing is in flight.
 */
export interface AckWatchdog {
  /** An answer came, or a send was refused: the wait starts over, or stops if nothing is in flight. */
  arm (): void
  /** A send was written: the wait starts, unless it runs already. */
  sent (): void
  stop (): void
}

export function createAckWatchdog ({ timers, timeoutMs, inFlight, link }: AckWatchdogDeps): AckWatchdog {
  const timer = createTimerSlot(timers)
  const arm = (): void => {
    timer.clear()
    if (inFlight() === 0) return
    const ws = link.socket()
    timer.set(() => {
      if (link.socket() === ws && inFlight() > 0) link.drop(1006)
    }, timeoutMs)
  }
  return {
    arm,
    sent () { if (!timer.pending()) arm() },
    stop () { timer.clear() }
  }
}
