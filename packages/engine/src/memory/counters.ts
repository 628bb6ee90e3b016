import { integer, ttlMs } from '../arguments.js'
import type { Counters } from '../types.js'
import type { Store } from './store.js'

export function createMemoryCounters (store: Store, now: () => number): Counters {
  return {
    async increment (key, windowMs, by = 1, options) {
      const window = ttlMs(windowMs, 'windowMs')
      integer(by, 'by')
      const at = now()
      const slot = store.get('counter', key)
      const count = (slot?.count ?? 0) + by
      const expiresAt = slot?.expiresAt ?? at + window
      store.put(key, { kind: 'counter', count, expiresAt, share: options?.share ?? slot?.share ?? 'state' })
      return { count, resetMs: expiresAt - at }
    },
    async get (key) {
      return store.get('counter', key)?.count ?? 0
    },
    async reset (key) {
      store.delete('counter', key)
    }
  }
}
