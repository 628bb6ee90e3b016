import type { Timers } from '../timers.js'

/** One pending call at most: setting it again replaces the call, and it knows whether one waits. */
export interface TimerSlot {
  set (fn: () => void, ms: number): void
  clear (): void
  pending (): boolean
}

export function createTimerSlot (timers: Timers): TimerSlot {
  let handle: unknown
  const slot: TimerSlot = {
    set (fn, ms) {
      slot.clear()
      handle = timers.setTimeout(() => {
        handle = undefined
        fn()
      }, ms)
    },
    clear () {
      if (handle !== undefined) timers.clearTimeout(handle)
      handle = undefined
    },
    pending: () => handle !== undefined
  }
  return slot
}

/** Cancels a timer stored as a bare handle (a room's typing and rejoin timers); gives `undefined` to store back. */
export function clearHandle (timers: Timers, handle: unknown): undefined {
  if (handle !== undefined) timers.clearTimeout(handle)
  return undefined
}
