import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { freePort, waitForPort } from './ports.js'

export const REDIS_MISSING =
  'redis-server is not installed: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL'

export interface TestRedis {
  url: string
  port: number
  /** A fresh key prefix, so tests sharing one server never see each other's keys. */
  prefix (): string
  /** Whether this harness owns the process (false when REDIS_URL pointed at an existing one). */
  readonly owned: boolean
  /** Stops the server (SIGTERM, or SIGKILL when `hard`); the port stays reserved for `start`. */
  stop (hard?: boolean): Promise<void>
  /** Starts it again on the same port. */
  start (): Promise<void>
  close (): Promise<void>
}

function assertInstalled (): void {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' })
  if (probe.error !== undefined || probe.status !== 0) throw new Error(REDIS_MISSING)
}

/**
 * A real Redis for tests: REDIS_URL when set, otherwise a throwaway `redis-server` on a free
 * loopback port with persistence off, stopped by `close()`.
 */
export async function startRedis (): Promise<TestRedis> {
  const prefix = (): string => `t${randomBytes(4).toString('hex')}:`
  const external = process.env.REDIS_URL
  if (external !== undefined && external !== '') {
    const port = Number(new URL(external).port || 6379)
    return {
      url: external, port, prefix, owned: false,
      stop: async () => { throw new Error('cannot stop an external REDIS_URL server') },
      start: async () => {},
      close: async () => {}
    }
  }
  assertInstalled()
  const port = await freePort()
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    child = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--protected-mode', 'yes', '--loglevel', 'warning'
    ], { stdio: 'ignore' })
    await waitForPort(port, 5000, 'redis-server')
  }
  const stop = async (hard = false): Promise<void> => {
    const proc = child
    child = undefined
    if (proc === undefined || proc.exitCode !== null) return
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill(hard ? 'SIGKILL' : 'SIGTERM')
    await exited
  }
  await start()
  process.once('exit', () => { child?.kill('SIGKILL') })
  return { url: `redis://127.0.0.1:${port}`, port, prefix, owned: true, stop, start, close: stop }
}
