import t from 'tap'
import { ENGINES, startCluster } from './helpers/cluster.js'

for (const kind of ENGINES) {
  t.test(`${kind}: presence entries of a crashed instance expire and a leave is broadcast`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2, env: { PRESENCE_TTL_MS: 1200, PRESENCE_INTERVAL_MS: 200 } })
    const stays = await cluster.connect(0, { sub: 'stays', name: 'Stays', sid: 'st' })
    await cluster.join(stays, 'crash')
    const doomed = await cluster.connect(1, { sub: 'doomed', name: 'Doomed', sid: 'dm' })
    await cluster.join(doomed, 'crash')
    await stays.waitFor((f) => f.type === 'presence' && f.event === 'join')
    // Entries are refreshed: after several TTLs the live user is still present.
    await new Promise((resolve) => setTimeout(resolve, 2500))
    t.equal(stays.frames.filter((f) => f.type === 'presence' && f.event === 'leave').length, 0, 'no leave while refreshed')

    // Instance 1 goes away without removing its entries (as in a crash or a restart).
    const started = Date.now()
    await cluster.apps[1]!.close()
    const leave = await stays.waitFor((f) => f.type === 'presence' && f.event === 'leave', 10_000)
    t.same(leave, { type: 'presence', room: 'crash', event: 'leave', user: { id: 'doomed', name: 'Doomed' } })
    t.ok(Date.now() - started < 1200 + 200 + 2000, `within TTL + interval (${Date.now() - started} ms)`)
    const response = await fetch(`${cluster.httpUrl(0)}/api/rooms/crash/presence`, { headers: { authorization: `Bearer ${await cluster.auth.mint()}` } })
    t.same(await response.json(), { room: 'crash', members: [{ id: 'stays', name: 'Stays' }] })
  })
}
