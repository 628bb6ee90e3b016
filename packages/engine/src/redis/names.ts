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
  /** Never collides for two different (log, key) pairs. */
  idempotency: (log: string, key: string) => string
  presenceExpiry: (set: string) => string
  presenceValues: (set: string) => string
  map: (name: string) => string
}

export interface NamesOptions {
  /**
   * Redis Cluster: a log's keys (stream, epoch, idempotency keys) carry the log name as their hash
   * tag, so the append script's keys share one slot. Without it the names stay as they have always
   * been, so a single Redis keeps its data.
   */
  cluster?: boolean
}

/** The log name as a hash tag; a name with a brace (or none) would not be its own tag. */
function logTag (log: string): string {
  if (log === '' || /[{}]/.test(log)) {
    throw new TypeError(`on Redis Cluster a log name must be non-empty and contain no '{' or '}': ${JSON.stringify(log)}`)
  }
  return `{${log}}`
}

export function createNames (prefix: string, options: NamesOptions = {}): RedisNames {
  const cluster = options.cluster ?? false
  // The first {…} in a key is its tag: a brace in the prefix would put every key in one slot.
  if (cluster && /[{}]/.test(prefix)) throw new TypeError(`on Redis Cluster the key prefix must contain no '{' or '}': ${JSON.stringify(prefix)}`)
  const key = (name: string): string => `${prefix}${name}`
  const logs: Pick<RedisNames, 'log' | 'logEpoch' | 'idempotency'> = cluster
    ? {
        log: (name) => key(`log:${logTag(name)}`),
        logEpoch: (log) => key(`log-epoch:${logTag(log)}`),
        // The tag ends at the first '}', which the log name cannot contain: no length prefix needed.
        idempotency: (log, idempotencyKey) => key(`log-idempotency:${logTag(log)}:${idempotencyKey}`)
      }
    : {
        log: (name) => key(`log:${name}`),
        logEpoch: (log) => key(`log-epoch:${log}`),
        // Length-prefixed, so that no (log, key) pair can collide with another.
        idempotency: (log, idempotencyKey) => key(`log-idempotency:${log.length}:${log}:${idempotencyKey}`)
      }
  return {
    key,
    channel: (name) => `${prefix}${name}`,
    kv: (name) => key(`kv:${name}`),
    counter: (name) => key(`counter:${name}`),
    ...logs,
    presenceExpiry: (set) => key(`presence-expiry:${set}`),
    presenceValues: (set) => key(`presence-values:${set}`),
    map: (name) => key(`map:${name}`)
  }
}
