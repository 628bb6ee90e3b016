/** Presence sets: who is online where (the engine's `presence`). */

export interface PresenceEntry {
  member: string
  value: string
}

/**
 * A presence set's live entries as of one state of the set. Every change of the set (an entry
 * added, removed or expired, or refreshed with a new value or from past its expiry: see `add`)
 * gives it a larger version, so a change whose version is at most a
 * view's is reflected in that view, and one with a larger version happened after it.
 */
export interface PresenceView {
  entries: PresenceEntry[]
  version: number
}

/** One change of a presence set: `member` added (or back, or with a new value) with `value`, or removed (null). */
export interface PresenceChange {
  version: number
  member: string
  value: string | null
}

/** What `enter` answers: the live entries, or the changes (oldest first) since the version the caller knew. */
export type PresenceEntered = { added: boolean, version: number } & ({ entries: PresenceEntry[], changes?: undefined } | { changes: PresenceChange[], entries?: undefined })

/**
 * Sets whose entries expire unless refreshed: who is online where. Changes are versioned (see
 * PresenceView); versions only grow, across a set's keys expiring and coming back too.
 */
export interface PresenceSets {
  /**
   * Adds or refreshes `member` (with its `value`) for `ttlMs`. True when it was not present. A
   * refresh that changes the value, or brings back an entry past its expiry that no `expire` took
   * yet, is a change (a new version, listed in `enter`'s changes) though not a new member (`addMany`
   * tells such a revival apart); one with the same value (a keep-alive) is none.
   */
  add (set: string, member: string, value: string, ttlMs: number): Promise<boolean>
  /** Removes; true when it was present. */
  remove (set: string, member: string): Promise<boolean>
  /** Live (unexpired) entries. */
  members (set: string): Promise<PresenceEntry[]>
  /** Removes expired entries atomically and returns them, so exactly one caller sees each. */
  expire (set: string): Promise<PresenceEntry[]>
  /**
   * `add` for many entries in one round trip (a periodic refresh): what each did, in order. An
   * entry `revived` was hidden (past its expiry, not yet taken by `expire`) and is live again: a
   * reader of the whole set meanwhile left it out, so it is news to them as a new member is, yet
   * it gets no removal of its own (the `add` that made it, which answered true, has the one).
   */
  addMany (items: PresenceItem[]): Promise<PresenceAdded[]>
  /** `expire` for many sets in one round trip (a periodic sweep): the expired entries of each, in order. */
  expireMany (sets: string[]): Promise<PresenceEntry[][]>
  /** `members` with the version of the state they show. */
  view (set: string): Promise<PresenceView>
  /**
   * `add` then a view in one step, its version the add's own when that was a change. Given a
   * version the caller read before (`known`), it may answer with the changes since then instead of
   * the entries (a set held in memory stays current at the cost of what changed); the entries of
   * `changes` may include ones past their expiry that no `expire` took yet, and only a refresh that
   * is a change (see `add`) is among them. Members must not hold a newline.
   */
  enter (set: string, member: string, value: string, ttlMs: number, known?: number): Promise<PresenceEntered>
  /**
   * `remove` and, in the same step, whether a live entry whose member starts with `prefix` is left
   * (another of the same owner's) and the version after the removal.
   */
  exit (set: string, member: string, prefix: string): Promise<{ removed: boolean, others: boolean, version: number }>
}

/** What `addMany` did with one item: `added` as `add` answers; `revived` when it brought back an entry past its expiry (never both). */
export interface PresenceAdded {
  added: boolean
  revived: boolean
}

export interface PresenceItem {
  set: string
  member: string
  value: string
  ttlMs: number
}
