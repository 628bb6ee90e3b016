import type { ClientSpec } from '../generator/main.js'
import { deal, openAll, rssOf, runStep, type Context } from './context.js'
import type { RoomsResult } from './results.js'

const MiB = 2 ** 20

/**
 * Many small rooms: `clients` clients in rooms of two, each pair split over the two instances,
 * each client sending one message a second to its room. A short warm-up, then one measured window:
 * server plus Redis CPU per message (webchat stores every message in the room's history).
 */
export async function rooms (ctx: Context): Promise<RoomsResult> {
  const { clients, perSecond, measureMs } = ctx.config.rooms
  const specs: ClientSpec[] = Array.from({ length: clients }, (_, i) => ({
    url: ctx.servers.urls[i % 2]!, user: `u${i}`, sid: `sid-u${i}`, room: `r${Math.floor(i / 2)}`, sender: true
  }))
  const shares = deal(ctx, specs, (i) => Math.floor(i / 2))
  const setup = await openAll(ctx, shares, 50, 50)
  ctx.log(`rooms: ${setup.opened} open, ${setup.failed} failed, ${setup.joinFailed} joins failed, joins took ${Math.round(setup.joinMs)} ms`)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const stepShares = shares.map((share) => ({ senders: share.length, rate: share.length * perSecond }))
  await runStep(ctx, 1, stepShares, 2000, 1000, 2)
  const outcome = await runStep(ctx, 2, stepShares, measureMs, 3000, 2)
  const loss = outcome.expected === 0 ? 0 : Math.max(0, outcome.expected - outcome.received) / outcome.expected
  const perMessage = (seconds: number): number => (seconds * 1e6) / Math.max(1, outcome.sent)
  const result: RoomsResult = {
    kind: 'rooms',
    clients,
    rooms: clients / 2,
    setup,
    sent: outcome.sent,
    received: outcome.received,
    expected: outcome.expected,
    loss,
    messagesPerSecond: outcome.sent / (measureMs / 1000),
    latency: outcome.latency,
    cpu: outcome.cpu,
    serverUsPerMessage: perMessage(outcome.cpu.servers),
    redisUsPerMessage: perMessage(outcome.cpu.redis),
    totalUsPerMessage: perMessage(outcome.cpu.servers + outcome.cpu.redis),
    generatorLoad: Math.max(...outcome.cpu.generators) / outcome.cpu.wallSeconds,
    errors: outcome.errors,
    rssMiB: rssOf(ctx).map((b) => b / MiB)
  }
  ctx.log(`rooms ${ctx.system}: ${outcome.sent} messages, ${outcome.received}/${outcome.expected} deliveries, p50 ${result.latency.p50.toFixed(1)} ` +
    `p99 ${result.latency.p99.toFixed(1)} ms, server ${result.serverUsPerMessage.toFixed(1)} (kernel ${perMessage(outcome.cpu.serversKernel).toFixed(1)}) + redis ${result.redisUsPerMessage.toFixed(1)} µs/message` +
    `${Object.keys(outcome.errors).length > 0 ? ` errors ${JSON.stringify(outcome.errors)}` : ''}`)
  return result
}
