/**
 * Every Redis key and channel name the engine uses, made here and nowhere else. The logical
 * names from the services get the prefix plus a kind, so the kinds never collide.
 */
export interface RedisNames {
  key: (name: string) => string
  channel: (name: string) => string
  kv: (name: string) => string
  counter: (name: string) => string
  log: (name: string) => string
  logEpoch: (log: string) => string
  /** Length-prefixed, so that no (log, key) pair can collide with another. */
  idempotency: (log: string, key: string) => string
  presenceExpiry: (set: string) => string
  presenceValues: (set: string) => string
  map: (name: string) => string
}

export function createNames (prefix: string): RedisNames {
  const key = (name: string): string => `${prefix}${name}`
  return {
    key,
    channel: (name) => `${prefix}${name}`,
    kv: (name) => key(`kv:${name}`),
    counter: (name) => key(`counter:${name}`),
    log: (name) => key(`log:${name}`),
    logEpoch: (log) => key(`log-epoch:${log}`),
    idempotency: (log, idempotencyKey) => key(`log-idempotency:${log.length}:${log}:${idempotencyKey}`),
    presenceExpiry: (set) => key(`presence-expiry:${set}`),
    presenceValues: (set) => key(`presence-values:${set}`),
    map: (name) => key(`map:${name}`)
  }
}
