import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'

export interface Exit { code: number | null, signal: NodeJS.Signals | null }

/** A process this test started: its output kept (the last lines), its exit awaited. */
export interface Proc {
  readonly name: string
  readonly pid: number
  readonly child: ChildProcess
  readonly exited: Promise<Exit>
  /** Whether it has exited. */
  readonly done: boolean
  output (): string
  /** Sends SIGTERM, waits up to `ms` for the exit, then SIGKILLs. Only ever this PID. */
  stop (ms?: number): Promise<Exit>
}

const KEEP_LINES = 300

/** `stdout`: a file descriptor to write standard output to instead of keeping it (nginx opens /dev/stdout, which a pipe Node makes cannot be). */
export function spawnProc (name: string, command: string, args: string[], options: { env: Record<string, string>, cwd?: string, stdout?: number }): Proc {
  const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'] })
  const lines: string[] = []
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(line)
    if (lines.length > KEEP_LINES) lines.splice(0, lines.length - KEEP_LINES)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let done = false
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => { done = true; resolve({ code, signal }) })
    child.once('error', (err) => { done = true; lines.push(`spawn error: ${err.message}`); resolve({ code: null, signal: null }) })
  })
  if (child.pid === undefined) throw new Error(`${name}: ${command} could not be started`)
  const pid = child.pid
  return {
    name,
    pid,
    child,
    exited,
    get done () { return done },
    output: () => lines.join('\n'),
    async stop (ms = 10_000) {
      if (done) return await exited
      process.kill(pid, 'SIGTERM')
      const timer = setTimeout(() => { if (!done) process.kill(pid, 'SIGKILL') }, ms)
      try {
        return await exited
      } finally {
        clearTimeout(timer)
      }
    }
  }
}

/** Polls `url` until it answers `status`; fails early when `proc` exits, or after `timeoutMs`. */
export async function waitForHttp (url: string, options: { status?: number, timeoutMs?: number, proc?: Proc } = {}): Promise<void> {
  const status = options.status ?? 200
  const deadline = Date.now() + (options.timeoutMs ?? 20_000)
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (options.proc?.done === true) throw new Error(`${options.proc.name} exited before ${url} answered:\n${options.proc.output()}`)
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
      await response.arrayBuffer()
      if (response.status === status) return
      last = `status ${response.status}`
    } catch (err) {
      last = (err as Error).message
    }
    await sleep(100)
  }
  throw new Error(`${url} did not answer ${status} within ${options.timeoutMs ?? 20_000} ms (last: ${last})`)
}
