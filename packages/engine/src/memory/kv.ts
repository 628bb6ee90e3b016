import { claimMember, ttlMs } from '../arguments.js'
import type { KeyValueStore } from '../types.js'
import type { Store } from './store.js'

/** Unambiguous for any group and member. */
const claimName = (group: string, member: string): string => `${group.length}:${group}:${member}`

export function createMemoryKv (store: Store, now: () => number): KeyValueStore {
  const expiry = (ttl?: number): number | null => ttl === undefined ? null : now() + ttlMs(ttl)

  return {
    async get (key) {
      return store.get('kv', key)?.value ?? null
    },
    async set (key, value, ttl, options) {
      store.put(key, { kind: 'kv', value, expiresAt: expiry(ttl), share: options?.share ?? 'state' })
    },
    async setIfAbsent (key, value, ttl, options) {
      const expiresAt = expiry(ttl)
      if (store.get('kv', key) !== undefined) return false
      store.put(key, { kind: 'kv', value, expiresAt, share: options?.share ?? 'state' })
      return true
    },
    async claim (group, member, ttl) {
      const name = claimName(group, claimMember(member))
      const expiresAt = now() + ttlMs(ttl)
      if (store.get('claim', name) !== undefined) return false
      store.put(name, { kind: 'claim', expiresAt })
      return true
    },
    async consume (key) {
      const slot = store.get('kv', key)
      if (slot === undefined) return null
      store.delete('kv', key)
      return slot.value
    },
    async delete (key) {
      return store.get('kv', key) !== undefined && store.delete('kv', key)
    },
    async ttl (key) {
      const expiresAt = store.get('kv', key)?.expiresAt ?? null
      return expiresAt === null ? null : expiresAt - now()
    },
    async touch (key, ttl) {
      const expiresAt = expiry(ttl)
      const slot = store.get('kv', key)
      if (slot === undefined) return false
      store.put(key, { ...slot, expiresAt })
      return true
    }
  }
}
