/**
 * The bucket (0 to `buckets` - 1) of a key, by its 32-bit FNV-1a hash: how users and sessions are
 * spread over a fixed set of channels. Every service and version must agree on it, since one side
 * publishes on the bucket the other listens to.
 */
export function hashBucket (key: string, buckets: number): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193)
  return (hash >>> 0) % buckets
}
