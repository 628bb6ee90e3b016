import type { ClientSpec } from '../generator/main.js'
import { deal, rssOf, runStep, type Context } from './context.js'
import { openRoom } from './fanout-setup.js'
import type { FanoutResult, FanoutStep } from './results.js'

const ROOM = 'fanout'
const P99_LIMIT_MS = 500
const LOSS_LIMIT = 0.001
const MiB = 2 ** 20
const WARMUP_MS = 3000
/** Time from the last join to the first step, at least (it was a fixed 2 s). */
const SETTLE_MS = 2000

/**
 * Fan-out: `members` clients in one room, split over the two instances; the first `senderConns`
 * belong to the sending users (two tabs each, so that no connection passes 8 sends a second and no user 16). The
 * offered rate steps up until p99 > 500 ms or loss > 0.1 %.
 */
export async function fanout (ctx: Context): Promise<FanoutResult> {
  const { members, senderUsers, senderConns, stepMs, graceMs, rates } = ctx.config.fanout
  const specs: ClientSpec[] = Array.from({ length: members }, (_, i) => {
    const sender = i < senderConns
    const user = sender ? `s${i % senderUsers}` : `u${i}`
    return { url: ctx.servers.urls[i % 2]!, user, sid: sender ? `sid-${user}` : `sid-u${i}`, room: ROOM, sender, real: i === senderConns }
  })
  const pick = (i: number): number => Math.floor(i / 2)
  const shares = deal(ctx, specs, pick)
  const order = new Map(specs.map((spec, i) => [spec, i]))
  const { setup, cost } = await openRoom(ctx, shares)
  // Let whatever the joins set going settle before measuring.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, SETTLE_MS - cost.drainMs)))

  /** Each generator's senders are the first `senders` sender specs it holds; its rate is its share. */
  const sharesAt = (rate: number): Array<{ senders: number, rate: number }> => {
    const senders = Math.min(senderConns, Math.max(10, Math.ceil(rate / 8)))
    return shares.map((share) => {
      const n = share.filter((spec) => spec.sender && order.get(spec)! < senders).length
      return { senders: n, rate: (rate * n) / senders }
    })
  }
  // Warm-up, not measured: the first messages through a fresh process pay for compiling its code
  // paths (both systems alike), which would otherwise land in the first step's tail.
  if (rates.length > 0) await runStep(ctx, 0, sharesAt(rates[0]!), WARMUP_MS, graceMs, members)

  const measure = async (index: number, rate: number): Promise<FanoutStep> => {
    const outcome = await runStep(ctx, index, sharesAt(rate), stepMs, graceMs, members)
    const loss = outcome.expected === 0 ? 0 : Math.max(0, outcome.expected - outcome.received) / outcome.expected
    const offeredSent = (rate * stepMs) / 1000
    const step: FanoutStep = {
      rate,
      offered: rate * members,
      sent: outcome.sent,
      expected: outcome.expected,
      received: outcome.received,
      loss,
      deliveriesPerSecond: outcome.received / (stepMs / 1000),
      latency: outcome.latency,
      cpu: outcome.cpu,
      serverUsPerDelivery: (outcome.cpu.servers * 1e6) / Math.max(1, outcome.received),
      redisUsPerDelivery: (outcome.cpu.redis * 1e6) / Math.max(1, outcome.received),
      generatorLoad: Math.max(...outcome.cpu.generators) / outcome.cpu.wallSeconds,
      generatorUsPerDelivery: (outcome.cpu.generators.reduce((sum, s) => sum + s, 0) * 1e6) / Math.max(1, outcome.received),
      generatorLimited: outcome.sent < 0.97 * offeredSent || outcome.sendMs > stepMs * 1.1,
      held: false,
      errors: outcome.errors
    }
    step.held = step.latency.p99 <= P99_LIMIT_MS && loss <= LOSS_LIMIT && !step.generatorLimited
    ctx.log(`fan-out ${ctx.system} ${rate}/s (${rate * members} deliveries/s): got ${outcome.received}/${outcome.expected}, ` +
      `p50 ${step.latency.p50.toFixed(1)} p99 ${step.latency.p99.toFixed(1)} ms, server ${step.serverUsPerDelivery.toFixed(2)} µs/delivery, ` +
      `redis ${step.redisUsPerDelivery.toFixed(2)}, generators ${step.generatorUsPerDelivery!.toFixed(2)} µs/delivery (${(step.generatorLoad * 100).toFixed(0)} %)${Object.keys(outcome.errors).length > 0 ? ` errors ${JSON.stringify(outcome.errors)}` : ''}`)
    return step
  }

  const steps: FanoutStep[] = []
  let maxHeld = 0
  let index = 0
  for (const rate of rates) {
    if (ctx.remainingMs() < 2 * (stepMs + graceMs) + 30_000) { ctx.log('fan-out: time budget reached, stopping'); break }
    let step = await measure(++index, rate)
    if (!step.held) {
      // Once more after a pause: on a shared machine a burst of other work can sink one step.
      await new Promise((resolve) => setTimeout(resolve, 2000))
      const again = await measure(++index, rate)
      step = { ...again, firstTry: step }
    }
    steps.push(step)
    if (!step.held) break
    maxHeld = step.offered
  }
  return { kind: 'fanout', members, setup, setupCost: cost, steps, maxHeld, rssMiB: rssOf(ctx).map((b) => b / MiB) }
}
