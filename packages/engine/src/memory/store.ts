import type { LogEntry } from '../types.js'

export interface MemoryLog {
  epoch: string
  entries: LogEntry[]
  lastMs: number
  lastSeq: number
  maxDeletedId: string | null
}

export interface PresenceSlot {
  value: string
  expiresAt: number
}

/** Everything the memory engine keeps, one slot per name; `expiresAt` null never expires. */
export type Slot =
  | { kind: 'kv', value: string, expiresAt: number | null }
  | { kind: 'counter', count: number, expiresAt: number }
  | { kind: 'idempotency', id: string, expiresAt: number }
  | { kind: 'log', log: MemoryLog, expiresAt: null }
  | { kind: 'presence', entries: Map<string, PresenceSlot>, expiresAt: null }

export type SlotKind = Slot['kind']
export type SlotOf<K extends SlotKind> = Extract<Slot, { kind: K }>

export interface Store {
  /** The live slot, or undefined; an expired slot is deleted on the way. */
  get: <K extends SlotKind>(kind: K, name: string) => SlotOf<K> | undefined
  /** Stores as the newest entry, evicting the oldest ones when the store is full. */
  put: (name: string, slot: Slot) => void
  delete: (kind: SlotKind, name: string) => boolean
  /** Deletes every expired slot. */
  sweep: () => void
  clear: () => void
  readonly size: number
}

export interface StoreOptions {
  maxKeys: number
  now: () => number
}

/** A full store sweeps expired slots at most this often before evicting live ones. */
const FULL_SWEEP_EVERY_MS = 100

/**
 * One bounded map for every kind of state, so that `maxKeys` bounds the whole engine. Map
 * iteration follows insertion order, which makes "evict the oldest" a walk from the start.
 */
export function createStore ({ maxKeys, now }: StoreOptions): Store {
  const slots = new Map<string, Slot>()
  let lastFullSweep = -Infinity
  const id = (kind: SlotKind, name: string): string => `${kind}\u0000${name}`
  const expired = (slot: Slot, at: number): boolean => slot.expiresAt !== null && slot.expiresAt <= at

  const sweep = (): void => {
    const at = now()
    for (const [key, slot] of slots) if (expired(slot, at)) slots.delete(key)
  }

  const makeRoom = (): void => {
    if (slots.size < maxKeys) return
    const at = now()
    // Sweeping is O(n): when nothing expires, repeated inserts into a full store would pay it
    // on every call, so it runs at most every FULL_SWEEP_EVERY_MS.
    if (at - lastFullSweep >= FULL_SWEEP_EVERY_MS) {
      lastFullSweep = at
      sweep()
    }
    for (const key of slots.keys()) {
      if (slots.size < maxKeys) break
      slots.delete(key)
    }
  }

  return {
    get (kind, name) {
      const key = id(kind, name)
      const slot = slots.get(key)
      if (slot === undefined) return undefined
      if (expired(slot, now())) {
        slots.delete(key)
        return undefined
      }
      return slot as SlotOf<typeof kind>
    },
    put (name, slot) {
      const key = id(slot.kind, name)
      if (!slots.delete(key)) makeRoom()
      slots.set(key, slot)
    },
    delete: (kind, name) => slots.delete(id(kind, name)),
    sweep,
    clear: () => slots.clear(),
    get size () { return slots.size }
  }
}
