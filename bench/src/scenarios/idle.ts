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

/**
 * Idle: `connections` connections (authenticated for webchat and socketio-auth), half on each
 * instance, held open. Memory per connection = RSS growth of both instances, each measured after
 * a full garbage collection, over the connections open.
 */
export async function idle (ctx: Context, redisUrl: string): Promise<IdleResult> {
  const { connections } = ctx.config.idle
  const specs: ClientSpec[] = Array.from({ length: connections }, (_, i) => ({
    url: ctx.servers.urls[i % 2]!, user: `u${i}`, sid: `sid-u${i}`, room: null, sender: false
  }))
  const shares = deal(ctx, specs, (i) => Math.floor(i / 2))
  await ctx.servers.collectGarbage()
  const rssBefore = rssOf(ctx)
  const redisBefore = await redisUsedMemory(redisUrl)
  const started = performance.now()
  const before = sampleCpu(ctx)
  const setup = await openAll(ctx, shares, 100)
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
    opened: setup.opened,
    failed: setup.failed,
    rssBeforeMiB: rssBefore.map((b) => b / MiB),
    rssAfterMiB: after.map((b) => b / MiB),
    kibPerConnection: growth / 1024 / Math.max(1, setup.opened),
    redisKibPerConnection: (redisAfter - redisBefore) / 1024 / Math.max(1, setup.opened),
    openMs,
    generatorLoad: Math.max(...cpu.generators) / cpu.wallSeconds
  }
  ctx.log(`idle ${ctx.system}: ${setup.opened} open (${setup.failed} failed), ${result.kibPerConnection.toFixed(1)} KiB/connection, ` +
    `RSS ${result.rssBeforeMiB.map((m) => m.toFixed(0)).join('+')} → ${result.rssAfterMiB.map((m) => m.toFixed(0)).join('+')} MiB` +
    `${Object.keys(setup.errors).length > 0 ? ` errors ${JSON.stringify(setup.errors)}` : ''}`)
  return result
}
