import type { Timers } from '../../src/timers.js'

interface Pending { at: number, fn: () => void, id: number }

/** A manual clock: timers fire only when the test advances time. */
export function createFakeTimers (start = 1_700_000_000_000): Timers & {
  advance (ms: number): Promise<void>
  pending (): number[]
  /** Lets promises and microtasks settle. */
  flush (): Promise<void>
} {
  let now = start
  let nextId = 1
  const timers = new Map<number, Pending>()
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return {
    setTimeout (fn, ms) {
      const id = nextId++
      timers.set(id, { at: now + Math.max(0, ms), fn, id })
      return id
    },
    clearTimeout (handle) { timers.delete(handle as number) },
    now: () => now,
    pending: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
    flush,
    async advance (ms) {
      const until = now + ms
      for (;;) {
        const due = [...timers.values()].filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0]
        if (due === undefined) break
        timers.delete(due.id)
        now = due.at
        due.fn()
        await flush()
      }
      now = until
      await flush()
    }
  }
}
