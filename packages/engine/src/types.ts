/**
 * The state engine: everything the services keep or share goes through these small interfaces.
 * Two implementations keep the same semantics: `memory` (one process, bounded) and `redis`.
 * Names passed in are logical (`code:ab12`, `room:general`); the engine adds its prefix.
 */

import type { PresenceSets } from './presence-types.js'
import type { Queues } from './queue-types.js'

export type { DeadLetter, QueueDepth, QueueEntry, Queues, TakeOptions } from './queue-types.js'
export type { PresenceAdded, PresenceChange, PresenceEntered, PresenceEntry, PresenceItem, PresenceSets, PresenceView } from './presence-types.js'

/**
 * Who makes a key, for an engine whose room is bounded (the memory engine): `state` (sessions,
 * revocations, used token ids, accounts: the default), `traffic` (what signed-in users' rooms make:
 * logs, idempotency keys, presence, read markers, typing, their quotas) or `attempts` (what anyone
 * can make without an account: sign-in codes, cooldowns, per-client and per-address counters).
 * Traffic and attempts each stop at their own share, so that a flood of either leaves room for
 * state. Redis, bounded by its own memory, stores every key alike.
 */
export type Share = 'state' | 'traffic' | 'attempts'

export interface KvWriteOptions {
  share?: Share
}

/** Key/value strings with optional time to live. */
export interface KeyValueStore {
  get (key: string): Promise<string | null>
  /** Sets the value; `ttlMs` makes it expire, omitted keeps it until deleted. */
  set (key: string, value: string, ttlMs?: number, options?: KvWriteOptions): Promise<void>
  /** Sets only when absent; true when this call set it. */
  setIfAbsent (key: string, value: string, ttlMs?: number, options?: KvWriteOptions): Promise<boolean>
  /**
   * Claims `member` (non-empty) of `group` for `ttlMs`: true when this call made the claim, false while an
   * earlier one is live (of concurrent callers exactly one gets true). For many short-lived marks
   * (used token ids, grouped by user): a group's claims are kept together (on Redis two hashes in
   * the group's slot, tens of bytes a claim), so keep a group's claims bounded by its owner's rate.
   */
  claim (group: string, member: string, ttlMs: number): Promise<boolean>
  /** Reads and deletes in one atomic step: of concurrent callers exactly one gets the value. */
  consume (key: string): Promise<string | null>
  /** Deletes; true when the key existed. */
  delete (key: string): Promise<boolean>
  /** Milliseconds left before the key expires; null when it is missing or never expires. */
  ttl (key: string): Promise<number | null>
  /** Makes an existing key expire `ttlMs` from now (whatever its time to live was); false when it is missing. */
  touch (key: string, ttlMs: number): Promise<boolean>
}

export interface CounterValue {
  count: number
  /** Milliseconds until the window resets. */
  resetMs: number
}

/** Counters in fixed windows, for rate limits and failure counts. */
export interface Counters {
  /** Adds `by` (default 1); the window starts at the first increment and lasts `windowMs`. */
  increment (key: string, windowMs: number, by?: number, options?: KvWriteOptions): Promise<CounterValue>
  /** The current count, 0 when missing or expired. */
  get (key: string): Promise<number>
  reset (key: string): Promise<void>
}

export type Unsubscribe = () => Promise<void>

/**
 * Told of an interrupt or a resume: `channels` names the channels concerned (as subscribed), or is
 * undefined for every channel. On one Redis it is always every channel; on a cluster, the channels
 * of the shard that failed or moved, so that the rooms of the other shards go on undisturbed.
 */
export type ScopeListener = (channels?: ReadonlySet<string>) => void

/** Fire-and-forget messages to every instance subscribed to a channel. */
export interface PubSub {
  publish (channel: string, message: string): Promise<void>
  /**
   * Subscribes a handler. Several handlers may share a channel: the engine holds one
   * subscription per channel and counts references. Resolves once the subscription is active.
   */
  subscribe (channel: string, handler: (message: string) => void): Promise<Unsubscribe>
  /**
   * Called when the subscriber connection is lost: messages published from then until `onResume`
   * may never arrive, and those that arrive after the reconnect may come before the catch-up (hold
   * them until it is done).
   */
  onInterrupt (listener: ScopeListener): () => void
  /**
   * Called after the subscriber connection was lost and came back with its subscriptions
   * restored. Messages published meanwhile are lost: callers catch up from their logs.
   */
  onResume (listener: ScopeListener): () => void
}

export interface LogEntry {
  /** `<ms>-<seq>`, strictly increasing within a log, the same on every instance. */
  id: string
  data: string
}

export interface AppendOptions {
  /** The log keeps at most this many entries, dropping the oldest. */
  maxLen: number
  /**
   * Published in the same atomic step as the append: `before + id + after` goes to `channel`,
   * so a relayed frame is encoded once and carries its log id.
   */
  publish?: { channel: string, before: string, after: string }
  /**
   * A repeated append with the same key within `ttlMs` of the first stores nothing and returns the
   * first id (the first append's `ttlMs` counts, whatever a repeat gives).
   */
  idempotency?: { key: string, ttlMs: number }
  /**
   * Numbers the appends that ask for it 1, 2, 3… within the log's epoch (a new epoch starts over):
   * the number replaces the first NUL character (U+0000) of `data` and of `publish.after`, which
   * JSON text never holds raw, and comes back as `AppendResult.seq`.
   */
  sequence?: boolean
  /**
   * A map of per-entry state in the log's slot (fields named by entry ids): when an entry is
   * trimmed from the log its field goes, and so does the field of the entry its data names as
   * `"target":"<id>"` (a change to that entry), so the map never outlives what the log holds.
   */
  entryStates?: string
  /**
   * A key/value string in the log's slot set in the same step to `<id> <seq> <epoch>` of this
   * append (its number from `sequence`, else 0), for `ttlMs`: a marker that follows its owner's own
   * appends (a read marker). It never moves back, as each append is the log's newest entry.
   */
  stamp?: { key: string, ttlMs: number }
}

/** `Logs.change`: the append happens only while `map`'s `field` holds `expect` (null: absent). */
export interface AppendGuard {
  map: string
  field: string
  expect: string | null
  /** Set in the same step; null deletes the field. */
  value: string | null
  /** Entries deleted from the log in the same step (they must be older than the append). */
  remove?: string[]
}

export interface AppendResult {
  id: string
  epoch: string
  /** True when the idempotency key had been seen: nothing was stored or published. */
  duplicate: boolean
  /** The append's number, with `sequence` (not on a duplicate). */
  seq?: number
}

export interface LogInfo {
  /**
   * Changes when the log is lost (e.g. Redis restarted without persistence). Null for a log never
   * appended to: the first append makes it, so that reading a log that has nothing stores nothing.
   */
  epoch: string | null
  length: number
  firstId: string | null
  lastId: string | null
  /** The newest id ever dropped from the log (trimmed), or null when nothing was dropped. */
  maxDeletedId: string | null
  /**
   * The last number `AppendOptions.sequence` gave in this epoch (0: none). Counts of unread
   * messages are differences of these numbers, so they need no read of the entries.
   */
  seq: number
}

/** Append-only logs (room histories) with range reads and an epoch. */
export interface Logs {
  append (log: string, data: string, options: AppendOptions): Promise<AppendResult>
  /**
   * `append` to a log that exists (has an epoch); null, storing and publishing nothing, for a log
   * never appended to. Making a log is then a separate decision the caller can meter (new rooms).
   */
  appendExisting (log: string, data: string, options: AppendOptions): Promise<AppendResult | null>
  /**
   * `appendExisting` under a guard on one map field in the log's slot: a change to an entry (an
   * edit, a deletion, a reaction) is stored, its state set, and entries it erases removed in one
   * atomic step, or nothing happens ('conflict': the field changed since it was read; retry from a
   * fresh read). An idempotent repeat returns the first result, whatever the guard.
   */
  change (log: string, data: string, options: AppendOptions, guard: AppendGuard): Promise<AppendResult | 'conflict' | null>
  /** Entries with id > `afterId`, oldest first, at most `limit`. */
  readAfter (log: string, afterId: string, limit: number): Promise<LogEntry[]>
  /**
   * What `readAfter` returns when the entries' data adds up to at most `maxBytes` UTF-8 bytes,
   * else null, found out where the log is kept (the read stops at the entry that passes the
   * cap): entries a caller could not send are neither read out nor carried over the network.
   */
  readAfterWithin (log: string, afterId: string, limit: number, maxBytes: number): Promise<LogEntry[] | null>
  /** Entries with id < `beforeId` (or the newest when null), the newest `limit`, oldest first. */
  readBefore (log: string, beforeId: string | null, limit: number): Promise<LogEntry[]>
  /** The log's epoch and extent; creates nothing. */
  info (log: string): Promise<LogInfo>
}

/** A change to one map, applied whole or not at all (see `Maps.write`). */
export interface MapChange {
  /** Fields to set. */
  set?: Record<string, string>
  /** Fields to delete. */
  delete?: string[]
  /** The change applies only while each field holds this value (null: absent); else `conflict`. */
  expect?: Record<string, string | null>
  /** The change applies only if the map has at most this many fields after it; else `full`. */
  maxFields?: number
  /**
   * Adds `by` to the integer in `field` (absent: 0) in the same step; the change applies only if
   * the result is at most `max` (else `full`) and not below 0. A count kept beside the fields it
   * counts (a roster's members), so that concurrent adds need no retry.
   */
  count?: { field: string, by: number, max?: number }
}

export type MapWriteResult = 'ok' | 'conflict' | 'full'

/**
 * Maps of string fields (a Redis hash): records and rosters. One map is one key, so every write to
 * it is one atomic step on one shard; guarded writes (`expect`) let callers keep invariants that
 * span several fields (a room's owner and its members) with optimistic retries.
 */
export interface Maps {
  get (map: string, field: string): Promise<string | null>
  /** The values of `fields`, in order (null where absent), in one step. */
  getMany (map: string, fields: string[]): Promise<Array<string | null>>
  /** Every field. Keep maps bounded (`maxFields`) where this is read. */
  all (map: string): Promise<Record<string, string>>
  count (map: string): Promise<number>
  write (map: string, change: MapChange): Promise<MapWriteResult>
  /** Deletes the whole map; true when it existed. */
  drop (map: string): Promise<boolean>
}

export interface Engine {
  readonly kind: 'memory' | 'redis'
  readonly kv: KeyValueStore
  readonly counters: Counters
  readonly pubsub: PubSub
  readonly logs: Logs
  readonly presence: PresenceSets
  readonly maps: Maps
  readonly queues: Queues
  /** True while the engine can serve commands (readiness). */
  isReady (): boolean
  /** Resolves when the engine answers, rejects when it does not. */
  ping (): Promise<void>
  /** Releases connections and timers. */
  close (): Promise<void>
}

/** Thrown by engine calls that cannot be served now (e.g. Redis is down). */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError'
  readonly code = 'ENGINE_UNAVAILABLE'
}
