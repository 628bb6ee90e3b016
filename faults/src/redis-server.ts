import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from '@webchat/testkit'
import { spawnProc, type Exit, type Proc } from './process.js'

export interface RedisOptions {
  /**
   * `aof`: `--appendonly yes --appendfsync everysec` in a data directory of its own, as the
   * compose file runs it; `none`: no persistence at all (a restart loses everything).
   */
  persistence: 'aof' | 'none'
}

/** A redis-server this harness owns (never REDIS_URL): stopped, killed and restarted at will. */
export interface RedisServer {
  readonly url: string
  readonly port: number
  readonly persistence: 'aof' | 'none'
  readonly running: boolean
  /** Starts it (again) on the same port and data directory; resolves once it accepts connections. */
  start (): Promise<void>
  /** SIGTERM (Redis writes its AOF and exits) or SIGKILL. */
  stop (signal?: 'SIGTERM' | 'SIGKILL'): Promise<Exit | undefined>
  close (): Promise<void>
}

async function accepts (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

export async function createRedisServer (options: RedisOptions): Promise<RedisServer> {
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'webchat-faults-redis-'))
  let proc: Proc | undefined
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--loglevel', 'warning',
    '--dir', dir, '--save', '',
    ...(options.persistence === 'aof' ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'])
  ]
  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    persistence: options.persistence,
    get running () { return proc !== undefined && proc.exit === undefined },
    async start () {
      if (server.running) return
      proc = spawnProc('redis', 'redis-server', args)
      const deadline = Date.now() + 10_000
      while (Date.now() < deadline) {
        if (proc.exit !== undefined) throw new Error(`redis-server exited at start:\n${proc.tail()}`)
        if (await accepts(port)) return
        await sleep(20)
      }
      throw new Error(`redis-server did not accept connections on ${port} within 10 s`)
    },
    async stop (signal = 'SIGTERM') {
      const running = proc
      proc = undefined
      if (running === undefined || running.exit !== undefined) return running?.exit
      running.signal(signal)
      return await running.exited
    },
    async close () {
      await server.stop('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return server
}
