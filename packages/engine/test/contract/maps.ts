import type { Test } from 'tap'
import type { Setup } from './support.js'

export function mapsContract (t: Test, setup: Setup): void {
  t.test('maps: fields are set, read one, many or all, counted and deleted', async (t) => {
    const { maps } = await setup(t)
    t.equal(await maps.get('room', 'meta'), null, 'a missing map has no fields')
    t.same(await maps.all('room'), {})
    t.equal(await maps.count('room'), 0)
    t.equal(await maps.write('room', { set: { meta: '{"kind":"private"}', 'm:ana': 'owner' } }), 'ok')
    t.equal(await maps.get('room', 'meta'), '{"kind":"private"}')
    t.same(await maps.getMany('room', ['m:ana', 'm:bo', 'meta']), ['owner', null, '{"kind":"private"}'], 'in order, null where absent')
    t.same(await maps.getMany('room', []), [])
    t.same(await maps.all('room'), { meta: '{"kind":"private"}', 'm:ana': 'owner' })
    t.equal(await maps.count('room'), 2)
    t.equal(await maps.write('room', { set: { 'm:bo': 'member' }, delete: ['m:ana'] }), 'ok', 'set and delete in one step')
    t.same(await maps.all('room'), { meta: '{"kind":"private"}', 'm:bo': 'member' })
    t.equal(await maps.write('room', { delete: ['m:nobody'] }), 'ok', 'deleting a missing field is no error')
    t.equal(await maps.write('room', { delete: ['meta', 'm:bo'] }), 'ok')
    t.same(await maps.all('room'), {}, 'a map without fields is gone')
    t.equal(await maps.drop('room'), false)
    await maps.write('other', { set: { a: '1' } })
    t.equal(await maps.drop('other'), true, 'drop removes the whole map')
    t.equal(await maps.count('other'), 0)
    t.equal(await maps.write('unicode', { set: { 'm:é🙂': 'ü\u0000x' } }), 'ok')
    t.equal(await maps.get('unicode', 'm:é🙂'), 'ü\u0000x', 'any string, as it was')
  })

  t.test('maps: a guarded write applies only while every expected field holds its value', async (t) => {
    const { maps } = await setup(t)
    await maps.write('room', { set: { owner: 'ana', 'm:ana': 'owner', 'm:bo': 'member' } })
    const handOver = { set: { owner: 'bo', 'm:ana': 'member', 'm:bo': 'owner' }, expect: { owner: 'ana', 'm:bo': 'member' } }
    t.equal(await maps.write('room', { set: { 'm:bo': 'moderator' }, expect: { 'm:bo': 'member' } }), 'ok')
    t.equal(await maps.write('room', handOver), 'conflict', 'a field changed since it was read: nothing applied')
    t.same(await maps.all('room'), { owner: 'ana', 'm:ana': 'owner', 'm:bo': 'moderator' })
    t.equal(await maps.write('room', { ...handOver, expect: { owner: 'ana', 'm:bo': 'moderator' } }), 'ok')
    t.same(await maps.all('room'), { owner: 'bo', 'm:ana': 'member', 'm:bo': 'owner' })
    t.equal(await maps.write('room', { set: { 'm:cy': 'member' }, expect: { 'm:cy': null } }), 'ok', 'null expects absence')
    t.equal(await maps.write('room', { set: { 'm:cy': 'member' }, expect: { 'm:cy': null } }), 'conflict', 'present now')
    t.equal(await maps.write('room', { delete: ['m:cy'], expect: { 'ban:cy': null, 'm:cy': 'member' } }), 'ok')
    const racing = await Promise.all(Array.from({ length: 10 }, async (_, i) =>
      await maps.write('room', { set: { owner: `u${i}` }, expect: { owner: 'bo' } })))
    t.equal(racing.filter((r) => r === 'ok').length, 1, 'of 10 concurrent guarded writes one applies')
  })

  t.test('maps: maxFields refuses a write that would leave more fields, counting what it adds and removes', async (t) => {
    const { maps } = await setup(t)
    t.equal(await maps.write('roster', { set: { a: '1', b: '1' }, maxFields: 2 }), 'ok')
    t.equal(await maps.write('roster', { set: { c: '1' }, maxFields: 2 }), 'full', 'a third field')
    t.same(await maps.all('roster'), { a: '1', b: '1' }, 'nothing applied')
    t.equal(await maps.write('roster', { set: { a: '2' }, maxFields: 2 }), 'ok', 'overwriting adds no field')
    t.equal(await maps.write('roster', { set: { c: '1' }, delete: ['a'], maxFields: 2 }), 'ok', 'one in, one out')
    t.equal(await maps.write('roster', { set: { d: '1' }, delete: ['missing'], maxFields: 2 }), 'full', 'deleting a missing field frees nothing')
    t.equal(await maps.write('roster', { set: { d: '1' }, expect: { b: 'x' }, maxFields: 2 }), 'conflict', 'a conflict is told before fullness')
    const racing = await Promise.all(Array.from({ length: 10 }, async (_, i) => await maps.write('bounded', { set: { [`f${i}`]: '1' }, maxFields: 4 })))
    t.equal(racing.filter((r) => r === 'ok').length, 4, 'concurrent writes never pass the bound')
    t.equal(await maps.count('bounded'), 4)
  })

  t.test('maps: a count field moves with the change, bounded, and concurrent adds all count', async (t) => {
    const { maps } = await setup(t)
    t.equal(await maps.write('roster', { set: { 'm:a': 'x' }, count: { field: 'n', by: 1, max: 3 } }), 'ok')
    t.equal(await maps.get('roster', 'n'), '1', 'absent counts as 0')
    const racing = await Promise.all(['b', 'c', 'd', 'e'].map(async (u) =>
      await maps.write('roster', { set: { [`m:${u}`]: 'x' }, expect: { [`m:${u}`]: null }, count: { field: 'n', by: 1, max: 3 } })))
    t.equal(racing.filter((r) => r === 'ok').length, 2, 'two more fit under 3, whatever the order')
    t.equal(await maps.get('roster', 'n'), '3')
    t.equal(await maps.count('roster'), 4, 'three members and the count')
    t.equal(await maps.write('roster', { delete: ['m:a'], count: { field: 'n', by: -1 } }), 'ok')
    t.equal(await maps.get('roster', 'n'), '2')
    t.equal(await maps.write('empty', { count: { field: 'n', by: -1 } }), 'full', 'never below 0')
    t.equal(await maps.write('fresh', { set: { x: '1' }, count: { field: 'n', by: 1 }, maxFields: 1 }), 'full', 'the count field counts toward maxFields when it is new')
    t.equal(await maps.write('fresh', { set: { x: '1' }, count: { field: 'n', by: 1 }, maxFields: 2 }), 'ok')
    await t.rejects(maps.write('roster', { set: { n: '5' }, count: { field: 'n', by: 1 } }), RangeError, 'the count field set as well')
    await t.rejects(maps.write('roster', { count: { field: 'n', by: 0.5 } }), RangeError)
  })

  t.test('maps: bad changes are refused before anything is written', async (t) => {
    const { maps } = await setup(t)
    await t.rejects(maps.write('m', { set: { a: '1' }, delete: ['a'] }), RangeError, 'a field set and deleted')
    await t.rejects(maps.write('m', { set: { a: '1' }, maxFields: 0 }), RangeError)
    await t.rejects(maps.write('m', { set: { a: 5 as unknown as string } }), RangeError)
    t.equal(await maps.count('m'), 0)
  })
}
