import { Redis } from 'ioredis'

/** One redis-server the bench watches: a cluster primary, or the single Redis. */
export interface ShardNode { port: number, pid: number }

/** What one INFO call says of a node at one moment. */
export interface ShardSample {
  /** used_cpu_user + used_cpu_sys (getrusage, µs precision: finer than /proc's 10 ms ticks). */
  cpuSeconds: number
  usedMemory: number
  /**
   * used_memory less what is buffers rather than state: the replication backlog and replica
   * buffers (a primary's backlog fills to its 1 MB over the first seconds), client and cluster-link buffers.
   */
  stateMemory: number
  /** Calls of each command so far (INFO commandstats), e.g. evalsha, spublish, xadd. */
  calls: Record<string, number>
  at: number
}

/** The same node over a measured window. */
export interface ShardUse {
  port: number
  cpuSeconds: number
  /** used_memory growth in bytes, and the growth of its state part (see ShardSample.stateMemory). */
  memoryGrowth: number
  stateGrowth: number
  usedMemory: number
  /** Calls made over the window, all commands (those run inside scripts included, as Redis counts them). */
  calls: number
  evalsha: number
  spublish: number
  publish: number
}

function parseInfo (text: string): ShardSample {
  const fields = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':')
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim())
  }
  const calls: Record<string, number> = {}
  for (const [name, value] of fields) {
    // cmdstat_evalsha:calls=12,usec=345,…
    if (name.startsWith('cmdstat_')) calls[name.slice('cmdstat_'.length)] = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0)
  }
  const field = (name: string): number => Number(fields.get(name) ?? 0)
  const buffers = field('mem_total_replication_buffers') + field('mem_clients_slaves') + field('mem_clients_normal') + field('mem_cluster_links') + field('mem_aof_buffer')
  return {
    cpuSeconds: Number(fields.get('used_cpu_user') ?? NaN) + Number(fields.get('used_cpu_sys') ?? NaN),
    usedMemory: Number(fields.get('used_memory') ?? NaN),
    stateMemory: Number(fields.get('used_memory') ?? NaN) - buffers,
    calls,
    at: performance.now()
  }
}

export interface ShardWatch {
  nodes: ShardNode[]
  sample (): Promise<ShardSample[]>
  /** Counts keys on each node by kind (the name between the prefix and the next ':'), and the bytes of a sample of each kind. */
  keyKinds (prefix: string, samplePerKind?: number): Promise<KeyKinds[]>
  /**
   * Bytes per entry of a full room log: a copy of one of the run's logs on the first node, filled
   * to `entries` with its newest entry's body (padded by `padBytes`), measured with MEMORY USAGE
   * and deleted. The run's own logs are too short to show the steady state.
   */
  fullLogBytesPerEntry (prefix: string, entries: number, padBytes: number): Promise<{ bodyBytes: number, bytesPerEntry: number }>
  close (): void
}

export interface KeyKinds {
  port: number
  /** kind → keys of that kind on this node. */
  keys: Record<string, number>
  /** kind → mean MEMORY USAGE of up to `samplePerKind` of its keys, in bytes. */
  meanBytes: Record<string, number>
  /** Entries in the streams (room logs) on this node. */
  logEntries: number
}

/** One admin connection to each node, for INFO and the key census after a run (never on a request path). */
export function watchShards (nodes: ShardNode[]): ShardWatch {
  const admins = nodes.map((node) => new Redis({ host: '127.0.0.1', port: node.port, maxRetriesPerRequest: 1 }))
  return {
    nodes,
    async sample () {
      return await Promise.all(admins.map(async (admin) => parseInfo(String(await admin.call('INFO', 'cpu', 'memory', 'commandstats')))))
    },
    async keyKinds (prefix, samplePerKind = 30) {
      return await Promise.all(admins.map(async (admin, i): Promise<KeyKinds> => {
        const keys: Record<string, number> = {}
        const sampled: Record<string, string[]> = {}
        let cursor = '0'
        do {
          const [next, batch] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
          cursor = next
          for (const key of batch) {
            const rest = key.slice(prefix.length)
            const kind = rest.slice(0, Math.max(0, rest.indexOf(':'))) || rest
            keys[kind] = (keys[kind] ?? 0) + 1
            const list = sampled[kind] ??= []
            if (list.length < samplePerKind) list.push(key)
          }
        } while (cursor !== '0')
        const meanBytes: Record<string, number> = {}
        for (const [kind, list] of Object.entries(sampled)) {
          const sizes = await Promise.all(list.map(async (key) => Number(await admin.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'))))
          meanBytes[kind] = sizes.reduce((s, x) => s + x, 0) / Math.max(1, sizes.length)
        }
        let logEntries = 0
        cursor = '0'
        do {
          const [next, batch] = await admin.scan(cursor, 'MATCH', `${prefix}log:*`, 'COUNT', 1000, 'TYPE', 'stream')
          cursor = next
          const lengths = await Promise.all(batch.map(async (key) => await admin.xlen(key)))
          logEntries += lengths.reduce((s, x) => s + x, 0)
        } while (cursor !== '0')
        return { port: nodes[i]!.port, keys, meanBytes, logEntries }
      }))
    },
    async fullLogBytesPerEntry (prefix, entries, padBytes) {
      const admin = admins[0]!
      const [, logs] = await admin.scan('0', 'MATCH', `${prefix}log:*`, 'COUNT', 1000, 'TYPE', 'stream')
      const log = logs[0]
      if (log === undefined) return { bodyBytes: NaN, bytesPerEntry: NaN }
      const [newest] = await admin.xrevrange(log, '+', '-', 'COUNT', 1)
      const body = (newest?.[1][1] ?? '') + ' '.repeat(padBytes)
      // After the log's own name, so that on a cluster it keeps the log's hash tag and node.
      const copy = `${log}:bench-full-copy`
      await admin.del(copy)
      for (let i = 0; i < entries; i += 500) {
        const batch = admin.pipeline()
        for (let j = i; j < Math.min(entries, i + 500); j++) batch.xadd(copy, '*', 'd', body)
        await batch.exec()
      }
      const bytes = Number(await admin.call('MEMORY', 'USAGE', copy, 'SAMPLES', '0'))
      await admin.del(copy)
      return { bodyBytes: Buffer.byteLength(body), bytesPerEntry: bytes / entries }
    },
    close () { for (const admin of admins) admin.disconnect() }
  }
}

/** Each node's use between two samples. */
export function shardUse (nodes: ShardNode[], before: ShardSample[], after: ShardSample[]): ShardUse[] {
  return nodes.map((node, i) => {
    const a = before[i]!
    const b = after[i]!
    const delta = (command: string): number => (b.calls[command] ?? 0) - (a.calls[command] ?? 0)
    const total = (s: ShardSample): number => Object.values(s.calls).reduce((sum, n) => sum + n, 0)
    return {
      port: node.port,
      cpuSeconds: b.cpuSeconds - a.cpuSeconds,
      memoryGrowth: b.usedMemory - a.usedMemory,
      stateGrowth: b.stateMemory - a.stateMemory,
      usedMemory: b.usedMemory,
      calls: total(b) - total(a),
      evalsha: delta('evalsha'),
      spublish: delta('spublish'),
      publish: delta('publish')
    }
  })
}
