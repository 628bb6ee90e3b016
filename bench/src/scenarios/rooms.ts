import type { ClientSpec } from '../generator/main.js'
import { deal, openAll, rssOf, runStep, type Context, type OpenResult, type StepOutcome } from './context.js'
import type { RoomsResult } from './results.js'

const MiB = 2 ** 20

/** Many small rooms: `clients` clients in rooms of `roomSize`, each sending `perSecond` messages a second. */
export interface RoomsShape { clients: number, roomSize: number, perSecond: number, measureMs: number }

export interface RoomsRun { setup: OpenResult, outcome: StepOutcome, loss: number, perMessage: (seconds: number) => number }

/**
 * The small-rooms load: a room's members alternate between the two instances and share one
 * generator; a short warm-up, then one measured window. `around` runs just before and just after
 * the measured step (samples of what the step's own CPU sampling does not see).
 */
export async function runRooms (ctx: Context, shape: RoomsShape, around?: { before: () => Promise<void>, after: () => Promise<void> }): Promise<RoomsRun> {
  const { clients, roomSize, perSecond, measureMs } = shape
  const specs: ClientSpec[] = Array.from({ length: clients }, (_, i) => ({
    url: ctx.servers.urls[i % 2]!, user: `u${i}`, sid: `sid-u${i}`, room: `r${Math.floor(i / roomSize)}`, sender: true
  }))
  const shares = deal(ctx, specs, (i) => Math.floor(i / roomSize))
  const setup = await openAll(ctx, shares, 50, 50)
  ctx.log(`rooms: ${setup.opened} open, ${setup.failed} failed, ${setup.joinFailed} joins failed, joins took ${Math.round(setup.joinMs)} ms`)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const stepShares = shares.map((share) => ({ senders: share.length, rate: share.length * perSecond }))
  await runStep(ctx, 1, stepShares, 2000, 1000, roomSize)
  await around?.before()
  const outcome = await runStep(ctx, 2, stepShares, measureMs, 3000, roomSize)
  await around?.after()
  const loss = outcome.expected === 0 ? 0 : Math.max(0, outcome.expected - outcome.received) / outcome.expected
  const perMessage = (seconds: number): number => (seconds * 1e6) / Math.max(1, outcome.sent)
  return { setup, outcome, loss, perMessage }
}

/**
 * Many small rooms: `clients` clients in rooms of two, each pair split over the two instances,
 * each client sending one message a second to its room: server plus Redis CPU per message
 * (webchat stores every message in the room's history).
 */
export async function rooms (ctx: Context): Promise<RoomsResult> {
  const { clients, perSecond, measureMs } = ctx.config.rooms
  const { setup, outcome, loss, perMessage } = await runRooms(ctx, { clients, roomSize: 2, perSecond, measureMs })
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
