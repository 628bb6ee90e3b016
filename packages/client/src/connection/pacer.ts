import { createTokenBucket, LIMITS, type ServerFrameOf } from '@webchat/shared'
import type { OutboxEntry, Outbox } from '../outbox.js'
import type { Timers } from '../timers.js'
import type { AckWatchdog } from './ack-watchdog.js'
import type { Link } from './link.js'
import { fail } from './refusal.js'
import { createTimerSlot } from './timer-slot.js'

/** How often a send refused with `rate_limited` or `unavailable` is tried again (1, 2, … 5 s apart) before it fails. */
const SEND_RETRIES = 5
/**
 * Sends are paced at the server's rate (LIMITS.sendsPerSecond) with a smaller burst than its
 * LIMITS.sendBurst, so that transit jitter bunching a few sends together never tips the server's
 * count into `rate_limited`.
 */
const PACE_BURST = LIMITS.sendBurst - 5

export interface PacerDeps {
  timers: Timers
  outbox: Outbox
  watchdog: Pick<AckWatchdog, 'arm' | 'sent'>
  link: Pick<Link, 'isOpen' | 'transmit'>
  /** Whether a room is joined on the current socket: only then do its sends go. */
  joined: (room: string) => boolean
}

/**
 * Writes the outbox to the socket: oldest first, paced, and while the server refuses sends only
 * one of the refused ones (the probe) is tried again.
 */
export interface Pacer {
  /** Writes the sends that may go now and wakes itself for the rest. */
  pump (): void
  /**
   * A passing refusal (`rate_limited`, `unavailable`): the send is tried again with the same
   * clientMsgId. While the server refuses, only the oldest refused send (the probe) is tried again,
   * 1, 2, … 5 s apart, and the others refused wait for its answer, so an outage costs one retry at a
   * time rather than one per message, and never adds up past the send limit. New sends still go out
   * (each gets its answer). An ack ends the wait; a probe refused a sixth time fails, and every send
   * held behind it fails with it.
   */
  refused (entry: OutboxEntry, frame: ServerFrameOf<'error'>): void
  /** Sends are taken again: everything held goes now, in order, as new sends. */
  release (): void
  /** The socket is gone. */
  stop (): void
}

export function createPacer ({ timers, outbox, watchdog, link, joined }: PacerDeps): Pacer {
  const pace = createTokenBucket(LIMITS.sendsPerSecond, PACE_BURST, () => timers.now())
  const timer = createTimerSlot(timers)
  /** While the server refuses sends: the one refused send tried again; the other refused ones wait for its answer. */
  let probe: string | undefined
  const ready = (e: OutboxEntry): boolean => joined(e.room)

  function write (entry: OutboxEntry): void {
    if (!link.transmit(entry.frame)) return
    entry.sent = true
    watchdog.sent()
  }

  function pump (): void {
    timer.clear()
    if (!link.isOpen()) return
    const current = probe === undefined ? undefined : outbox.get(probe)
    if (probe !== undefined && (current === undefined || (!current.sent && !ready(current)))) {
      // The probe is gone (failed, or left with its room) or cannot go (its room is not joined):
      // the next refused send that can go takes its place.
      probe = outbox.entries().find((e) => e.retries > 0 && !e.sent && ready(e))?.clientMsgId
    }
    const now = timers.now()
    let wakeIn = Infinity
    for (const entry of outbox.entries()) {
      if (entry.sent || !ready(entry)) continue
      if (entry.retries > 0 && probe !== undefined && entry.clientMsgId !== probe) continue
      if (entry.retryAt > now) {
        wakeIn = Math.min(wakeIn, entry.retryAt - now)
        continue
      }
      const wait = pace.waitMs()
      if (wait > 0) {
        wakeIn = Math.min(wakeIn, wait)
        break
      }
      pace.take()
      write(entry)
    }
    if (wakeIn !== Infinity) timer.set(pump, wakeIn)
  }

  return {
    pump,
    refused (entry, frame) {
      entry.sent = false
      entry.retries++
      watchdog.arm()
      probe ??= entry.clientMsgId
      if (entry.clientMsgId === probe && entry.retries > SEND_RETRIES) {
        probe = undefined
        for (const held of outbox.entries()) {
          if (held.retries > 0 && !held.sent) outbox.reject(held.clientMsgId, fail(frame.code, frame.message, held.clientMsgId))
        }
      } else if (entry.clientMsgId === probe) {
        entry.retryAt = timers.now() + 1000 * entry.retries
      }
      pump()
    },
    release () {
      if (probe === undefined) return
      probe = undefined
      for (const held of outbox.entries()) {
        held.retries = 0
        held.retryAt = 0
      }
      pump()
    },
    stop () { timer.clear() }
  }
}
