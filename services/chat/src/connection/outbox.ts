import type { Connection } from './connection.js'

/** Frames of one room from one flush, encoded and framed once for every socket that gets them all. */
export interface Batch {
  readonly payloads: string[]
  /** The WebSocket frame: the payload itself when alone, else the JSON array of them. */
  frame (): Buffer
}

export function createBatch (payloads: string[], encode: (text: string) => Buffer): Batch {
  let framed: Buffer | undefined
  return {
    payloads,
    frame: () => (framed ??= encode(payloads.length === 1 ? payloads[0]! : `[${payloads.join(',')}]`))
  }
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
  push (conn: Connection, payload: string): void
  /** Gives `conn` a room's batch: written at once when nothing else waits for it, else queued. */
  share (conn: Connection, batch: Batch): boolean
  /** Runs `task` at the start of every flush (rooms build their batches there). */
  beforeFlush (task: () => void): void
  /** Asks for a flush at the end of this turn. */
  schedule (): void
  /** Writes what waits for `conn` now (before a close, so that its last frames go first). */
  flushConnection (conn: Connection): void
  /** Writes everything queued now. */
  flush (): void
}

export function createOutbox (write: (conn: Connection, frame: Buffer) => boolean, encode: (text: string) => Buffer): Outbox {
  const waiting = new Set<Connection>()
  const tasks: Array<() => void> = []
  let scheduled = false

  const writePending = (conn: Connection): void => {
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
