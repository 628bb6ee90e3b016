/**
 * The contract of `Engine.queues`, beside types.ts (re-exported from there) so that each file
 * stays small.
 */

/** An entry handed to a consumer: `attempt` is 1 the first time it is handed out, 2 the next, … */
export interface QueueEntry { id: string, data: string, attempt: number }

/**
 * An entry moved out of its queue by `bury`. `id`: its own id among the queue's dead letters (in
 * the order they were buried), not the entry's; `attempts`: how many times it had been handed out
 * (0: never); `at`: when it was buried (ms since the epoch).
 */
export interface DeadLetter { id: string, data: string, attempts: number, reason: string, at: number }

export interface QueueDepth {
  /** Entries not acknowledged yet: waiting for a first attempt, or handed out and not acknowledged. */
  queued: number
  /** Of those, handed out at least once and not acknowledged (in flight, or waiting for a retry). */
  pending: number
  /** Dead letters held. */
  dead: number
}

export interface TakeOptions {
  /** At most this many entries (1..1000). */
  count: number
  /**
   * How long an entry handed out and not acknowledged waits before it is handed out again, by the
   * attempt that failed (index 0: after the first attempt, 1: after the second…); the last figure
   * repeats. It is also how long an entry held by a consumer that died waits: callers make it
   * longer than a consumer may work on one entry. Whole milliseconds, 0 or more; at least one.
   */
  retryAfterMs: number[]
}

/**
 * Durable work queues shared by every instance. At least once: an entry is removed only by `ack`
 * or `bury`; one handed out and not acknowledged within its retry delay is handed out again (to any
 * consumer). Entries are handed out oldest first among those due. Ids are `<ms>-<seq>`; a malformed
 * one is a RangeError, like every bad argument. `ack` and `bury` act on the entry whoever holds it:
 * a consumer that finishes after its entry was handed out again still removes it.
 */
export interface Queues {
  /** Adds an entry and returns its id; null when the queue already holds `maxLen` entries (nothing is dropped to make room). */
  push (queue: string, data: string, maxLen: number): Promise<string | null>
  /**
   * Up to `count` entries for `consumer` (a non-empty name, one per process or worker): first those
   * due for another attempt, then new ones.
   */
  take (queue: string, consumer: string, options: TakeOptions): Promise<QueueEntry[]>
  /** The entry is done and removed. False when the queue does not hold it (already acknowledged or buried). */
  ack (queue: string, id: string): Promise<boolean>
  /** Moves an entry to the queue's dead letters with a reason; they keep the newest `maxDead`. False when the queue does not hold it. */
  bury (queue: string, id: string, reason: string, maxDead: number): Promise<boolean>
  /** Dead letters oldest first, after `afterId` (null: from the oldest), at most `limit`. */
  dead (queue: string, afterId: string | null, limit: number): Promise<DeadLetter[]>
  /**
   * Puts dead letters back as new entries (their next attempt is 1), `ids` (in the order given) or
   * (undefined) all, oldest first, while the queue holds fewer than `maxLen`; returns how many
   * moved. Unknown ids are skipped.
   */
  replay (queue: string, maxLen: number, ids?: string[]): Promise<number>
  depth (queue: string): Promise<QueueDepth>
}
