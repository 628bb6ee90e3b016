import type { ChatMessage, ServerFrameOf } from '@webchat/shared'
import type { WebchatError } from '../errors.js'
import type { Timers } from '../timers.js'
import { fail } from './refusal.js'

export interface HistoryPage { messages: ChatMessage[], more: boolean }

interface Waiter {
  resolve: (page: HistoryPage) => void
  reject: (err: WebchatError) => void
  timer: unknown
}

/**
 * `history()` calls waiting for their page. The server answers a room's requests in order, so a
 * page (or a refusal about the room) goes to the oldest waiter of that room.
 */
export interface HistoryWaiters {
  /** Waits for the next page of `room`, at most the request timeout; the caller sends the request. */
  wait (room: string): Promise<HistoryPage>
  page (frame: ServerFrameOf<'history'>): void
  /** A refusal about `room`: its oldest waiter fails with `err`; whether there was one. */
  refuse (room: string, err: WebchatError): boolean
  /** Every waiter (of `room`, or of all rooms) fails with `err`. */
  rejectAll (room: string | undefined, err: WebchatError): void
}

export function createHistoryWaiters (timers: Timers, timeoutMs: number): HistoryWaiters {
  const waiting = new Map<string, Waiter[]>()
  const oldest = (room: string): Waiter | undefined => {
    const waiter = waiting.get(room)?.shift()
    if (waiter !== undefined) timers.clearTimeout(waiter.timer)
    return waiter
  }
  return {
    wait (room) {
      return new Promise((resolve, reject) => {
        const waiters = waiting.get(room) ?? []
        const waiter: Waiter = {
          resolve,
          reject,
          timer: timers.setTimeout(() => {
            const list = waiting.get(room)
            const at = list?.indexOf(waiter) ?? -1
            if (at >= 0) list!.splice(at, 1)
            reject(fail('timeout', 'no history page in time', room))
          }, timeoutMs)
        }
        waiters.push(waiter)
        waiting.set(room, waiters)
      })
    },
    page (frame) {
      oldest(frame.room)?.resolve({ messages: frame.messages, more: frame.more })
    },
    refuse (room, err) {
      const waiter = oldest(room)
      waiter?.reject(err)
      return waiter !== undefined
    },
    rejectAll (room, err) {
      for (const [name, waiters] of waiting) {
        if (room !== undefined && name !== room) continue
        for (const w of waiters) {
          timers.clearTimeout(w.timer)
          w.reject(err)
        }
        waiting.delete(name)
      }
    }
  }
}
