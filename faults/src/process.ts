import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface Exit { code: number | null, signal: NodeJS.Signals | null, at: number }

/** A process this harness started. Every signal goes to its own PID only. */
export interface Proc {
  readonly name: string
  readonly pid: number
  readonly exited: Promise<Exit>
  /** The exit, once it happened. */
  readonly exit: Exit | undefined
  /** Every line it wrote (stdout and stderr), oldest first; the first MAX_LINES are kept. */
  lines (): string[]
  /** Its last lines, for a failure message. */
  tail (n?: number): string
  signal (signal: NodeJS.Signals): void
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit. */
  stop (graceMs?: number): Promise<Exit>
  /** Resident set size in bytes, from /proc (Linux). */
  rss (): number
}

const MAX_LINES = 50_000

/** Children still running: should the test process die before its teardown, they do not outlive it. */
const live = new Set<ChildProcess>()
process.once('exit', () => { for (const child of live) child.kill('SIGKILL') })

/** Starts `command`; with `env` it gets exactly that environment, else this process's. */
export function spawnProc (name: string, command: string, args: string[], options: { env?: Record<string, string>, cwd?: string } = {}): Proc {
  const child: ChildProcess = spawn(command, args, { ...(options.env === undefined ? {} : { env: options.env }), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid === undefined) throw new Error(`${name}: ${command} could not be started`)
  const pid = child.pid
  const lines: string[] = []
  let partial = ''
  const keep = (chunk: Buffer): void => {
    const parts = (partial + chunk.toString('utf8')).split('\n')
    partial = parts.pop() ?? ''
    for (const line of parts) if (line !== '' && lines.length < MAX_LINES) lines.push(line)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exit: Exit | undefined
  live.add(child)
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child)
      if (partial !== '') lines.push(partial)
      exit = { code, signal, at: Date.now() }
      resolve(exit)
    })
  })
  return {
    name,
    pid,
    exited,
    get exit () { return exit },
    lines: () => lines,
    tail: (n = 40) => lines.slice(-n).join('\n'),
    signal (signal) {
      if (exit === undefined) process.kill(pid, signal)
    },
    async stop (graceMs = 10_000) {
      if (exit !== undefined) return exit
      process.kill(pid, 'SIGTERM')
      const timer = setTimeout(() => { if (exit === undefined) process.kill(pid, 'SIGKILL') }, graceMs)
      try {
        return await exited
      } finally {
        clearTimeout(timer)
      }
    },
    rss () {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8')
      const kb = /^VmRSS:\s+([0-9]+) kB/m.exec(status)?.[1]
      if (kb === undefined) throw new Error(`${name}: no VmRSS in /proc/${pid}/status`)
      return Number(kb) * 1024
    }
  }
}

/** Parsed pino lines of a process (non-JSON lines skipped). */
export function jsonLines (proc: Proc): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  for (const line of proc.lines()) {
    if (!line.startsWith('{')) continue
    try {
      out.push(JSON.parse(line) as Record<string, unknown>)
    } catch { /* a partial or foreign line */ }
  }
  return out
}
