import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { insertMention, mentionQuery, mentionsIn, ROOM_MENTION, suggestions } from '../src/model/mentions.js'

const people = [{ id: 'me', name: 'Mia' }, { id: 'b', name: 'Ben Okafor' }, { id: 'a', name: 'Ana' }, { id: 'o', name: 'Olga Benn' }, { id: 'x', name: '' }]

t.test('the @ being typed before the caret', async (t) => {
  t.same(mentionQuery('hi @be', 6), { start: 3, query: 'be' })
  t.same(mentionQuery('@', 1), { start: 0, query: '' })
  t.same(mentionQuery('hi @Ben Ok', 10), { start: 3, query: 'Ben Ok' }, 'a name may hold spaces')
  t.equal(mentionQuery('mail me@example', 15), null, 'an @ inside a word is no mention')
  t.equal(mentionQuery('@ben\nok', 7), null, 'not across lines')
  t.equal(mentionQuery('hi @ben there', 2), null, 'only before the caret')
  t.equal(mentionQuery(`@${'x'.repeat(LIMITS.nameChars + 1)}`, LIMITS.nameChars + 2), null, 'longer than any name')
})

t.test('suggestions: names starting with it first, then a word of them; never me; @room when allowed', async (t) => {
  t.same(suggestions(people, 'ben', 'me', false).map((s) => s.id), ['b', 'o'])
  t.same(suggestions(people, '', 'me', false).map((s) => s.id), ['a', 'b', 'o'], 'nameless invitees are left out')
  t.same(suggestions(people, 'r', 'me', true), [{ id: ROOM_MENTION, name: 'room' }])
  t.same(suggestions(people, 'r', 'me', false), [])
  t.same(suggestions(people, 'MI', 'x', false).map((s) => s.id), ['me'], 'case does not matter')
})

t.test('picking inserts the name and the message names whom it still mentions', async (t) => {
  const text = 'hello @be and more'
  const at = mentionQuery(text, 9)!
  t.same(insertMention(text, at, 9, 'Ben Okafor'), { text: 'hello @Ben Okafor  and more', caret: 18 })
  const picked = new Map([['b', 'Ben Okafor'], ['a', 'Ana'], [ROOM_MENTION, 'room']])
  t.same(mentionsIn('hi @Ben Okafor, and @room', picked), { mentions: ['b'], mentionsRoom: true })
  t.same(mentionsIn('hi @Anastasia', picked), { mentions: [], mentionsRoom: false }, 'a longer name is not the one picked')
  t.same(mentionsIn('@Ana!', new Map([['a', 'Ana'], ['q', 'A.b (c)']])), { mentions: ['a'], mentionsRoom: false }, 'names are matched literally')
})
