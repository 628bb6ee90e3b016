import type { LogId } from '../log-id.js'
import { EngineUnavailableError, type DeadLetter, type LogEntry, type Share } from '../types.js'

export interface MemoryLog {
  epoch: string
  entries: LogEntry[]
  lastMs: number
  lastSeq: number
  maxDeletedId: string | null
  /** The last number `AppendOptions.sequence` gave. */
  sequence: number
}

/** An entry handed out and not acknowledged. */
export interface HeldEntry {
  data: string
  /** How many times it was handed out. */
  deliveries: number
  /** When it was last handed out. */
  deliveredAt: number
}

/** A work queue (`Queues`): its entries by id, each in id order, oldest first. */
export interface MemoryQueue {
  /** Never handed out: id → data. Every id here is newer than every held one. */
  waiting: Map<string, string>
  held: Map<string, HeldEntry>
  dead: Map<string, DeadLetter>
  /** The last ids given to an entry and to a dead letter. */
  lastId: LogId
  lastDeadId: LogId
}

export interface PresenceSlot {
  value: string
  expiresAt: number
}

/** Everything the memory engine keeps, one slot per name; `expiresAt` null never expires. */
export type Slot =
  | { kind: 'kv', value: string, expiresAt: number | null, share: Share }
  | { kind: 'counter', count: number, expiresAt: number, share: Share }
  | { kind: 'claim', expiresAt: number }
  | { kind: 'idempotency', id: string, expiresAt: number }
  | { kind: 'log', log: MemoryLog, expiresAt: null }
  | { kind: 'presence', entries: Map<string, PresenceSlot>, expiresAt: null }
  | { kind: 'map', fields: Map<string, string>, expiresAt: null }
  | { kind: 'queue', queue: MemoryQueue, expiresAt: null }

export type SlotKind = Slot['kind']
export type SlotOf<K extends SlotKind> = Extract<Slot, { kind: K }>

export interface Store {
  /** The live slot, or undefined; an expired slot is deleted on the way. */
  get: <K extends SlotKind>(kind: K, name: string) => SlotOf<K> | undefined
  /**
   * Stores the slot. A new name in a full store throws EngineUnavailableError (after expired
   * slots were reclaimed) and stores nothing: live state is never dropped to make room.
   */
  put: (name: string, slot: Slot) => void
  /** Throws like `put` unless new slots of these kinds (room traffic, never kv or counters) fit now: checked before a write of several. */
  reserve: (kinds: SlotKind[]) => void
  delete: (kind: SlotKind, name: string) => boolean
  /** Deletes every expired slot. */
  sweep: () => void
  clear: () => void
  readonly size: number
}

export interface StoreOptions {
  maxKeys: number
  /** Logs (rooms that have messages) never expire: their own bound keeps them from filling the store. */
  maxLogs: number
  /**
   * The most slots of each share but `state` (see `Share`): what signed-in users' rooms make, and
   * what anyone's sign-in attempts make, each stops at its own bound, so that neither a flood of
   * sends nor one of code requests can take the rest, kept for sessions, revocations and used
   * token ids.
   */
  maxShare: { traffic: number, attempts: number }
  now: () => number
}

/**
 * Logs, idempotency keys, presence sets and maps are room traffic; claims and queues (a few named
 * by the services, each bounded by its own `maxLen`) are state; kv slots and counters name their share.
 */
const shareOf = (slot: Slot): Share =>
  slot.kind === 'kv' || slot.kind === 'counter' ? slot.share : slot.kind === 'claim' || slot.kind === 'queue' ? 'state' : 'traffic'

/** A full store sweeps expired slots at most this often: a sweep is O(n), a flood of refused writes must not pay it each. */
const FULL_SWEEP_EVERY_MS = 100

/** One bounded map for every kind of state, so that `maxKeys` bounds the whole engine. */
export function createStore ({ maxKeys, maxLogs, maxShare, now }: StoreOptions): Store {
  const slots = new Map<string, Slot>()
  let logs = 0
  const used: Record<Share, number> = { state: 0, traffic: 0, attempts: 0 }
  let lastFullSweep = -Infinity
  const id = (kind: SlotKind, name: string): string => `${kind}\u0000${name}`
  const expired = (slot: Slot, at: number): boolean => slot.expiresAt !== null && slot.expiresAt <= at

  const remove = (key: string): boolean => {
    const slot = slots.get(key)
    if (slot === undefined) return false
    slots.delete(key)
    if (slot.kind === 'log') logs--
    used[shareOf(slot)]--
    return true
  }

  const sweep = (): void => {
    const at = now()
    for (const [key, slot] of slots) if (expired(slot, at)) remove(key)
  }

  const withinShare = (share: Share, count: number): boolean => share === 'state' || used[share] + count <= maxShare[share]
  const fits = (share: Share, count: number, newLogs: number): boolean =>
    slots.size + count <= maxKeys && logs + newLogs <= maxLogs && withinShare(share, count)

  const refusal = (share: Share, count: number, newLogs: number): string => {
    if (newLogs > 0 && logs + newLogs > maxLogs) return `the memory engine holds its most logs (${maxLogs}): no new one until the process restarts`
    if (!withinShare(share, count)) return `the memory engine's share for ${share === 'traffic' ? 'room traffic' : 'sign-in attempts'} is full (${maxShare[share as 'traffic']} keys): refused until some expire`
    return `the memory engine is full (${maxKeys} keys): writes of new keys are refused until some expire`
  }

  /** Room for `count` new slots of one share, sweeping expired ones first when there is none. */
  const make = (share: Share, count: number, newLogs: number): void => {
    if (fits(share, count, newLogs)) return
    const at = now()
    if (at - lastFullSweep >= FULL_SWEEP_EVERY_MS) {
      lastFullSweep = at
      sweep()
    }
    if (fits(share, count, newLogs)) return
    throw new EngineUnavailableError(refusal(share, count, newLogs))
  }

  const reserve = (kinds: SlotKind[]): void => {
    make('traffic', kinds.length, kinds.filter((kind) => kind === 'log').length)
  }

  return {
    get (kind, name) {
      const key = id(kind, name)
      const slot = slots.get(key)
      if (slot === undefined) return undefined
      if (expired(slot, now())) {
        remove(key)
        return undefined
      }
      return slot as SlotOf<typeof kind>
    },
    put (name, slot) {
      const key = id(slot.kind, name)
      const old = slots.get(key)
      if (old === undefined) {
        make(shareOf(slot), 1, slot.kind === 'log' ? 1 : 0)
        if (slot.kind === 'log') logs++
      } else {
        used[shareOf(old)]--
      }
      used[shareOf(slot)]++
      slots.set(key, slot)
    },
    reserve,
    delete: (kind, name) => remove(id(kind, name)),
    sweep,
    clear: () => {
      slots.clear()
      logs = 0
      used.state = used.traffic = used.attempts = 0
    },
    get size () { return slots.size }
  }
}
