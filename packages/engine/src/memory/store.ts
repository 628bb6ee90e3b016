import { EngineUnavailableError, type LogEntry } from '../types.js'

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
  | { kind: 'kv', value: string, expiresAt: number | null, traffic: boolean }
  | { kind: 'counter', count: number, expiresAt: number }
  | { kind: 'idempotency', id: string, expiresAt: number }
  | { kind: 'log', log: MemoryLog, expiresAt: null }
  | { kind: 'presence', entries: Map<string, PresenceSlot>, expiresAt: null }
  | { kind: 'map', fields: Map<string, string>, expiresAt: null }

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
  /** Throws like `put` unless new slots of these kinds (never traffic kv) fit now: checked before a write of several. */
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
   * Slots that room traffic may never take: logs, idempotency keys, presence sets and maps (room
   * records, rosters, users' room lists) stop this far below `maxKeys`, so that sessions, sign-in
   * codes, revocations, used token ids and limit counters (kv and counters) can still be written
   * while a flood of sends fills the rest.
   */
  keptForState: number
  now: () => number
}

/** The kinds that room traffic makes (see `keptForState`); kv slots say so themselves (read markers, typing). */
const TRAFFIC: ReadonlySet<SlotKind> = new Set(['log', 'idempotency', 'presence', 'map'])
const isTraffic = (slot: Slot): boolean => TRAFFIC.has(slot.kind) || (slot.kind === 'kv' && slot.traffic)

/** A full store sweeps expired slots at most this often: a sweep is O(n), a flood of refused writes must not pay it each. */
const FULL_SWEEP_EVERY_MS = 100

/** One bounded map for every kind of state, so that `maxKeys` bounds the whole engine. */
export function createStore ({ maxKeys, maxLogs, keptForState, now }: StoreOptions): Store {
  const slots = new Map<string, Slot>()
  let logs = 0
  let traffic = 0
  let lastFullSweep = -Infinity
  const id = (kind: SlotKind, name: string): string => `${kind}\u0000${name}`
  const expired = (slot: Slot, at: number): boolean => slot.expiresAt !== null && slot.expiresAt <= at

  const remove = (key: string): boolean => {
    const slot = slots.get(key)
    if (slot === undefined) return false
    slots.delete(key)
    if (slot.kind === 'log') logs--
    if (isTraffic(slot)) traffic--
    return true
  }

  const sweep = (): void => {
    const at = now()
    for (const [key, slot] of slots) if (expired(slot, at)) remove(key)
  }

  const trafficMax = maxKeys - keptForState
  const fits = (count: number, newLogs: number, newTraffic: number): boolean =>
    slots.size + count <= maxKeys && logs + newLogs <= maxLogs && traffic + newTraffic <= trafficMax

  const refusal = (count: number, newLogs: number): string => {
    if (newLogs > 0 && logs + newLogs > maxLogs) return `the memory engine holds its most logs (${maxLogs}): no new one until the process restarts`
    if (slots.size + count <= maxKeys) return `the memory engine's room state is full (${trafficMax} keys; the rest is kept for sessions and limits): refused until some expire`
    return `the memory engine is full (${maxKeys} keys): writes of new keys are refused until some expire`
  }

  const make = (count: number, newLogs: number, newTraffic: number): void => {
    if (fits(count, newLogs, newTraffic)) return
    const at = now()
    if (at - lastFullSweep >= FULL_SWEEP_EVERY_MS) {
      lastFullSweep = at
      sweep()
    }
    if (fits(count, newLogs, newTraffic)) return
    throw new EngineUnavailableError(refusal(count, newLogs))
  }

  const reserve = (kinds: SlotKind[]): void => {
    make(kinds.length, kinds.filter((kind) => kind === 'log').length, kinds.filter((kind) => TRAFFIC.has(kind)).length)
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
        make(1, slot.kind === 'log' ? 1 : 0, isTraffic(slot) ? 1 : 0)
        if (slot.kind === 'log') logs++
      } else if (isTraffic(old)) {
        traffic--
      }
      if (isTraffic(slot)) traffic++
      slots.set(key, slot)
    },
    reserve,
    delete: (kind, name) => remove(id(kind, name)),
    sweep,
    clear: () => {
      slots.clear()
      logs = 0
      traffic = 0
    },
    get size () { return slots.size }
  }
}
