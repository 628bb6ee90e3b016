import { Redis } from 'ioredis'
import { start, type Child } from './children.js'
import { freePort, waitForPort } from '@webchat/testkit'

export interface BenchRedis {
  url: string
  child: Child
  version: string
  /** Empties every database between runs. */
  flush (): Promise<void>
  close (): Promise<void>
}

/** A throwaway redis-server on a free loopback port: no persistence, no protected-mode surprises. */
export async function startRedis (logDir: string): Promise<BenchRedis> {
  const port = await freePort()
  const child = start('redis', 'redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--maxclients', '20000', '--tcp-backlog', '4096', '--loglevel', 'warning'
  ], { logDir })
  await waitForPort(port, 10_000, 'redis-server')
  const url = `redis://127.0.0.1:${port}`
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 })
  await admin.connect()
  const info = await admin.info('server')
  return {
    url,
    child,
    version: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    async flush () { await admin.flushall() },
    async close () {
      admin.disconnect()
      await child.stop()
    }
  }
}
