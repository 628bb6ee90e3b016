import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'
import type { Engine } from '../../src/index.js'

export { sleep }

export interface EngineOptions {
  onError?: (err: unknown) => void
}

/** Makes a fresh engine with its own namespace (a new prefix on Redis). */
export type MakeEngine = (options?: EngineOptions) => Promise<Engine>

/** A fresh engine for one test, closed when the test ends. */
export type Setup = (t: Test, options?: EngineOptions) => Promise<Engine>

export function setupWith (makeEngine: MakeEngine): Setup {
  return async (t, options) => {
    const engine = await makeEngine(options)
    t.teardown(async () => await engine.close())
    return engine
  }
}

/** Waits until `condition` holds, polling, and fails after `timeoutMs`. */
export async function until (condition: () => boolean | Promise<boolean>, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`)
    await sleep(10)
  }
}

/** Collects what a channel receives. */
export function collector (): { messages: string[], handler: (message: string) => void } {
  const messages: string[] = []
  return { messages, handler: (message) => { messages.push(message) } }
}

/** Compares `<ms>-<seq>` ids numerically. */
export function idOrder (a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number)
  const [bm = 0, bs = 0] = b.split('-').map(Number)
  return am === bm ? as - bs : am - bm
}
