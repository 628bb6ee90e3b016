import t from 'tap'
import { names } from '../src/names.js'
import { ENGINES, eventually, startCluster } from './helpers/cluster.js'

for (const kind of ENGINES) {
  t.test(`${kind}: a socket given members while a user's entry had expired unswept is told the join when a refresh brings it back`, async (t) => {
    // Instance 1 refreshes its entries every second but they live 200 ms: each is hidden (past its
    // TTL) most of the time and brought back by each refresh, as after a stall or an engine outage.
    // Instance 0 never sweeps (no tick within the test) and its own entries outlive the test.
    const cluster = await startCluster(t, kind, {
      instances: 2,
      envOf: (i) => i === 0 ? { PRESENCE_TTL_MS: 60_000, PRESENCE_INTERVAL_MS: 3_600_000 } : { PRESENCE_TTL_MS: 200, PRESENCE_INTERVAL_MS: 1000 }
    })
    const set = names.presenceSet('revive')
    const away = await cluster.connect(1, { sub: 'away', name: 'Away', sid: 'aw' })
    const other = await cluster.connect(1, { sub: 'other', name: 'Other', sid: 'ot' })
    const late = await cluster.connect(0, { sub: 'late', name: 'Late', sid: 'lt' })
    await cluster.join(away, 'revive')
    await cluster.join(other, 'revive')
    // Joins at the start of a hidden spell (800 ms long), which only a sweep or the next refresh ends.
    await eventually(async () => (await cluster.engine.presence.members(set)).length === 0, 3000, 'the entries past their TTL')
    const joined = await cluster.join(late, 'revive')
    t.same(joined.members, [{ id: 'late', name: 'Late' }], 'the hidden entries are left out of the members')

    // Both come back in one refresh (read once for their room): each is told, as a new member.
    const told = new Map<string, unknown>()
    await late.waitFor((f) => {
      if (f.type !== 'presence') return false
      for (const change of [{ event: f.event, user: f.user }, ...f.more ?? []]) told.set(change.user.id, change)
      return told.size === 2
    }, 3000, 'the revived users\' joins')
    t.same(told.get('away'), { event: 'join', user: { id: 'away', name: 'Away' } }, 'told the join of one')
    t.same(told.get('other'), { event: 'join', user: { id: 'other', name: 'Other' } }, 'and of the other')
  })
}
