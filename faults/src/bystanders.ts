import { type Member, openCrowd } from './crowd.js'
import type { Stack } from './stack.js'
import { latencyOf, startTraffic, type Traffic } from './traffic.js'

interface Teardown { teardown (fn: () => unknown): void }

/** Clients chatting in one room while an attack runs, with the latency of every message they were shown. */
export interface Bystanders {
  clients: Member[]
  traffic: Traffic
  /** Each message shown: when (ms since the epoch) and how long it took (ms). */
  samples: ReadonlyArray<{ at: number, ms: number }>
  /** Latencies (ms) of the messages shown from `from` to `to` (ms since the epoch, both included). */
  latenciesBetween (from: number, to: number): number[]
}

/**
 * Opens `size` clients in `room` sending 5 messages a second among them, and records how long each
 * message took to be shown: what a hostile test measures its attack against. Stopped in teardown.
 */
export async function openBystanders (t: Teardown, stack: Stack, options: { size: number, room: string, label: string }): Promise<Bystanders> {
  const latencies: Array<{ at: number, ms: number }> = []
  const clients = await openCrowd(t, stack, {
    size: options.size,
    rooms: [options.room],
    label: options.label,
    onShown: (s) => { const ms = latencyOf(s); if (ms !== undefined) latencies.push({ at: s.at, ms }) }
  })
  const traffic = startTraffic({ clients, room: options.room, rate: 5 })
  t.teardown(() => { traffic.stop() })
  return {
    clients,
    traffic,
    samples: latencies,
    latenciesBetween: (from, to) => latencies.filter((l) => l.at >= from && l.at <= to).map((l) => l.ms)
  }
}
