import type { SystemName } from '../config.js'

/** Two running instances of a system under test. */
export interface Servers {
  system: SystemName
  /** WebSocket URL of each instance. */
  urls: string[]
  /** Process ids of the instances, for /proc. */
  pids: number[]
  /** Runs a full GC in every instance (SIGWINCH handled by preload-gc) and waits for it. */
  collectGarbage (): Promise<void>
  stop (): Promise<void>
}

export interface ServerOptions {
  /** One Redis; or, for webchat only, `clusterNodes`: the seed nodes of a Redis Cluster. */
  redisUrl?: string
  clusterNodes?: string[]
  jwksUrl: string
  logDir: string
  /** When set, every instance writes a V8 CPU profile here on exit. */
  profileDir?: string
  /** Extra environment for webchat instances (bench settings, stated in the report). */
  env?: Record<string, string>
  /** Snapshot root for `webchat-base`. */
  baseDir?: string
}
