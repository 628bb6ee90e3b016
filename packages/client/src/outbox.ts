import type { ClientFrameOf } from '@webchat/shared'
import type { WebchatError } from './errors.js'

/** What the outbox holds: a message, or a change to one (all idempotent by `clientMsgId`, acked alike). */
export type OutboxFrame = ClientFrameOf<'send'> | ClientFrameOf<'edit'> | ClientFrameOf<'delete'> | ClientFrameOf<'react'>

export interface OutboxEntry {
  readonly room: string
  readonly clientMsgId: string
  /** The frame written (again, unchanged) on each try. */
  readonly frame: OutboxFrame
  /** Written to the current socket and waiting for its ack. */
  sent: boolean
  /** Times it was refused for a passing reason (`rate_limited`, `unavailable`). */
  retries: number
  /** After a refusal: not to be tried again before this time (local ms). */
  retryAt: number
}

interface Held extends OutboxEntry {
  promise: Promise<string>
  resolve: (id: string) => void
  reject: (err: WebchatError) => void
}

export interface Outbox {
  /** Queues a frame; the same `clientMsgId` twice gives the same entry and promise. */
  add (frame: OutboxFrame): { entry: OutboxEntry, promise: Promise<string> }
  get (clientMsgId: string): OutboxEntry | undefined
  resolve (clientMsgId: string, id: string): void
  reject (clientMsgId: string, err: WebchatError): void
  rejectAll (match: (entry: OutboxEntry) => boolean, err: WebchatError): void
  /** Entries in the order they were queued, optionally of one room. */
  entries (room?: string): OutboxEntry[]
  /** The socket is gone: nothing is in flight any more, everything is to be sent again. */
  unsend (): void
  inFlight (): number
}

/** Messages and changes sent but not yet acknowledged, kept in order until their ack (or a final error). */
export function createOutbox (): Outbox {
  const held = new Map<string, Held>()
  return {
    add (frame) {
      const { room, clientMsgId } = frame
      const existing = held.get(clientMsgId)
      if (existing !== undefined) return { entry: existing, promise: existing.promise }
      let resolve!: (id: string) => void
      let reject!: (err: WebchatError) => void
      const promise = new Promise<string>((res, rej) => { resolve = res; reject = rej })
      const entry: Held = { room, clientMsgId, frame, sent: false, retries: 0, retryAt: 0, promise, resolve, reject }
      held.set(clientMsgId, entry)
      return { entry, promise }
    },
    get: (clientMsgId) => held.get(clientMsgId),
    resolve (clientMsgId, id) {
      const entry = held.get(clientMsgId)
      if (entry === undefined) return
      held.delete(clientMsgId)
      entry.resolve(id)
    },
    reject (clientMsgId, err) {
      const entry = held.get(clientMsgId)
      if (entry === undefined) return
      held.delete(clientMsgId)
      entry.reject(err)
    },
    rejectAll (match, err) {
      for (const entry of [...held.values()]) {
        if (!match(entry)) continue
        held.delete(entry.clientMsgId)
        entry.reject(err)
      }
    },
    entries: (room) => [...held.values()].filter((e) => room === undefined || e.room === room),
    unsend () { for (const entry of held.values()) entry.sent = false },
    inFlight: () => { let n = 0; for (const e of held.values()) if (e.sent) n++; return n }
  }
}
