import type { Batch } from './batch.js'

/**
 * A socket as the delivery path sees it (connection/connection.ts's Connection). `pending` is the
 * outbox's queue for it, kept on the socket rather than in a Map looked up per frame.
 */
export interface Recipient {
  /** Frames queued for the end of this event-loop turn, or null. */
  pending: Array<string | Batch> | null
  /** Queues a finished frame (JSON text) unless the socket is closed. */
  send (payload: string): boolean
  /** Writes a finished WebSocket frame now unless the socket is closed or too far behind. */
  write (frame: Buffer): boolean
}

/**
 * The write side of an instance. Frames for a socket are queued during an event-loop turn and
 * written at its end (setImmediate): whatever one socket gets in a turn (an ack and the message it
 * acknowledges, a room's messages relayed together, a snapshot and the live frames after it) goes
 * out as one WebSocket message, a JSON array when there are several (ServerPayload), in one write.
 * Rooms hand over shared batches: a socket with nothing else queued gets the batch's bytes as they
 * are, with no per-socket encoding.
 */
export interface Outbox {
  /** Queues a finished frame (JSON text) for `conn`. */
  push (conn: Recipient, payload: string): void
  /** Gives `conn` a room's batch: written at once when nothing else waits for it, else queued. */
  share (conn: Recipient, batch: Batch): boolean
  /** Runs `task` at the start of every flush (rooms build their batches there). */
  beforeFlush (task: () => void): void
  /** Asks for a flush at the end of this turn. */
  schedule (): void
  /** Writes what waits for `conn` now (before a close, so that its last frames go first). */
  flushConnection (conn: Recipient): void
  /** Writes everything queued now. */
  flush (): void
}

export function createOutbox (write: (conn: Recipient, frame: Buffer) => boolean, encode: (text: string) => Buffer): Outbox {
  const waiting = new Set<Recipient>()
  const tasks: Array<() => void> = []
  let scheduled = false

  const writePending = (conn: Recipient): void => {
    const items = conn.pending
    if (items === null) return
    conn.pending = null
    if (items.length === 1) {
      const only = items[0]!
      write(conn, typeof only === 'string' ? encode(only) : only.frame())
      return
    }
    const texts: string[] = []
    for (const item of items) {
      if (typeof item === 'string') texts.push(item)
      else for (const payload of item.payloads) texts.push(payload)
    }
    write(conn, encode(texts.length === 1 ? texts[0]! : `[${texts.join(',')}]`))
  }

  const outbox: Outbox = {
    push (conn, payload) {
      if (conn.pending === null) {
        conn.pending = [payload]
        waiting.add(conn)
        outbox.schedule()
      } else {
        conn.pending.push(payload)
      }
    },
    share (conn, batch) {
      if (conn.pending === null) return write(conn, batch.frame())
      conn.pending.push(batch)
      return true
    },
    beforeFlush (task) { tasks.push(task) },
    schedule () {
      if (scheduled) return
      scheduled = true
      setImmediate(outbox.flush)
    },
    flushConnection (conn) {
      if (!waiting.delete(conn)) return
      writePending(conn)
    },
    flush () {
      scheduled = false
      for (const task of tasks) task()
      for (const conn of waiting) writePending(conn)
      waiting.clear()
    }
  }
  return outbox
}
