import { protocolOf } from '../config.js'
import type { ClientSpec } from '../generator/main.js'
import { cpuBetween, openAll, sampleCpu, type Context, type OpenResult } from './context.js'
import type { SetupCost } from './results.js'

/** No presence frame for this long: the join announcements have drained. */
const QUIET_MS = 500
/** The drain is bounded: a system still announcing after this is reported as it stands. */
const DRAIN_LIMIT_MS = 15_000

interface Counts { frames: number, changes: number, redundant: number, quietMs: number | null }

/**
 * The fan-out room's setup, measured: every connection opened first, then the joins, with the
 * servers' and Redis's CPU sampled from the first join until the presence announcements they cause
 * have drained (webchat: no presence frame for 500 ms at any generator; Socket.IO announces
 * nothing: 500 ms after the last join), and the setup's presence frames counted.
 */
export async function openRoom (ctx: Context, shares: ClientSpec[][]): Promise<{ setup: OpenResult, cost: SetupCost }> {
  const watchPresence = protocolOf(ctx.system) === 'webchat'
  const setup = await openAll(ctx, shares, 50, 20, { watchPresence })
  const joinsDone = performance.now()
  const poll = async (done: boolean): Promise<Counts[]> =>
    await Promise.all(ctx.generators.map(async (g) => await g.call<Counts>('presence', { done }, 10_000)))
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const waited = performance.now() - joinsDone
    const counts = await poll(false)
    const quiet = counts.every((c) => (c.quietMs ?? waited) >= QUIET_MS)
    if (quiet || waited >= DRAIN_LIMIT_MS) break
  }
  const cpu = cpuBetween(setup.joinsFrom ?? sampleCpu(ctx), sampleCpu(ctx))
  const counts = await poll(true)
  const joins = Math.max(1, setup.opened - setup.joinFailed)
  const sum = (f: (c: Counts) => number): number => counts.reduce((s, c) => s + f(c), 0)
  const cost: SetupCost = {
    joins,
    drainMs: performance.now() - joinsDone,
    serverUsPerJoin: (cpu.servers * 1e6) / joins,
    redisUsPerJoin: (cpu.redis * 1e6) / joins,
    generatorLoad: Math.max(...cpu.generators) / cpu.wallSeconds,
    presence: watchPresence ? { frames: sum((c) => c.frames), changes: sum((c) => c.changes), redundant: sum((c) => c.redundant) } : null
  }
  ctx.log(`fan-out setup ${ctx.system}: ${setup.opened} open, ${setup.failed} failed, ${setup.joinFailed} joins failed, joins took ${Math.round(setup.joinMs)} ms; ` +
    `server ${cost.serverUsPerJoin.toFixed(0)} µs/join, redis ${cost.redisUsPerJoin.toFixed(0)}, generators ${(cost.generatorLoad * 100).toFixed(0)} %` +
    (cost.presence === null ? '' : `; presence: ${cost.presence.frames} frames, ${cost.presence.changes} changes, ${cost.presence.redundant} redundant`))
  const { joinsFrom: _sample, ...opened } = setup
  return { setup: opened, cost }
}
