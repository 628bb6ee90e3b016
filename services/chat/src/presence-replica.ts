import type { PresenceEntered, PresenceEntry } from '@webchat/engine'
import { parseRecord, type Member } from '@webchat/shared'

/** A presence entry's value: the user, and when their entry was made (the earliest announces). */
export interface EntryValue { id: string, name: string, at: number }

export const parseEntry = (value: string): EntryValue | null => parseRecord<EntryValue>(value, { id: 'string', name: 'string', at: 'number' })

/** The members (a user once however many entries) and each user's earliest entry. */
export interface EntryList { members: Member[], earliest: Map<string, { member: string, at: number }> }

export function listEntries (entries: Iterable<[string, EntryValue | null]>): EntryList {
  const byId = new Map<string, Member>()
  const earliest = new Map<string, { member: string, at: number }>()
  for (const [member, value] of entries) {
    if (value === null) continue
    if (!byId.has(value.id)) byId.set(value.id, { id: value.id, name: value.name })
    const first = earliest.get(value.id)
    if (first === undefined || value.at < first.at || (value.at === first.at && member < first.member)) earliest.set(value.id, { member, at: value.at })
  }
  return { members: [...byId.values()], earliest }
}

export const parsedEntries = (entries: PresenceEntry[]): Array<[string, EntryValue | null]> =>
  entries.map(({ member, value }) => [member, parseEntry(value)])

/**
 * The presence sets of the rooms this instance holds entries in, as last read, kept current from
 * the changes each later read brings (engine `enter` with the version known): a join reads what
 * changed since the instance's previous one, not the whole room. Reads answer in the order Redis
 * ran them; one older than the replica changes nothing it holds already.
 */
export interface Replicas {
  /** The version held for `room` (0: none). */
  known (room: string): number
  /**
   * Brings `room` up to `result` and lists it, with the version the list is of; null for changes
   * that came after the replica went (the room's last local entry left meanwhile).
   */
  apply (room: string, result: PresenceEntered): (EntryList & { version: number }) | null
  /** One more (or, with -1, one less) local entry in `room`; the replica goes with the last one. */
  hold (room: string, delta: 1 | -1): void
}

interface Replica { version: number, entries: Map<string, EntryValue | null> }

export function createReplicas (): Replicas {
  const replicas = new Map<string, Replica>()
  const holders = new Map<string, number>()
  return {
    known: (room) => replicas.get(room)?.version ?? 0,
    apply (room, result) {
      let replica = replicas.get(room)
      if (result.entries !== undefined) {
        if (replica === undefined || result.version >= replica.version) {
          replica = { version: result.version, entries: new Map(parsedEntries(result.entries)) }
          if (holders.has(room)) replicas.set(room, replica)
        }
      } else if (replica !== undefined) {
        for (const change of result.changes) {
          if (change.version <= replica.version) continue
          if (change.value === null) replica.entries.delete(change.member)
          else replica.entries.set(change.member, parseEntry(change.value))
        }
        replica.version = Math.max(replica.version, result.version)
      } else {
        return null
      }
      return { ...listEntries(replica.entries), version: replica.version }
    },
    hold (room, delta) {
      const count = (holders.get(room) ?? 0) + delta
      if (count > 0) {
        holders.set(room, count)
      } else {
        holders.delete(room)
        replicas.delete(room)
      }
    }
  }
}
