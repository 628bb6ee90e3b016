import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

let ticksPerSecond: number | undefined

/** Clock ticks a second of /proc/<pid>/stat times (usually 100). */
function clockTicks (): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      ticksPerSecond = 100
    }
  }
  return ticksPerSecond
}

/** CPU seconds in user and in kernel mode a process has used so far (NaN when it is gone). */
export function cpuTimes (pid: number): { user: number, system: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name may hold spaces and parentheses: fields count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { user: Number(fields[11]) / clockTicks(), system: Number(fields[12]) / clockTicks() }
  } catch {
    return { user: NaN, system: NaN }
  }
}

/** CPU seconds (user + system) a process has used so far, or NaN when it is gone. */
export function cpuSeconds (pid: number): number {
  const { user, system } = cpuTimes(pid)
  return user + system
}

/** Resident set size in bytes (VmRSS), or NaN when the process is gone. */
export function rssBytes (pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match === null ? NaN : Number(match[1]) * 1024
  } catch {
    return NaN
  }
}

/** CPU seconds of several processes at once. */
export const cpuOf = (pids: number[]): number[] => pids.map(cpuSeconds)

export interface Machine {
  cpu: string
  cores: number
  memoryGiB: number
  kernel: string
  node: string
  load: string
}

export function machine (): Machine {
  const read = (path: string): string => { try { return readFileSync(path, 'utf8').trim() } catch { return '' } }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: read('/proc/sys/kernel/osrelease'),
    node: process.version,
    load: read('/proc/loadavg').split(' ').slice(0, 3).join(' ')
  }
}

/** The 1-minute load average. */
export const load1 = (): number => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0])
