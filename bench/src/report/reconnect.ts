import type { BenchRun } from '../scenarios/results.js'
import type { ReconnectLeg, ReconnectResult } from '../scenarios/reconnect.js'

/** The page's number formats and table, as markdown.ts writes them (passed in: this file is one of its parts). */
export interface Format {
  n0: (x: number) => string
  pct: (x: number) => string
  name: (system: string) => string
  table: (head: string[], rows: string[][]) => string
  median: (xs: number[]) => number
}

const runs = (run: BenchRun): Array<{ system: string, pass: number, result: ReconnectResult }> =>
  run.records.flatMap((r) => r.result?.kind === 'reconnect' ? [{ system: r.system, pass: r.pass, result: r.result }] : [])

const legs = (run: BenchRun, variant: ReconnectLeg['variant']): ReconnectLeg[] =>
  runs(run).filter((r) => r.system === 'webchat').flatMap((r) => r.result.legs.filter((l) => l.variant === variant))

/** The goal rows of the reconnect storm; the peer is webchat itself, reconnecting with fresh tokens from auth. */
export function reconnectGoals (run: BenchRun, f: Format): Array<{ goal: string, webchat: string, socketio: string, ratio: string, met: boolean | null }> {
  const ticket = legs(run, 'ticket')
  const token = legs(run, 'token')
  if (ticket.length === 0 || token.length === 0) return []
  const t = f.median(ticket.map((l) => l.connectionsPerSecond))
  const k = f.median(token.map((l) => l.connectionsPerSecond))
  const authMs = f.median(ticket.map((l) => l.authCpuSeconds * 1000))
  return [
    { goal: 'Reconnect storm: ticket connections/s ≥ 2× fresh-token (peer: webchat with fresh tokens from auth)', webchat: `${f.n0(t)}/s`, socketio: `${f.n0(k)}/s`, ratio: `${(t / k).toFixed(2)}×`, met: t >= 2 * k },
    { goal: 'Reconnect storm: auth CPU = 0 with tickets (peer: with fresh tokens)', webchat: `${f.n0(authMs)} ms`, socketio: `${f.n0(f.median(token.map((l) => l.authCpuSeconds * 1000)))} ms`, ratio: '', met: authMs === 0 }
  ]
}

export function reconnectSection (run: BenchRun, f: Format): string {
  const all = runs(run)
  if (all.length === 0) return ''
  const { connections, inFlight } = all[0]!.result
  const codes = (c: Record<string, number>): string => Object.entries(c).map(([code, n]) => `${code} ×${f.n0(n)}`).join(', ')
  const rows = all.flatMap(({ system, pass, result }) => result.legs.map((l) => [
    `${f.name(system)}, pass ${pass}, ${l.variant === 'ticket' ? 'ticket' : 'fresh token'}`, f.n0(l.connected), f.n0(l.reconnected), f.n0(l.failed), f.n0(l.windowMs), f.n0(l.connectionsPerSecond),
    f.n0(l.serverUsPerConnection), f.n0(l.redisUsPerConnection), f.n0(l.authCpuSeconds * 1000), f.n0(l.authUsPerConnection), f.pct(l.generatorLoad), codes(l.closeCodes),
    Object.keys(l.errors).length > 0 ? codes(l.errors) : '–']))
  return [`### Reconnect storm: ${f.n0(connections)} clients of a drained instance back on the other`, '',
    `All clients signed in to the real auth service and connected to one instance, which is then drained (SIGTERM: every socket closed with 1012); each reconnects to the other at once, ${inFlight} under way per generator. ` +
    '*Fresh token*: a `POST /auth/token` with its session cookie first (a session read and save, an ES256 signature), then the upgrade with that token; *ticket*: the upgrade with the ticket of its last `ready`. ' +
    'Each variant from a fresh setup. The window runs from the first reconnect attempt to the last `ready`; server CPU is the receiving instance\'s, auth CPU the auth service\'s over the storm.', '',
    f.table(['run', 'connected', 'back', 'failed', 'window ms', 'connections/s', 'server µs/conn', 'Redis µs/conn', 'auth CPU ms', 'auth µs/conn', 'gen.', 'closes', 'errors'], rows), ''].join('\n')
}
