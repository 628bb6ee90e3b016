// The slot hash ioredis itself uses (a dependency of ioredis, without types of its own).
declare module 'cluster-key-slot' {
  /** The Redis Cluster slot (0..16383) of a key or shard channel, by its hash tag. */
  export default function calculateSlot (key: string): number
}
