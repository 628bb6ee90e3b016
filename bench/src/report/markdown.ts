import type { BenchRun, ClusterResult, FanoutResult, FanoutStep, IdleResult, RoomsResult, ShardedLeg, StormResult } from '../scenarios/results.js'
import { ms, n0, n1, n2, name, pct, results, table } from './format.js'
import { goals } from './goals.js'
import { reconnectGoals, reconnectSection } from './reconnect.js'


/** What the joins of the setup cost and what they announced (runs from before it was measured have none). */
function setupCost (cost: FanoutResult['setupCost']): string {
  if (cost === undefined) return ''
  const presence = cost.presence === null ? '' : `, ${n0(cost.presence.frames)} presence frames with ${n0(cost.presence.changes)} changes, ${n0(cost.presence.redundant)} redundant`
  return `: ${n0(cost.serverUsPerJoin)} µs of server CPU and ${n0(cost.redisUsPerJoin)} of Redis per join, gen. ${pct(cost.generatorLoad)}${presence}`
}

function fanoutSection (run: BenchRun, systems: string[]): string {
  const parts: string[] = ['### Fan-out: 1,000 members in one room, rate stepped up', '',
    'One row per step. *Offered* is messages a second × members; *delivered* counts what arrived within the grace window. ' +
    'CPU is from /proc (user + system) over the step and its grace window, divided by deliveries; *gen. µs* is both generators\' (receiving and sending), what measuring a delivery cost beside what making it cost the servers. *Gen.* is the busier generator\'s share of one core. ' +
    'A step is *held* when p99 ≤ 500 ms, loss ≤ 0.1 % and the generators sent the offered rate; a step not held is run once more after 2 s (other work on a shared machine can sink one step), and stepping stops when the second try fails too. ' +
    'Setup: every member connects first, then all join; CPU per join is from the first join until the presence announcements stopped (500 ms without one), and the members count the presence changes they received, *redundant* when announcing a join of a user they already had (from their `joined` frame\'s members or an earlier announcement).', '']
  for (const system of systems) {
    for (const { pass, result } of results(run, 'fanout', system)) {
      parts.push(`**${name(system)}, pass ${pass}** (setup: ${n0(result.setup.opened)} members joined in ${n1(result.setup.joinMs / 1000)} s${setupCost(result.setupCost)}; highest held ${n0(result.maxHeld)}/s; RSS at end ${result.rssMiB.map(n0).join(' + ')} MiB)`, '')
      parts.push(table(['offered/s', 'delivered/s', 'loss', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'server µs/delivery', 'Redis µs/delivery', 'gen. µs/delivery', 'gen.', 'held'],
        result.steps.map((s: FanoutStep) => [n0(s.offered), n0(s.deliveriesPerSecond), pct(s.loss), ms(s.latency.p50), ms(s.latency.p90), ms(s.latency.p99), ms(s.latency.max),
          n2(s.serverUsPerDelivery), n2(s.redisUsPerDelivery), n2(s.generatorUsPerDelivery ?? NaN), pct(s.generatorLoad),
          (s.held ? 'yes' : s.generatorLimited ? 'no (generator)' : 'no') + (s.firstTry === undefined ? '' : ` (2nd try; 1st: p99 ${ms(s.firstTry.latency.p99)} ms, loss ${pct(s.firstTry.loss)})`)])), '')
    }
  }
  return parts.join('\n')
}

function roomsSection (run: BenchRun, systems: string[]): string {
  const rows = systems.flatMap((system) => results(run, 'rooms', system).map(({ pass, result: r }: { pass: number, result: RoomsResult }) => [
    `${name(system)}, pass ${pass}`, n0(r.messagesPerSecond), n0(r.received), pct(r.loss), ms(r.latency.p50), ms(r.latency.p99), ms(r.latency.max),
    n1(r.serverUsPerMessage), n1(r.redisUsPerMessage), n1(r.totalUsPerMessage), pct(r.generatorLoad), r.rssMiB.map(n0).join(' + ')]))
  return ['### Many small rooms: 2,000 clients in 1,000 rooms of two, each sending 1 message/s', '',
    'Each pair is split over the two instances; a message goes to both members (the sender\'s own copy included, in every system). CPU per message sent. ' +
    'Webchat stores every message in its room\'s log; plain Socket.IO stores nothing; Socket.IO + streams appends every broadcast to one Redis stream (connection state recovery).', '',
    table(['system', 'messages/s', 'deliveries', 'loss', 'p50 ms', 'p99 ms', 'max ms', 'server µs/msg', 'Redis µs/msg', 'total µs/msg', 'gen.', 'RSS MiB'], rows), ''].join('\n')
}

function idleSection (run: BenchRun, systems: string[]): string {
  const rows = systems.flatMap((system) => results(run, 'idle', system).map(({ pass, result: r }: { pass: number, result: IdleResult }) => [
    `${name(system)}, pass ${pass}`, n0(r.opened), n0(r.failed), (r.rssFreshMiB ?? []).map(n1).join(' + '), r.rssBeforeMiB.map(n0).join(' + '), r.rssAfterMiB.map(n0).join(' + '), n1(r.kibPerConnection), n2(r.redisKibPerConnection), n1(r.openMs / 1000), pct(r.generatorLoad ?? NaN)]))
  const connections = (run.config as { idle?: { connections: number } } | null)?.idle?.connections ?? 10_000
  return [`### Idle: ${n0(connections)} open connections`, '',
    'RSS of both instances after a full garbage collection (node --expose-gc, SIGWINCH): fresh (no connection: memory at rest), with the first half of the connections open, and with all of them; ' +
    'growth per connection over the second half (what a process grows once under its first load is not a connection\'s). ' +
    'Webchat and Socket.IO + auth connections are authenticated (token verified and its id used once); plain Socket.IO\'s are not. *Gen.*: while the connections opened.', '',
    table(['system', 'open', 'failed', 'RSS fresh MiB', 'RSS at half MiB', 'RSS after MiB', 'KiB/connection', 'Redis KiB/connection', 'opened in s', 'gen.'], rows), ''].join('\n')
}

function stormSection (run: BenchRun, systems: string[]): string {
  const rows = systems.flatMap((system) => results(run, 'storm', system).map(({ pass, result: r }: { pass: number, result: StormResult }) => [
    `${name(system)}, pass ${pass}`, r.authenticated ? 'yes' : 'no', n0(r.opened), n0(r.failed), n0(r.windowMs), n0(r.acceptedPerSecond),
    n0(r.serverUsPerConnection), n0(r.redisUsPerConnection), pct(r.generatorLoad), r.mintPerSecond > 0 ? n0(r.mintPerSecond) : '–']))
  const { connections, inFlight } = (run.config as { storm?: { connections: number, inFlight: number } } | null)?.storm ?? { connections: 5000, inFlight: 64 }
  return [`### Connect storm: ${n0(connections)} connections as fast as they are accepted`, '',
    `Each generator keeps ${inFlight} handshakes in flight. Tokens are minted before the storm (the *minted/s* column, not part of the window). Webchat verifies each on upgrade: ` +
    `${tokenAlgorithm(run)} signature, claims, session revocation (Redis GET) and single use (a Redis claim, \`kv.claim\`); Socket.IO + auth in an \`io.use\` middleware, from the CONNECT packet: ` +
    'signature and claims (jose `jwtVerify`) and single use (`SET jti:<jti> NX PX`), no revocation check.', '',
    table(['system', 'auth', 'accepted', 'failed', 'window ms', 'accepted/s', 'server µs/conn', 'Redis µs/conn', 'gen.', 'minted/s'], rows), ''].join('\n')
}

function clusterSection (run: BenchRun, systems: string[]): string {
  const runs = systems.flatMap((system) => results(run, 'cluster', system).map(({ pass, result }: { pass: number, result: ClusterResult }) => ({ system, pass, result })))
  if (runs.length === 0) return ''
  const first = runs[0]!.result
  const perShard = (leg: ShardedLeg, f: (s: ShardedLeg['shards'][number]) => number): string => leg.shards.map(f).map(n1).join(' / ')
  const rows = runs.flatMap(({ system, pass, result }) => result.legs.map((leg) => [
    `${name(system)}, pass ${pass}, ${leg.target === 'single' ? 'single Redis' : `cluster, ${leg.primaries} primaries`}`,
    n0(leg.messagesPerSecond), n0(leg.deliveriesPerSecond), pct(leg.loss), ms(leg.latency.p50), ms(leg.latency.p99),
    n1(leg.serverUsPerMessage), n1(leg.redisUsPerMessage), n1(leg.netRedisUsPerMessage), leg.idleCpuPerSecond.map((x) => n1(x * 100)).join(' / '), perShard(leg, (s) => s.cpuSeconds * 1e6 / Math.max(1, leg.sent)), n1(leg.replicaUsPerMessage),
    pct(leg.busiestCpuShare), pct(leg.busiestCallShare), leg.roomsPerShard.join(' / '), n0(leg.stateBytesPerMessage), n0(leg.memoryBytesPerMessage)]))
  const ratios = runs.map(({ pass, result }) => `pass ${pass}: ${n2(result.redisCpuRatio)}×`).join(', ')
  const census = runs.flatMap(({ system, pass, result }) => result.legs.map((leg) => {
    const kinds = new Map<string, { keys: number, bytes: number }>()
    for (const node of leg.keyKinds) {
      for (const [kind, keys] of Object.entries(node.keys)) {
        const k = kinds.get(kind) ?? { keys: 0, bytes: 0 }
        kinds.set(kind, { keys: k.keys + keys, bytes: k.bytes + keys * (node.meanBytes[kind] ?? NaN) })
      }
    }
    const list = [...kinds].sort((a, b) => b[1].keys - a[1].keys).map(([kind, k]) => `${kind} ${n0(k.keys)} (${n0(k.bytes / k.keys)} B)`).join(', ')
    return `- ${name(system)}, pass ${pass}, ${leg.target}: presence refresh of ${n0(leg.presence.roomInstances)} room-instance pairs in ${n0(leg.presence.scriptsPerRefresh)} script calls, ` +
      `${n1(leg.presence.usPerRoomInstance)} µs of Redis CPU per pair (quiet window less the same before any client: ${leg.baseCpuPerSecond.map((x) => n1(x * 100)).join(' / ')} % of a core); keys by kind after the run (mean MEMORY USAGE): ${list}; a full log of ${n0(leg.fullLog.entries)} entries: ` +
      `${n0(leg.fullLog.bytesPerEntry)} B per entry with the bench's ${leg.fullLog.bodyBytes} B body, ${n0(leg.fullLog.paddedBytesPerEntry)} B with ${leg.fullLog.padBytes} B more.`
  }))
  return [`### Redis Cluster: ${n0(first.clients)} clients in ${n0(first.rooms)} rooms of ${first.roomSize}, each sending 1 message/s`, '',
    'The same load on the run\'s single Redis and on a local cluster (one replica per primary), in the same pass. Redis CPU is INFO used_cpu summed over the primaries; ' +
    '*less idle* takes off what each primary spends a second with the connections open and nothing sent (measured over one presence interval after the load: cluster bus, cron, presence), shown as *idle*; *per primary* splits the raw figure; *busiest* is the busiest primary\'s share of the primaries\' CPU and of their command calls (INFO commandstats); *state B/msg* is used_memory growth over the window per message less replication, client and cluster-link buffers (*with buffers*: all of it; a primary\'s 1 MB replication backlog fills in the first seconds).', '',
    table(['run', 'messages/s', 'deliveries/s', 'loss', 'p50 ms', 'p99 ms', 'server µs/msg', 'Redis µs/msg', 'less idle µs/msg', 'idle % of a core', 'per primary µs/msg', 'replicas µs/msg', 'busiest CPU', 'busiest calls', 'rooms per shard', 'state B/msg', 'with buffers B/msg'], rows), '',
    `Cluster ÷ single Redis, Redis CPU per message: ${ratios}.`, '', ...census, ''].join('\n')
}

/** Runs from before BENCH_TOKEN_ALG signed with Ed25519. */
const tokenAlgorithm = (run: BenchRun): string => (run.config as { tokenAlg?: string } | null)?.tokenAlg === 'ES256' ? 'ES256 (P-256)' : 'EdDSA (Ed25519)'

const generatorNice = (run: BenchRun): number => (run.config as { generatorNice?: number } | null)?.generatorNice ?? 0

export function resultsMarkdown (run: BenchRun, chartFile: string | null): string {
  const systems = [...new Set(run.records.map((r) => r.system))]
  const errors = run.records.filter((r) => r.error !== undefined)
  const parts: string[] = []
  parts.push(`## Results of the last run (${run.startedAt.slice(0, 16).replace('T', ' ')} UTC)`, '')
  parts.push(`Command: \`${run.command}\`${Object.keys(run.environment).length > 0 ? ` with ${Object.entries(run.environment).map(([k, v]) => `${k}=${v ?? ''}`).join(' ')}` : ''}; ` +
    `${run.records.length} scenario runs in ${n0(run.seconds)} s. ` +
    `Machine: ${run.machine.cpu}, ${run.machine.cores} cores, ${run.machine.memoryGiB} GiB, Linux ${run.machine.kernel}; load average at the end ${run.machine.load}. ` +
    `Generators${generatorNice(run) > 0 ? ` (at nice ${generatorNice(run)}, so that they yield to the servers)` : ''}, both instances of each system and Redis share these cores.`, '')
  parts.push(`Versions: ${Object.entries(run.versions).map(([k, v]) => `${k} ${v}`).join(', ')}.`, '')
  if (Object.keys(run.webchatEnv).length > 0) parts.push(`Webchat bench settings (beyond defaults): ${Object.entries(run.webchatEnv).map(([k, v]) => `\`${k}=${v}\``).join(', ')}.`, '')
  parts.push('Scenario order (interleaved; the systems alternate which goes first in each pass), with the load average when each started:', '')
  parts.push(run.records.map((r) => `${r.pass}. ${r.scenario} ${name(r.system)} (${n0(r.seconds)} s, load ${r.load.split(' ')[0]})`).join(' · '), '')
  if (errors.length > 0) parts.push('Failed runs: ' + errors.map((r) => `pass ${r.pass} ${r.scenario} ${name(r.system)}: ${r.error}`).join('; '), '')
  parts.push('### Goals (median of the passes)', '')
  parts.push('Each goal names the peer webchat is measured against (what each peer does and does not do: see "The peers" above); *ratio* is webchat ÷ peer; *generators* is the busier generator\'s CPU share of one core while each figure was measured (webchat / peer).', '')
  parts.push(table(['goal', 'peer', 'webchat', 'peer\'s', 'ratio', 'met', 'generators'],
    [...goals(run), ...reconnectGoals(run)].map((g) => [g.goal, g.peer, g.webchat, g.other, g.ratio, g.met === null ? '' : g.met ? '**yes**' : '**no**', g.generators])), '')
  if (chartFile !== null) parts.push(`![p99 latency against offered deliveries a second](${chartFile})`, '')
  // A section only for the scenarios that ran.
  const ran = (kind: string): boolean => run.records.some((r) => r.scenario === kind && r.result !== undefined)
  const sections = { fanout: fanoutSection, rooms: roomsSection, idle: idleSection, storm: stormSection, reconnect: (r: BenchRun) => reconnectSection(r), cluster: clusterSection }
  parts.push(...Object.entries(sections).filter(([kind]) => ran(kind)).map(([, section]) => section(run, systems)))
  return parts.join('\n')
}
