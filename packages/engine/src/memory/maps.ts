import { mapChange } from '../arguments.js'
import type { Maps } from '../types.js'
import type { Store } from './store.js'

export function createMemoryMaps (store: Store): Maps {
  const fieldsOf = (map: string): Map<string, string> | undefined => store.get('map', map)?.fields

  return {
    async get (map, field) {
      return fieldsOf(map)?.get(field) ?? null
    },
    async getMany (map, fields) {
      const found = fieldsOf(map)
      return fields.map((field) => found?.get(field) ?? null)
    },
    async all (map) {
      return Object.fromEntries(fieldsOf(map) ?? [])
    },
    async count (map) {
      return fieldsOf(map)?.size ?? 0
    },
    async write (map, input) {
      const change = mapChange(input)
      const existing = fieldsOf(map)
      for (const [field, value] of Object.entries(change.expect)) {
        if ((existing?.get(field) ?? null) !== value) return 'conflict'
      }
      // Counted before it is applied, in place: a roster of thousands is not copied per change.
      const has = (field: string): boolean => existing?.has(field) === true
      const set = { ...change.set }
      const { count } = change
      if (count !== undefined) {
        const next = Number(existing?.get(count.field) ?? 0) + count.by
        if ((count.max !== undefined && next > count.max) || next < 0) return 'full'
        set[count.field] = String(next)
      }
      const size = (existing?.size ?? 0) +
        Object.keys(set).filter((field) => !has(field)).length - change.delete.filter(has).length
      if (change.maxFields !== undefined && size > change.maxFields) return 'full'
      if (size === 0) {
        store.delete('map', map)
        return 'ok'
      }
      const fields = existing ?? new Map<string, string>()
      // A new map takes a slot (and may be refused) before anything is set.
      if (existing === undefined) store.put(map, { kind: 'map', fields, expiresAt: null })
      for (const field of change.delete) fields.delete(field)
      for (const [field, value] of Object.entries(set)) fields.set(field, value)
      return 'ok'
    },
    async drop (map) {
      return store.delete('map', map)
    }
  }
}
