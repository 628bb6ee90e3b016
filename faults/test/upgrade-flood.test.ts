import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { SUBPROTOCOL } from '@webchat/shared'
import { openBystanders } from '../src/bystanders.js'
import { claims, sign } from '../src/forge.js'
import { percentile, report } from '../src/figures.js'
import { createKeyPair } from '../src/keys.js'
import { PUBLIC_ORIGIN, startStack } from '../src/stack.js'
import { floodUpgrades, type AttemptKind } from '../src/upgrade-flood.js'

const ATTEMPTS = 10_000
const IN_FLIGHT = 200

t.test('10,000 unauthenticated upgrade attempts while clients chat', async (t) => {
  const stack = await startStack(t)
  const { traffic, latenciesBetween } = await openBystanders(t, stack, { size: 4, room: 'calm', label: 'calm' })

  // What an attacker without a valid token can offer; every kind is refused before the upgrade.
  const mallory = await createKeyPair()
  const forgedUnknownKid = await sign(mallory.privateKey, { kid: 'not-a-known-kid' }, claims())
  const forgedRealKid = await sign(mallory.privateKey, { kid: stack.signingKey.kid }, claims())
  const kinds: AttemptKind[] = [
    { name: 'no token', protocol: SUBPROTOCOL, origin: PUBLIC_ORIGIN },
    { name: 'no subprotocol, no token', origin: PUBLIC_ORIGIN },
    { name: 'garbage token', protocol: `${SUBPROTOCOL}, x.y.z`, origin: PUBLIC_ORIGIN },
    { name: 'garbage query token', origin: PUBLIC_ORIGIN, query: 'token=abc.def.ghi' },
    { name: 'forged, unknown kid', protocol: `${SUBPROTOCOL}, ${forgedUnknownKid}`, origin: PUBLIC_ORIGIN },
    { name: 'forged, real kid', protocol: `${SUBPROTOCOL}, ${forgedRealKid}`, origin: PUBLIC_ORIGIN },
    { name: 'other subprotocol', protocol: 'chat, superchat', origin: PUBLIC_ORIGIN },
    { name: 'foreign origin', protocol: SUBPROTOCOL, origin: 'https://evil.example' },
    { name: 'no origin', protocol: SUBPROTOCOL }
  ]

  await sleep(3000)
  const floodFrom = Date.now()
  const statuses = await floodUpgrades({ targets: stack.chats.map((c) => c.wsUrl), kinds, count: ATTEMPTS, inFlight: IN_FLIGHT })
  const floodTo = Date.now()
  await sleep(1000)
  traffic.stop()
  await traffic.settled(15_000)

  const byKind: Record<string, Record<number, number>> = {}
  for (const { kind, status } of statuses) {
    byKind[kind] ??= {}
    byKind[kind][status] = (byKind[kind][status] ?? 0) + 1
  }
  const switched = statuses.filter((s) => s.status === 101).length
  const unanswered = statuses.filter((s) => s.status === 0).length
  const baseline = latenciesBetween(0, floodFrom - 1)
  const during = latenciesBetween(floodFrom, floodTo)
  t.equal(switched, 0, 'no 101 among them')
  t.equal(unanswered, 0, 'every attempt answered')
  t.same(Object.keys(byKind).sort(), kinds.map((k) => k.name).sort())
  for (const [kind, counts] of Object.entries(byKind)) {
    t.ok(Object.keys(counts).every((s) => ['400', '401', '403'].includes(s)), `${kind}: ${JSON.stringify(counts)}`)
  }
  t.ok(during.length >= 20, `${during.length} messages delivered during the flood`)
  t.ok(percentile(during, 99) < 250, `connected clients' p99 latency ${percentile(during, 99)} ms during the flood (baseline ${percentile(baseline, 99)} ms)`)
  t.equal(traffic.records.filter((r) => r.failed !== undefined).length, 0, 'no send failed')
  for (const proc of stack.procs()) t.equal(proc.exit, undefined, `${proc.name} running`)
  report(t, 'upgrade-flood', {
    attempts: ATTEMPTS,
    inFlight: IN_FLIGHT,
    floodMs: floodTo - floodFrom,
    perSecond: Math.round(ATTEMPTS / ((floodTo - floodFrom) / 1000)),
    switched,
    baselineP99Ms: percentile(baseline, 99),
    floodP99Ms: percentile(during, 99),
    floodMaxMs: Math.max(...during)
  })
})
