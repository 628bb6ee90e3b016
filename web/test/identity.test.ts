import { randomBytes } from 'node:crypto'
import t from 'tap'
import { colorClass } from '../src/model/avatar.js'
import { fullName, nameKey, sharedNames, tagIfShared, userTag } from '../src/model/identity.js'
import { namedPeople } from '../src/model/room-people.js'
import { applyJoined, applyMessage, createRoomState } from '../src/model/room-state.js'

const ids = Array.from({ length: 4000 }, () => randomBytes(12).toString('base64url'))

t.test('a tag is five unambiguous characters, stable for an id, different for others', async (t) => {
  for (const id of ids.slice(0, 200)) {
    t.match(userTag(id), /^[0-9A-HJKMNP-TV-Z]{5}$/)
    t.equal(userTag(id), userTag(id))
  }
  t.ok(new Set(ids.map(userTag)).size >= ids.length - 2, 'almost no two of 4000 users share a tag')
  t.not(userTag('u1'), userTag('u2'), 'ids one character apart')
  t.equal(fullName({ id: 'u1', name: 'Ada' }), `Ada #${userTag('u1')}`)
})

t.test('avatar colors come from the id, spread over all eight', async (t) => {
  const counts = new Map<string, number>()
  for (const id of ids) counts.set(colorClass(id), (counts.get(colorClass(id)) ?? 0) + 1)
  t.same([...counts.keys()].sort(), ['av-0', 'av-1', 'av-2', 'av-3', 'av-4', 'av-5', 'av-6', 'av-7'])
  for (const [color, n] of counts) t.ok(n > ids.length / 8 * 0.8 && n < ids.length / 8 * 1.2, `${color}: ${n}`)
})

t.test('names that look alike have one key', async (t) => {
  const ada = nameKey('Ada Lovelace')
  for (const alike of ['ada lovelace', 'ADA LOVELACE', 'Ada  Lovelace', 'AdaLovelace', 'Ádá Lövelace', 'Ａｄａ Ｌｏｖｅｌａｃｅ', 'Ada Lovelace.', 'Ada\u200BLovelace', 'Ada\u202ELovelace']) {
    t.equal(nameKey(alike), ada, JSON.stringify(alike))
  }
  t.not(nameKey('Ada Byron'), ada)
  t.not(nameKey('محمد'), nameKey('علي'))
})

t.test('only people who share a name get their tag shown', async (t) => {
  const ada1 = { id: 'ada-1', name: 'Ada Lovelace' }
  const ada2 = { id: 'ada-2', name: 'ada lovelace' }
  const ben = { id: 'ben', name: 'Ben' }
  const shared = sharedNames([ada1, ben, ada1, ada2])
  t.equal(tagIfShared(ada1, shared), userTag('ada-1'))
  t.equal(tagIfShared(ada2, shared), userTag('ada-2'))
  t.equal(tagIfShared(ben, shared), undefined)
  t.equal(sharedNames([ada1, ben, ada1]).size, 0, 'one person seen twice shares with nobody')
  t.equal(sharedNames([ada2, ada1], shared), shared, 'the same keys: the same set, so nothing redraws')
  t.not(sharedNames([ada1, ben, { id: 'ben-2', name: 'Ben' }], shared), shared)
})

t.test('a room names me, its members, the authors of its messages, readers and typists', async (t) => {
  const message = (id: string, user: string, name: string) => ({ room: 'r', id, user: { id: user, name }, text: 'hi', ts: 1 })
  let room = applyJoined(createRoomState('r'), { members: [{ id: 'ada-1', name: 'Ada' }], messages: [message('1-0', 'gone', 'Ada')], recovered: false, lastRead: null }, 'me')
  room = applyMessage(room, message('2-0', 'ben', 'Ben'), 'me')
  const people = [...namedPeople(room, { id: 'me', name: 'Me' })]
  t.same(people.map((p) => p.id), ['me', 'ada-1', 'gone', 'ben'])
  t.ok(sharedNames(people).has(nameKey('Ada')), 'a past author with a member\'s name')
})
