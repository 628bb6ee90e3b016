import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'

/** Open files each child may hold: 10,000 sockets in one process plus room to spare. */
export const FILE_LIMIT = 20_000

export interface Child {
  name: string
  pid: number
  process: ChildProcess
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string>
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop (graceMs?: number): Promise<void>
}

const running = new Set<Child>()

export interface SpawnOptions {
  env?: NodeJS.ProcessEnv
  /** Where stdout and stderr go (appended); default: discarded. */
  logDir?: string
  ipc?: boolean
  cwd?: string
  /** Niceness to run it with (0: as the launcher). */
  nice?: number
}

/**
 * Starts `command args` through bash with the open-file limit raised (children inherit it), so
 * the process id is the program's own after `exec`. Every child is tracked and killed by
 * `stopAll`, by its own pid only.
 */
export function start (name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
  const nice = options.nice !== undefined && options.nice !== 0 ? `nice -n ${options.nice} ` : ''
  const script = `ulimit -n ${FILE_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${nice}${quoted}`
  const stdio: StdioOptions = options.ipc === true ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe']
  const child = spawn('bash', ['-c', script], { env: options.env ?? process.env, stdio, cwd: options.cwd })
  if (child.pid === undefined) throw new Error(`cannot start ${name}`)
  if (options.logDir !== undefined) {
    mkdirSync(options.logDir, { recursive: true })
    const log = createWriteStream(join(options.logDir, `${name}.log`), { flags: 'a' })
    child.stdout?.pipe(log)
    child.stderr?.pipe(log)
  } else {
    child.stdout?.resume()
    child.stderr?.resume()
  }
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(entry)
      resolve(code ?? signal ?? 'unknown')
    })
  })
  const entry: Child = {
    name,
    pid: child.pid,
    process: child,
    exited,
    async stop (graceMs = 3000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
      await exited
      clearTimeout(timer)
    }
  }
  running.add(entry)
  return entry
}

/** Stops every child still running (each by its own pid). */
export async function stopAll (graceMs = 2000): Promise<void> {
  await Promise.all([...running].map(async (child) => await child.stop(graceMs)))
}

/** Kills every child at once, synchronously (for process exit). */
export function killAll (): void {
  for (const child of running) {
    try { child.process.kill('SIGKILL') } catch { /* gone */ }
  }
}

/**
 * The environment of a webchat service process on 127.0.0.1:`port` over Redis: the launcher's,
 * without its Redis location (each service is given exactly one), quiet logs.
 */
export function serviceEnv (port: number): NodeJS.ProcessEnv {
  const { REDIS_URL: _url, REDIS_CLUSTER_NODES: _nodes, ...inherited } = process.env
  return { ...inherited, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ENGINE: 'redis' }
}
