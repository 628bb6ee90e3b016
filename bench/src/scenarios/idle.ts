import { Redis } from 'ioredis'
import type { ClientSpec } from '../generator/main.js'
import { cpuBetween, deal, openAll, rssOf, sampleCpu, type Context } from './context.js'
import type { IdleResult } from './results.js'

const MiB = 2 ** 20

async function redisUsedMemory (url: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN)
  } finally {
    redis.disconnect()
  }
}

/** The part of the connections opened before the measured ones: the growth every fresh process makes once. */
const WARM_UP = 0.5

/**
 * Idle: `connections` connections (authenticated for webchat and socketio-auth), half on each
 * instance, held open. Memory at rest = RSS of the fresh instances after a full garbage
 * collection. Memory per connection = RSS growth of both instances over the last 90 % of the
 * connections, each measured after a full garbage collection: the first tenth opens first, so
 * that what a process grows once under its first load (V8's young generation reaching its working
 * size, pages it keeps) is not spread over the connections as if each cost it.
 */
export async function idle (ctx: Context, redisUrl: string): Promise<IdleResult> {
  const { connections } = ctx.config.idle
  const specs: ClientSpec[] = Array.from({ length: connections }, (_, i) => ({
    url: ctx.servers.urls[i % 2]!, user: `u${i}`, sid: `sid-u${i}`, room: null, sender: false
  }))
  const warm = 2 * Math.ceil(connections * WARM_UP / 2)
  await ctx.servers.collectGarbage()
  const rssFresh = rssOf(ctx)
  const warmed = await openAll(ctx, deal(ctx, specs.slice(0, warm), (i) => Math.floor(i / 2)), 100)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  await ctx.servers.collectGarbage()
  const rssBefore = rssOf(ctx)
  const redisBefore = await redisUsedMemory(redisUrl)
  const started = performance.now()
  const before = sampleCpu(ctx)
  const setup = await openAll(ctx, deal(ctx, specs.slice(warm), (i) => Math.floor(i / 2)), 100, 50, undefined, true)
  const cpu = cpuBetween(before, sampleCpu(ctx))
  const openMs = performance.now() - started
  await new Promise((resolve) => setTimeout(resolve, 3000))
  await ctx.servers.collectGarbage()
  const after = rssOf(ctx)
  const redisAfter = await redisUsedMemory(redisUrl)
  const growth = after.reduce((s, b, i) => s + b - (rssBefore[i] ?? 0), 0)
  const result: IdleResult = {
    kind: 'idle',
    connections,
    opened: warmed.opened + setup.opened,
    failed: warmed.failed + setup.failed,
    rssFreshMiB: rssFresh.map((b) => b / MiB),
    rssBeforeMiB: rssBefore.map((b) => b / MiB),
    rssAfterMiB: after.map((b) => b / MiB),
    kibPerConnection: growth / 1024 / Math.max(1, setup.opened),
    redisKibPerConnection: (redisAfter - redisBefore) / 1024 / Math.max(1, setup.opened),
    openMs,
    generatorLoad: Math.max(...cpu.generators) / cpu.wallSeconds
  }
  ctx.log(`idle ${ctx.system}: ${setup.opened} open (${setup.failed} failed), ${result.kibPerConnection.toFixed(1)} KiB/connection, ` +
    `RSS fresh ${rssFresh.map((b) => b / MiB).map((m) => m.toFixed(0)).join('+')}, ${warm} open ${result.rssBeforeMiB.map((m) => m.toFixed(0)).join('+')} → ${result.rssAfterMiB.map((m) => m.toFixed(0)).join('+')} MiB` +
    `${Object.keys(setup.errors).length > 0 ? ` errors ${JSON.stringify(setup.errors)}` : ''}`)
  return result
}
