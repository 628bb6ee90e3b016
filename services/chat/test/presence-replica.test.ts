import t from 'tap'
import { createReplicas } from '../src/presence-replica.js'

const value = (id: string, at = 1): string => JSON.stringify({ id, name: id.toUpperCase(), at })
const ids = (list: { members: Array<{ id: string }> } | null): string[] => (list?.members ?? []).map((m) => m.id).sort()

t.test('a room replica: whole lists, then changes since, in the order reads ran', async (t) => {
  const replicas = createReplicas()
  t.equal(replicas.known('r'), 0, 'nothing known: the first read brings every entry')
  replicas.hold('r', 1)
  const first = replicas.apply('r', { added: true, version: 10, entries: [{ member: 'ana|1', value: value('ana') }, { member: 'bob|1', value: value('bob') }] })
  t.same({ ids: ids(first), version: first?.version }, { ids: ['ana', 'bob'], version: 10 })
  t.equal(replicas.known('r'), 10)
  const next = replicas.apply('r', { added: true, version: 13, changes: [{ version: 11, member: 'cy|2', value: value('cy') }, { version: 12, member: 'bob|1', value: null }, { version: 13, member: 'dee|1', value: value('dee') }] })
  t.same({ ids: ids(next), version: next?.version }, { ids: ['ana', 'cy', 'dee'], version: 13 })
  // A read that ran before the last one (sent with the version known then) changes nothing twice.
  const late = replicas.apply('r', { added: true, version: 12, changes: [{ version: 11, member: 'cy|2', value: value('cy') }, { version: 12, member: 'bob|1', value: null }] })
  t.same({ ids: ids(late), version: late?.version }, { ids: ['ana', 'cy', 'dee'], version: 13 }, 'listed as of the newest version held')
  const older = replicas.apply('r', { added: false, version: 12, entries: [{ member: 'ana|1', value: value('ana') }] })
  t.same({ ids: ids(older), version: older?.version }, { ids: ['ana', 'cy', 'dee'], version: 13 }, 'an older whole list replaces nothing')
  const earliest = replicas.apply('r', { added: true, version: 14, changes: [{ version: 14, member: 'ana|2', value: value('ana', 0) }] })
  t.same(earliest?.earliest.get('ana'), { member: 'ana|2', at: 0 }, 'each user\'s earliest entry')
  replicas.hold('r', -1)
  t.equal(replicas.known('r'), 0, 'the last local entry gone: the replica goes')
  t.equal(replicas.apply('r', { added: true, version: 15, changes: [] }), null, 'changes with no replica to apply them to')
})
