import { authenticates } from '../config.js'
import type { ClientSpec } from '../generator/main.js'
import { cpuBetween, deal, profileWindow, sampleCpu, type Context } from './context.js'
import type { StormResult } from './results.js'

/**
 * Connect storm: `connections` clients connect as fast as they are accepted (each generator keeps
 * `inFlight` handshakes under way). Tokens are minted first (timed apart); webchat verifies each
 * (signature, claims, revocation, single use) on upgrade, socketio-auth in its middleware
 * (signature, claims, single use) from the CONNECT packet; the other Socket.IO peers connect without auth.
 * Accepted a second = connections ready / time from the first connect to the last ready.
 */
export async function storm (ctx: Context): Promise<StormResult> {
  const { connections, inFlight } = ctx.config.storm
  const specs: ClientSpec[] = Array.from({ length: connections }, (_, i) => ({
    url: ctx.servers.urls[i % 2]!, user: `u${i}`, sid: `sid-u${i}`, room: null, sender: false
  }))
  const shares = deal(ctx, specs, (i) => Math.floor(i / 2))
  const prepared = await Promise.all(ctx.generators.map(async (g, i) =>
    await g.call<{ minted: number, mintMs: number }>('prepare', { specs: shares[i] }, 300_000)))
  const before = sampleCpu(ctx)
  const opened = await Promise.all(ctx.generators.map(async (g) =>
    await g.call<{ opened: number, failed: number, firstUs: number, lastUs: number, errors: Record<string, number> }>(
      'open', { inFlight, joinInFlight: 1, timeoutMs: 30_000 }, 600_000)))
  const after = sampleCpu(ctx)
  if (ctx.config.profile) ctx.log(`profile window of the storm: ${profileWindow(before, after)}`)
  const cpu = cpuBetween(before, after)
  const windowMs = (Math.max(...opened.map((o) => o.lastUs)) - Math.min(...opened.map((o) => o.firstUs))) / 1000
  const total = opened.reduce((s, o) => s + o.opened, 0)
  const errors: Record<string, number> = {}
  for (const o of opened) for (const [code, n] of Object.entries(o.errors)) errors[code] = (errors[code] ?? 0) + n
  const minted = prepared.reduce((s, p) => s + p.minted, 0)
  const result: StormResult = {
    kind: 'storm',
    connections,
    opened: total,
    failed: opened.reduce((s, o) => s + o.failed, 0),
    authenticated: authenticates(ctx.system),
    mintPerSecond: minted === 0 ? 0 : minted / (Math.max(...prepared.map((p) => p.mintMs)) / 1000) * ctx.generators.length,
    windowMs,
    acceptedPerSecond: total / (windowMs / 1000),
    serverUsPerConnection: (cpu.servers * 1e6) / Math.max(1, total),
    redisUsPerConnection: (cpu.redis * 1e6) / Math.max(1, total),
    generatorLoad: Math.max(...cpu.generators) / cpu.wallSeconds,
    errors
  }
  ctx.log(`storm ${ctx.system}: ${total} accepted in ${windowMs.toFixed(0)} ms = ${result.acceptedPerSecond.toFixed(0)}/s ` +
    `(${result.failed} failed), server ${result.serverUsPerConnection.toFixed(0)} µs/connection (kernel ${((cpu.serversKernel * 1e6) / Math.max(1, total)).toFixed(0)}), redis ${result.redisUsPerConnection.toFixed(0)}, generators ${(result.generatorLoad * 100).toFixed(0)} %` +
    `${Object.keys(errors).length > 0 ? ` errors ${JSON.stringify(errors)}` : ''}`)
  return result
}

