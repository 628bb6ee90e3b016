import t from 'tap'
import { type ChatMessage, countMessage, emptyInbox, type InboxEntry, LIMITS, mentions, previewOf, totalsOf } from '../src/index.js'

const ada = { id: 'ada', name: 'Ada' }
const bob = { id: 'bob', name: 'Bob' }
let ms = 1_700_000_000_000
const message = (seq: number | undefined, user = bob, extra: Partial<ChatMessage> = {}): ChatMessage =>
  ({ room: 'r', id: `${++ms}-0`, user, text: `message ${seq ?? '-'}`, ts: ms, ...(seq === undefined ? {} : { seq }), ...extra })

t.test('previewOf: whitespace runs made one space, at most LIMITS.previewChars code points', async (t) => {
  t.equal(previewOf('  hello \n\n\t world  '), 'hello world')
  t.equal(previewOf('a\u00a0\u2003b'), 'a b', 'unicode spaces too')
  t.equal(previewOf(''), '')
  t.equal(previewOf(' \n '), '')
  const exact = 'x'.repeat(LIMITS.previewChars)
  t.equal(previewOf(exact), exact, 'exactly the limit: kept whole')
  const long = previewOf('y'.repeat(LIMITS.previewChars + 1))
  t.equal([...long].length, LIMITS.previewChars)
  t.ok(long.endsWith('…'))
  // Astral characters count once and are never cut in half (no lone surrogate).
  const emoji = previewOf('😀'.repeat(LIMITS.previewChars + 5))
  t.equal([...emoji].length, LIMITS.previewChars)
  t.notMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/, 'well-formed')
})

t.test('mentions: by id or @room, never in one\'s own message', async (t) => {
  t.ok(mentions({ user: bob, mentions: ['ada'] }, 'ada'))
  t.notOk(mentions({ user: bob, mentions: ['cy'] }, 'ada'))
  t.ok(mentions({ user: bob, mentionsRoom: true }, 'ada'))
  t.notOk(mentions({ user: ada, mentions: ['ada'] }, 'ada'), 'one\'s own mention of oneself')
  t.notOk(mentions({ user: ada, mentionsRoom: true }, 'ada'), 'one\'s own @room')
  t.notOk(mentions({ user: bob }, 'ada'))
  t.notOk(mentions({ user: bob, mentionsRoom: false, mentions: [] }, 'ada'))
})

t.test('countMessage: others\' messages count up from the read number; one\'s own reads the room', async (t) => {
  let entry = emptyInbox()
  t.same(entry, { seq: 0, readSeq: 0, unread: 0, mentions: 0, lastRead: null, last: null })
  const first = message(1)
  entry = countMessage(entry, first, 'ada')
  t.same(entry, { seq: 1, readSeq: 0, unread: 1, mentions: 0, lastRead: null, last: { id: first.id, user: bob, preview: 'message 1', ts: first.ts } })
  entry = countMessage(entry, message(2, bob, { mentions: ['ada'] }), 'ada')
  entry = countMessage(entry, message(3, bob, { mentionsRoom: true }), 'ada')
  entry = countMessage(entry, message(4, bob, { mentions: ['cy'] }), 'ada')
  t.match(entry, { seq: 4, readSeq: 0, unread: 4, mentions: 2 })
  // A gap (messages this client never got): the number says how many.
  entry = countMessage(entry, message(9), 'ada')
  t.match(entry, { seq: 9, unread: 9 })
  const own = message(10, ada, { mentions: ['ada'] })
  entry = countMessage(entry, own, 'ada')
  t.same(entry, { seq: 10, readSeq: 10, unread: 0, mentions: 0, lastRead: own.id, last: { id: own.id, user: ada, preview: 'message 10', ts: own.ts } })
  t.match(countMessage(entry, message(11), 'ada'), { unread: 1, readSeq: 10 })
})

t.test('countMessage: a repeat, an older number, or a message without one changes no count', async (t) => {
  const start: InboxEntry = { seq: 5, readSeq: 3, unread: 2, mentions: 1, lastRead: '1-0', last: null }
  t.equal(countMessage(start, message(5, bob, { mentionsRoom: true }), 'ada'), start, 'the same number: a duplicate')
  t.equal(countMessage(start, message(2), 'ada'), start, 'an older one')
  const legacy = message(undefined, bob, { mentions: ['ada'] })
  const after = countMessage(start, legacy, 'ada')
  t.same({ ...after, last: null }, start, 'counts as they were')
  t.equal(after.last?.id, legacy.id, 'but it is the last message')
})

t.test('countMessage: never negative, and a message already read on another device counts nothing', async (t) => {
  // The read marker moved past what this entry has heard of (another device read messages that
  // reach this connection only now).
  const ahead: InboxEntry = { seq: 5, readSeq: 8, unread: 0, mentions: 0, lastRead: '8-0', last: null }
  const next = countMessage(ahead, message(6, bob, { mentions: ['ada'] }), 'ada')
  t.equal(next.unread, 0, 'message 6 is read already')
  t.equal(next.mentions, 0, 'and so is its mention')
  t.equal(next.seq, 6)
  t.match(countMessage(next, message(9), 'ada'), { unread: 1, seq: 9 })
})

t.test('totalsOf sums unread and mentions and counts the rooms with unread messages', async (t) => {
  t.same(totalsOf([]), { unread: 0, mentions: 0, rooms: 0 })
  const entries: Array<InboxEntry | undefined> = [
    { ...emptyInbox(), seq: 4, unread: 4, mentions: 1 },
    undefined,
    emptyInbox(),
    { ...emptyInbox(), seq: 9, readSeq: 7, unread: 2, mentions: 2 }
  ]
  t.same(totalsOf(entries), { unread: 6, mentions: 3, rooms: 2 })
  t.same(totalsOf(new Map([['a', entries[0]!]]).values()), { unread: 4, mentions: 1, rooms: 1 }, 'any iterable')
})

t.test('countMessage: a newer message numbered no higher than the entry starts the counts over (a lost log)', async (t) => {
  const entry = { seq: 7, readSeq: 5, unread: 2, mentions: 1, lastRead: '5-0', last: { id: '7-0', user: bob, preview: 'seven', ts: 7 } }
  const restarted = countMessage(entry, { room: 'r', id: '9-0', user: bob, text: 'after', ts: 9, seq: 1, mentions: ['ada'] }, 'ada')
  t.match(restarted, { seq: 1, readSeq: 0, unread: 1, mentions: 1, lastRead: null, last: { id: '9-0', preview: 'after' } })
  t.equal(countMessage(entry, { room: 'r', id: '6-0', user: bob, text: 'six', ts: 6, seq: 6 }, 'ada'), entry, 'an older message numbered lower: a repeat')
  t.equal(countMessage(entry, { room: 'r', id: '7-0', user: bob, text: 'seven', ts: 7, seq: 7 }, 'ada'), entry, 'the same message again: a repeat')
})
