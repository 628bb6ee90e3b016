import { ttlMs } from '../arguments.js'
import type { PresenceAdded, PresenceEntry, PresenceSets } from '../types.js'
import type { PresenceSlot, Store } from './store.js'

/**
 * Presence sets. Entries past their expiry stay stored (hidden from `members`) until `expire`
 * or `remove` takes them, so that every `add` returning true is matched by exactly one removal.
 * One version counter serves every set: it only grows, and a set's view may carry the counter as
 * it is (no change of that set can come between).
 */
export function createMemoryPresence (store: Store, now: () => number): PresenceSets {
  let version = 0
  const entriesOf = (set: string): Map<string, PresenceSlot> | undefined => store.get('presence', set)?.entries

  const dropIfEmpty = (set: string, entries: Map<string, PresenceSlot>): void => {
    if (entries.size === 0) store.delete('presence', set)
  }

  /** Adds or refreshes; a refresh that brings back an expired entry or changes its value is a change too (PresenceSets.add). */
  const put = (set: string, member: string, value: string, ttl: number): PresenceAdded => {
    const at = now()
    const expiresAt = at + ttlMs(ttl)
    const entries = entriesOf(set) ?? new Map<string, PresenceSlot>()
    const was = entries.get(member)
    entries.set(member, { value, expiresAt })
    store.put(set, { kind: 'presence', entries, expiresAt: null })
    const revived = was !== undefined && was.expiresAt <= at
    if (was === undefined || revived || was.value !== value) version++
    return { added: was === undefined, revived }
  }

  const take = (set: string, member: string): boolean => {
    const entries = entriesOf(set)
    if (entries === undefined || !entries.delete(member)) return false
    dropIfEmpty(set, entries)
    version++
    return true
  }

  const live = (set: string): PresenceEntry[] => {
    const at = now()
    const entries: PresenceEntry[] = []
    for (const [member, { value, expiresAt }] of entriesOf(set) ?? []) {
      if (expiresAt > at) entries.push({ member, value })
    }
    return entries
  }

  // A view and its version are taken together, in one synchronous step (as a Redis script does).
  const presence: PresenceSets = {
    add: async (set, member, value, ttl) => put(set, member, value, ttl).added,
    remove: async (set, member) => take(set, member),
    async members (set) {
      return live(set)
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
      if (gone.length > 0) version++
      return gone
    },
    async addMany (items) {
      for (const item of items) ttlMs(item.ttlMs)
      return await Promise.all(items.map(async ({ set, member, value, ttlMs: ttl }) => put(set, member, value, ttl)))
    },
    async expireMany (sets) {
      return await Promise.all(sets.map(async (set) => await presence.expire(set)))
    },
    async view (set) {
      return { entries: live(set), version }
    },
    async enter (set, member, value, ttl) {
      const { added } = put(set, member, value, ttl)
      return { added, entries: live(set), version }
    },
    async exit (set, member, prefix) {
      const removed = take(set, member)
      return { removed, others: live(set).some((entry) => entry.member.startsWith(prefix)), version }
    }
  }
  return presence
}
