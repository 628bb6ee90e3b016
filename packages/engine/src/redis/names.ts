/**
 * Every Redis key and channel name the engine uses, made here and nowhere else. The logical
 * names from the services get the prefix plus a kind, so the kinds never collide.
 */
export interface RedisNames {
  /** Whether names are placed for Redis Cluster (each in its hash tag's slot). */
  cluster: boolean
  /**
   * Names with equal groups have their keys in one slot, so one script may touch them together:
   * their hash tag on a cluster, the same group for every name on a single Redis.
   */
  group: (name: string) => string
  key: (name: string) => string
  channel: (name: string) => string
  kv: (name: string) => string
  counter: (name: string) => string
  log: (name: string) => string
  logEpoch: (log: string) => string
  /** The counter numbering a log's appends (`AppendOptions.sequence`), in the log's slot. */
  logSequence: (log: string) => string
  /**
   * One string key per (log, idempotency key), as appends stored them before windows
   * (`idempotencyWindow`); still read, so that a send retried across the upgrade stays one message.
   * Never collides for two different pairs.
   */
  idempotency: (log: string, key: string) => string
  /** A log's idempotency keys, in two hashes (windows.ts) in the log's slot. */
  idempotencyWindow: (log: string, window: Window) => string
  /** A group's claims (`KeyValueStore.claim`), in two hashes (windows.ts) in the group's slot. */
  claims: (group: string, window: Window) => string
  presenceExpiry: (set: string) => string
  presenceValues: (set: string) => string
  /** A presence set's recent changes (a LIST), in the set's slot. */
  presenceLog: (set: string) => string
  map: (name: string) => string
  /** A work queue's stream (its consumer group `workers` inside) and its dead letters' stream, in one slot. */
  queue: (name: string) => string
  queueDead: (name: string) => string
}

/** The two hashes of a windowed family: the one written to, and the one before it. */
export type Window = 'current' | 'previous'

/**
 * Which slot a logical name belongs to on Redis Cluster, as a hash tag (non-empty, no braces):
 * names that one operation touches together (a room's log and its channel) must share one.
 */
export type HashTagOf = (name: string) => string

export interface NamesOptions {
  /**
   * Redis Cluster: every key and channel carries its logical name's hash tag (see `hashTag`), so
   * the keys of one operation share one slot and a room's channel lives on its log's shard.
   * Without it the names stay as they have always been, so a single Redis keeps its data.
   */
  cluster?: boolean
  /** The hash tag of a logical name. Default `ownHashTag`. */
  hashTag?: HashTagOf
}

/** The `{tag}` Redis itself would see in `name` (the first '{' to the next '}', non-empty), or null. */
export function braceTag (name: string): string | null {
  const open = name.indexOf('{')
  if (open < 0) return null
  const close = name.indexOf('}', open + 1)
  return close > open + 1 ? name.slice(open + 1, close) : null
}

/**
 * The default tag: the name's own `{tag}` when it has one (`user-rooms:{u1}` → u1), else the whole
 * name. Names hold free text (a token id, a mailbox) that may have braces, which no tag can carry:
 * they become '_' in the tag (the key keeps the name as it is).
 */
export const ownHashTag: HashTagOf = (name) => (braceTag(name) ?? name).replace(/[{}]/g, '_')

export function createNames (prefix: string, options: NamesOptions = {}): RedisNames {
  const cluster = options.cluster ?? false
  const hashTag = options.hashTag ?? ownHashTag
  // The first {…} in a key is its tag: a brace in the prefix would put every key in one slot.
  if (cluster && /[{}]/.test(prefix)) throw new TypeError(`on Redis Cluster the key prefix must contain no '{' or '}': ${JSON.stringify(prefix)}`)
  const key = (name: string): string => `${prefix}${name}`

  const tagOf = (name: string): string => {
    const tag = hashTag(name)
    // An empty tag would make Redis hash each whole key, scattering one operation's keys.
    if (tag === '' || /[{}]/.test(tag)) {
      throw new TypeError(`on Redis Cluster a name's hash tag must be non-empty and contain no '{' or '}': ${JSON.stringify(name)} → ${JSON.stringify(tag)}`)
    }
    return tag
  }
  /**
   * `name` placed in its tag's slot, with a suffix after it: as it is when its own first {…} is
   * the tag, `{name}` when the tag is the whole name, else the tag put in front. `unique` is the
   * name in a form no suffix can run into (the suffix is free text in idempotency keys).
   */
  const placed = (name: string, suffix = '', unique = name): string => {
    const tag = tagOf(name)
    if (braceTag(name) === tag) return unique + suffix
    if (tag === name) return `{${name}}${suffix}`
    return `{${tag}}${unique}${suffix}`
  }
  const inSlot = cluster ? (name: string) => placed(name) : (name: string) => name
  // Length-prefixed, so that no (log, key) pair can collide with another; `{log}` needs none, as
  // the log (its tag, which holds no brace) ends at the first '}'.
  const idempotency = cluster
    ? (log: string, idempotencyKey: string) => key(`log-idempotency:${placed(log, `:${idempotencyKey}`, `${log.length}:${log}`)}`)
    : (log: string, idempotencyKey: string) => key(`log-idempotency:${log.length}:${log}:${idempotencyKey}`)

  // The window is the last ':' segment, which holds no ':': no two (name, window) pairs collide.
  const windowed = (kind: string) => (name: string, window: Window): string => key(`${kind}:${inSlot(name)}:${window}`)

  return {
    cluster,
    group: cluster ? tagOf : () => '',
    key,
    channel: (name) => `${prefix}${inSlot(name)}`,
    kv: (name) => key(`kv:${inSlot(name)}`),
    counter: (name) => key(`counter:${inSlot(name)}`),
    log: (name) => key(`log:${inSlot(name)}`),
    logEpoch: (log) => key(`log-epoch:${inSlot(log)}`),
    logSequence: (log) => key(`log-seq:${inSlot(log)}`),
    idempotency,
    idempotencyWindow: windowed('log-idempotency-window'),
    claims: windowed('claims'),
    presenceExpiry: (set) => key(`presence-expiry:${inSlot(set)}`),
    presenceValues: (set) => key(`presence-values:${inSlot(set)}`),
    presenceLog: (set) => key(`presence-log:${inSlot(set)}`),
    map: (name) => key(`map:${inSlot(name)}`),
    queue: (name) => key(`queue:${inSlot(name)}`),
    queueDead: (name) => key(`queue-dead:${inSlot(name)}`)
  }
}
