/** Copies of a map with one entry set or removed: the room state is never changed in place. */
export function setEntry<K, V> (map: ReadonlyMap<K, V>, key: K, value: V): ReadonlyMap<K, V> {
  return new Map(map).set(key, value)
}

/** The same map when `key` is absent, so that nothing downstream sees a change. */
export function deleteEntry<K, V> (map: ReadonlyMap<K, V>, key: K): ReadonlyMap<K, V> {
  if (!map.has(key)) return map
  const next = new Map(map)
  next.delete(key)
  return next
}
