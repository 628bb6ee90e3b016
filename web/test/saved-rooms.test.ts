import t from 'tap'
import { createRoomsStorage, DEFAULT_ROOMS, toRoomName } from '../src/model/saved-rooms.js'

t.test('rooms are kept per user and read defensively', async (t) => {
  const data = new Map<string, string>()
  const storage = createRoomsStorage({ getItem: (k) => data.get(k) ?? null, setItem: (k, v) => { data.set(k, v) } })
  t.same(storage.load('u1'), DEFAULT_ROOMS)
  storage.save('u1', ['general', 'dev'])
  t.same(storage.load('u1'), ['general', 'dev'])
  t.same(storage.load('u2'), DEFAULT_ROOMS)
  data.set('webchat:rooms:u3', '{bad json')
  t.same(storage.load('u3'), DEFAULT_ROOMS)
  data.set('webchat:rooms:u4', JSON.stringify(['ok', 'Not OK', 42, 'ok']))
  t.same(storage.load('u4'), ['ok'])
  const none = createRoomsStorage(undefined)
  none.save('u1', ['x'])
  t.same(none.load('u1'), DEFAULT_ROOMS)
})

t.test('room names from what people type', async (t) => {
  t.equal(toRoomName('  #Team Chat '), 'team-chat')
  t.equal(toRoomName('dev_ops-2'), 'dev_ops-2')
  t.equal(toRoomName('a/b'), null)
  t.equal(toRoomName(''), null)
  t.equal(toRoomName('x'.repeat(65)), null)
})
