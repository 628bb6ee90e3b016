import { ttlMs } from '../arguments.js'
import type { PresenceEntry, PresenceSets } from '../types.js'
import type { PresenceSlot, Store } from './store.js'

/**
 * Presence sets. Entries past their expiry stay stored (hidden from `members`) until `expire`
 * or `remove` takes them, so that every `add` returning true is matched by exactly one removal.
 */
export function createMemoryPresence (store: Store, now: () => number): PresenceSets {
  const entriesOf = (set: string): Map<string, PresenceSlot> | undefined => store.get('presence', set)?.entries

  const dropIfEmpty = (set: string, entries: Map<string, PresenceSlot>): void => {
    if (entries.size === 0) store.delete('presence', set)
  }

  const presence: PresenceSets = {
    async add (set, member, value, ttl) {
      const expiresAt = now() + ttlMs(ttl)
      const entries = entriesOf(set) ?? new Map<string, PresenceSlot>()
      const added = !entries.has(member)
      entries.set(member, { value, expiresAt })
      store.put(set, { kind: 'presence', entries, expiresAt: null })
      return added
    },
    async remove (set, member) {
      const entries = entriesOf(set)
      if (entries === undefined || !entries.delete(member)) return false
      dropIfEmpty(set, entries)
      return true
    },
    async members (set) {
      const at = now()
      const live: PresenceEntry[] = []
      for (const [member, { value, expiresAt }] of entriesOf(set) ?? []) {
        if (expiresAt > at) live.push({ member, value })
      }
      return live
    },
    async expire (set) {
      const entries = entriesOf(set)
      if (entries === undefined) return []
      const at = now()
      const gone: PresenceEntry[] = []
      for (const [member, { value, expiresAt }] of entries) {
        if (expiresAt > at) continue
        entries.delete(member)
        gone.push({ member, value })
      }
      dropIfEmpty(set, entries)
      return gone
    },
    async addMany (items) {
      for (const item of items) ttlMs(item.ttlMs)
      return await Promise.all(items.map(async ({ set, member, value, ttlMs: ttl }) => await presence.add(set, member, value, ttl)))
    },
    async expireMany (sets) {
      return await Promise.all(sets.map(async (set) => await presence.expire(set)))
    }
  }
  return presence
}
