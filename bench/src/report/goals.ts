import type { SystemName } from '../config.js'
import type { BenchRun, FanoutStep, ScenarioResult } from '../scenarios/results.js'
import { median, ms, n0, n1, n2, name, pct, results } from './format.js'

/**
 * One row of the Goals table: what webchat is measured against (`peer`, a system of the run, or
 * none), both figures, their ratio, whether the goal is met, and the busier generator's CPU share
 * beside each figure (near 100 % the generators, not the server, would be the limit).
 */
export interface Goal { goal: string, peer: string, webchat: string, other: string, ratio: string, met: boolean | null, generators: string }

type Kind = 'rooms' | 'idle' | 'storm'
/** A figure of one pass's result and the generator share it was measured with. */
interface Figure { value: number, gen: number }

/** Medians over the passes of `system`'s figures in `kind`. */
function figure<K extends Kind | 'fanout'> (run: BenchRun, kind: K, system: SystemName, of: (r: Extract<ScenarioResult, { kind: K }>) => Figure | null): Figure & { passes: number } {
  const figures = results(run, kind, system).map((r) => of(r.result)).filter((f) => f !== null)
  return { value: median(figures.map((f) => f.value)), gen: median(figures.map((f) => f.gen)), passes: figures.length }
}

const shares = (w: Figure, p?: Figure): string => p === undefined ? pct(w.gen) : `${pct(w.gen)} / ${pct(p.gen)}`

/** Server µs per delivery at the highest rate both systems held in the same pass, with each step's generator share. */
function cpuAtCommonRate (run: BenchRun, pass: number, a: SystemName, b: SystemName): { rate: number, a: Figure, b: Figure } | null {
  const ra = results(run, 'fanout', a).find((r) => r.pass === pass)?.result
  const rb = results(run, 'fanout', b).find((r) => r.pass === pass)?.result
  if (ra === undefined || rb === undefined) return null
  const heldB = new Map(rb.steps.filter((s) => s.held).map((s) => [s.rate, s]))
  const common = ra.steps.filter((s) => s.held && heldB.has(s.rate)).at(-1)
  if (common === undefined) return null
  const other = heldB.get(common.rate)!
  return { rate: common.offered, a: { value: common.serverUsPerDelivery, gen: common.generatorLoad }, b: { value: other.serverUsPerDelivery, gen: other.generatorLoad } }
}

const at = (s: FanoutStep | undefined, value: (s: FanoutStep) => number): Figure | null => s === undefined ? null : { value: value(s), gen: s.generatorLoad }

function fanoutGoals (run: BenchRun): Goal[] {
  const out: Goal[] = []
  const peer = 'socketio'
  const passes = [...new Set(run.records.map((r) => r.pass))]
  const cpu = passes.map((p) => cpuAtCommonRate(run, p, 'webchat', peer)).filter((c) => c !== null)
  if (cpu.length > 0) {
    const w = { value: median(cpu.map((c) => c.a.value)), gen: median(cpu.map((c) => c.a.gen)) }
    const s = { value: median(cpu.map((c) => c.b.value)), gen: median(cpu.map((c) => c.b.gen)) }
    out.push({
      goal: `Fan-out: server CPU per delivery ≤ ⅓ of the peer's (at the highest rate both held: ${cpu.map((c) => n0(c.rate)).join(' / ')} deliveries/s)`,
      peer: name(peer), webchat: `${n2(w.value)} µs`, other: `${n2(s.value)} µs`, ratio: `${n2(w.value / s.value)}×`, met: w.value <= s.value / 3, generators: shares(w, s)
    })
  }
  const held = (system: SystemName): Figure & { passes: number } =>
    figure(run, 'fanout', system, (r) => ({ value: r.maxHeld, gen: r.steps.filter((s) => s.held).at(-1)?.generatorLoad ?? NaN }))
  const w = held('webchat')
  const s = held(peer)
  if (w.passes > 0 && s.passes > 0) {
    const top = results(run, 'fanout', 'webchat').every((r) => r.result.steps.at(-1)?.held === true)
    out.push({
      goal: 'Fan-out: highest rate held (p99 ≤ 500 ms, loss ≤ 0.1 %) ≥ 2× the peer\'s',
      peer: name(peer), webchat: `${n0(w.value)}/s${top ? ' (top step: the limit is higher)' : ''}`, other: `${n0(s.value)}/s`, ratio: `${n2(w.value / s.value)}×`, met: w.value >= 2 * s.value, generators: shares(w, s)
    })
  }
  const p99 = (system: SystemName): Figure & { passes: number } => figure(run, 'fanout', system, (r) => at(r.steps.find((st) => st.offered === 10_000), (st) => st.latency.p99))
  if (w.passes > 0) {
    const wp = p99('webchat')
    const sp = p99(peer)
    out.push({ goal: 'Fan-out: p99 at 10,000 deliveries/s < 15 ms', peer: name(peer), webchat: `${ms(wp.value)} ms`, other: `${ms(sp.value)} ms`, ratio: '', met: wp.value < 15, generators: shares(wp, sp.passes > 0 ? sp : undefined) })
  }
  return out
}

/** Fan-out setup (1,000 joins into one room): no redundant presence frame; server CPU per join against webchat-base's, when it ran. */
function setupGoals (run: BenchRun): Goal[] {
  const out: Goal[] = []
  const watched = results(run, 'fanout', 'webchat').flatMap(({ result: { setupCost } }) =>
    setupCost?.presence === undefined || setupCost.presence === null ? [] : [{ ...setupCost.presence, gen: setupCost.generatorLoad }])
  if (watched.length > 0) {
    const redundant = Math.max(...watched.map((c) => c.redundant))
    out.push({
      goal: 'Fan-out setup: no redundant presence frame (a join announced to a member that already had the user; worst pass)',
      peer: '–', webchat: `${n0(redundant)} of ${n0(Math.max(...watched.map((c) => c.changes)))} changes`, other: '', ratio: '', met: redundant === 0,
      generators: pct(median(watched.map((c) => c.gen)))
    })
  }
  const perJoin = (system: SystemName): Figure & { passes: number } => figure(run, 'fanout', system, (r) => r.setupCost === undefined ? null : { value: r.setupCost.serverUsPerJoin, gen: r.setupCost.generatorLoad })
  const w = perJoin('webchat')
  const b = perJoin('webchat-base')
  if (w.passes > 0 && b.passes > 0) {
    out.push({
      goal: 'Fan-out setup: server CPU per join ≤ ⅔ of webchat-base\'s', peer: name('webchat-base'),
      webchat: `${n0(w.value)} µs`, other: `${n0(b.value)} µs`, ratio: `${n2(w.value / b.value)}×`, met: w.value <= (2 / 3) * b.value, generators: shares(w, b)
    })
  }
  return out
}

/** A goal comparing webchat's median figure in `kind` against `peer`'s: `met(webchat, peer)`. */
function versus<K extends Kind> (run: BenchRun, kind: K, peer: SystemName, goal: string, of: (r: Extract<ScenarioResult, { kind: K }>) => number, gen: (r: Extract<ScenarioResult, { kind: K }>) => number, show: (x: number) => string, met: (w: number, p: number) => boolean): Goal[] {
  const w = figure(run, kind, 'webchat', (r) => ({ value: of(r), gen: gen(r) }))
  const p = figure(run, kind, peer, (r) => ({ value: of(r), gen: gen(r) }))
  if (w.passes === 0 || p.passes === 0) return []
  return [{ goal, peer: name(peer), webchat: show(w.value), other: show(p.value), ratio: `${n2(w.value / p.value)}×`, met: met(w.value, p.value), generators: shares(w, p) }]
}

export function goals (run: BenchRun): Goal[] {
  const us = (x: number): string => `${n1(x)} µs`
  const perSecond = (x: number): string => `${n0(x)}/s`
  return [
    ...fanoutGoals(run),
    ...setupGoals(run),
    ...versus(run, 'rooms', 'socketio', 'Many small rooms: server + Redis CPU per message ≤ the peer\'s (webchat\'s history included, the peer keeps none)',
      (r) => r.totalUsPerMessage, (r) => r.generatorLoad, us, (w, p) => w <= p),
    ...versus(run, 'rooms', 'socketio-streams', 'Many small rooms: server + Redis CPU per message ≤ 0.8× the peer\'s (both keep messages in a Redis stream)',
      (r) => r.totalUsPerMessage, (r) => r.generatorLoad, us, (w, p) => w <= 0.8 * p),
    ...versus(run, 'idle', 'socketio', 'Idle: memory per connection ≤ ½ of the peer\'s',
      (r) => r.kibPerConnection, (r) => r.generatorLoad ?? NaN, (x) => `${n1(x)} KiB`, (w, p) => w <= p / 2),
    ...versus(run, 'idle', 'socketio', 'Memory at rest: a fresh instance (no connection, after a GC) holds < 80 MiB RSS (the larger of the two)',
      (r) => Math.max(...(r.rssFreshMiB ?? [NaN])), (r) => r.generatorLoad ?? NaN, (x) => `${n1(x)} MiB`, (w) => w < 80),
    ...versus(run, 'storm', 'socketio', 'Connect storm: authenticated connections/s ≥ the peer\'s unauthenticated',
      (r) => r.acceptedPerSecond, (r) => r.generatorLoad, perSecond, (w, p) => w >= p),
    ...versus(run, 'storm', 'socketio-auth', 'Connect storm: authenticated connections/s ≥ 1.2× the peer\'s (both verify the token\'s signature and claims and use its id once)',
      (r) => r.acceptedPerSecond, (r) => r.generatorLoad, perSecond, (w, p) => w >= 1.2 * p)
  ]
}
