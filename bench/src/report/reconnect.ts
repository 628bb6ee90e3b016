import type { BenchRun } from '../scenarios/results.js'
import type { ReconnectLeg, ReconnectResult } from '../scenarios/reconnect.js'
import { median, n0, n2, name, pct, table } from './format.js'
import type { Goal } from './goals.js'

const runs = (run: BenchRun): Array<{ system: string, pass: number, result: ReconnectResult }> =>
  run.records.flatMap((r) => r.result?.kind === 'reconnect' ? [{ system: r.system, pass: r.pass, result: r.result }] : [])

const legs = (run: BenchRun, variant: ReconnectLeg['variant']): ReconnectLeg[] =>
  runs(run).filter((r) => r.system === 'webchat').flatMap((r) => r.result.legs.filter((l) => l.variant === variant))

/** The goal rows of the reconnect storm; the peer is webchat itself, reconnecting with fresh tokens from auth. */
export function reconnectGoals (run: BenchRun): Goal[] {
  const ticket = legs(run, 'ticket')
  const token = legs(run, 'token')
  if (ticket.length === 0 || token.length === 0) return []
  const t = median(ticket.map((l) => l.connectionsPerSecond))
  const k = median(token.map((l) => l.connectionsPerSecond))
  const authMs = Math.max(...ticket.map((l) => l.authCpuSeconds * 1000))
  const maxRequests = Math.max(...ticket.map((l) => l.authRequests ?? NaN))
  const generators = `${pct(median(ticket.map((l) => l.generatorLoad)))} / ${pct(median(token.map((l) => l.generatorLoad)))}`
  const peer = 'webchat, fresh tokens from auth'
  return [
    { goal: 'Reconnect storm: connections/s with tickets ≥ 2× with fresh tokens (same run)', peer, webchat: `${n0(t)}/s`, other: `${n0(k)}/s`, ratio: `${n2(t / k)}×`, met: t >= 2 * k, generators },
    {
      // /proc counts CPU in 10 ms ticks: one tick over a storm of seconds is the idle process's timers, not work.
      goal: 'Reconnect storm: with tickets the auth service answers no request and spends no CPU beyond one clock tick (10 ms)',
      peer,
      webchat: `${n0(authMs)} ms, ${n0(maxRequests)} requests`,
      other: `${n0(median(token.map((l) => l.authCpuSeconds * 1000)))} ms, ${n0(median(token.map((l) => l.authRequests ?? NaN)))} requests`,
      ratio: '',
      met: maxRequests === 0 && authMs <= 10,
      generators
    }
  ]
}

export function reconnectSection (run: BenchRun): string {
  const all = runs(run)
  if (all.length === 0) return ''
  const { connections, inFlight } = all[0]!.result
  const codes = (c: Record<string, number>): string => Object.entries(c).map(([code, n]) => `${code} ×${n0(n)}`).join(', ')
  const rows = all.flatMap(({ system, pass, result }) => result.legs.map((l) => [
    `${name(system)}, pass ${pass}, ${l.variant === 'ticket' ? 'ticket' : 'fresh token'}`, n0(l.connected), n0(l.reconnected), n0(l.failed), n0(l.windowMs), n0(l.connectionsPerSecond),
    n0(l.serverUsPerConnection), n0(l.redisUsPerConnection), n0(l.authCpuSeconds * 1000), n0(l.authUsPerConnection), n0(l.authRequests ?? NaN), pct(l.generatorLoad), codes(l.closeCodes),
    Object.keys(l.errors).length > 0 ? codes(l.errors) : '–']))
  return [`### Reconnect storm: ${n0(connections)} clients of a drained instance back on the other`, '',
    `All clients signed in to the real auth service and connected to one instance, which is then drained (SIGTERM: every socket closed with 1012); each reconnects to the other at once, ${inFlight} under way per generator. ` +
    '*Fresh token*: a `POST /auth/token` with its session cookie first (a session read and save, an ES256 signature), then the upgrade with that token; *ticket*: the upgrade with the ticket of its last `ready`. ' +
    'Each variant from a fresh setup. The window runs from the first reconnect attempt to the last `ready`; server CPU is the receiving instance\'s, auth CPU the auth service\'s over the storm.', '',
    table(['run', 'connected', 'back', 'failed', 'window ms', 'connections/s', 'server µs/conn', 'Redis µs/conn', 'auth CPU ms', 'auth µs/conn', 'auth requests', 'gen.', 'closes', 'errors'], rows), ''].join('\n')
}
