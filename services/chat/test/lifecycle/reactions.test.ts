import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { act, byId, historyOf, httpMessages, liveChange, members, say } from '../helpers/lifecycle.js'

/** More distinct emoji than any bound (RGI: plain, with a skin tone, a flag, a keycap, a family). */
const EMOJI = ['👍', '❤️', '😂', '🎉', '🙏', '👀', '🔥', '✅', '🚀', '💯', '🤔', '😢', '👏🏽', '🇫🇷', '1️⃣', '👨‍👩‍👧', '🍕', '☕', '🌈', '⭐', '🐛', '🦀']

for (const kind of ENGINES) {
  t.test(`${kind}: reactions`, async (t) => {
    const cluster = await startCluster(t, kind)

    t.test('add and remove: counts and who reacted, live on both instances and after a re-join', async (t) => {
      const room = 'react-live'
      const [ada, bob] = await members(cluster, room, [{ sub: 'ada', name: 'Ada' }, { sub: 'bob', name: 'Bob' }])
      const id = await say(ada, room, 'react to me')
      const first = await act(bob, { type: 'react', room, id, emoji: '👍', clientMsgId: 'r1' })
      t.equal(first.type, 'ack')
      t.match(await liveChange(ada, id, 'reaction'), {
        type: 'change', id: first.id, kind: 'reaction', target: id, emoji: '👍', user: { id: 'bob', name: 'Bob' },
        reactions: [{ emoji: '👍', users: [{ id: 'bob', name: 'Bob' }] }]
      })
      await act(ada, { type: 'react', room, id, emoji: '👍' })
      await act(ada, { type: 'react', room, id, emoji: '🎉' })
      const both = await bob.waitFor((f) => f.type === 'change' && f.emoji === '🎉')
      t.same(both.reactions, [{ emoji: '👍', users: [{ id: 'bob', name: 'Bob' }, { id: 'ada', name: 'Ada' }] }, { emoji: '🎉', users: [{ id: 'ada', name: 'Ada' }] }], 'in the order first added')
      const removed = await act(bob, { type: 'react', room, id, emoji: '👍', remove: true })
      const change = await ada.waitFor((f) => f.type === 'change' && f.id === removed.id)
      t.match(change, { emoji: '👍', removed: true })
      const now = [{ emoji: '👍', users: [{ id: 'ada', name: 'Ada' }] }, { emoji: '🎉', users: [{ id: 'ada', name: 'Ada' }] }]
      t.same(change.reactions, now)
      const reads = {
        join: (await cluster.join(await cluster.connect(0, { sub: 'cy', sid: 'c1' }), room)).messages,
        history: await historyOf(bob, room),
        http: await httpMessages(cluster, room, 1)
      }
      for (const [how, messages] of Object.entries(reads)) t.same(byId(messages, id)?.reactions, now, how)
      // The last reaction removed: the message has none, not an empty list.
      await act(ada, { type: 'react', room, id, emoji: '👍', remove: true })
      await act(ada, { type: 'react', room, id, emoji: '🎉', remove: true })
      t.notOk('reactions' in byId(await httpMessages(cluster, room), id)!, 'no reactions left')
    })

    t.test('a repeated add, or a removal of a reaction one has not made, leaves the state as it was', async (t) => {
      const room = 'react-repeat'
      const [ada] = await members(cluster, room, [{ sub: 'ada', name: 'Ada' }])
      const id = await say(ada, room, 'once')
      await act(ada, { type: 'react', room, id, emoji: '🔥' })
      for (const frame of [{ emoji: '🔥' }, { emoji: '🔥' }, { emoji: '👀', remove: true }]) {
        t.equal((await act(ada, { type: 'react', room, id, ...frame })).type, 'ack', JSON.stringify(frame))
      }
      t.same(byId(await httpMessages(cluster, room), id)?.reactions, [{ emoji: '🔥', users: [{ id: 'ada', name: 'Ada' }] }])
    })

    t.test(`a user reacts with at most ${LIMITS.reactionsPerUser} emoji to a message`, async (t) => {
      const room = 'react-user-bound'
      const [ada] = await members(cluster, room, ['ada'])
      const id = await say(ada, room, 'many')
      for (const emoji of EMOJI.slice(0, LIMITS.reactionsPerUser)) t.equal((await act(ada, { type: 'react', room, id, emoji })).type, 'ack', emoji)
      t.match(await act(ada, { type: 'react', room, id, emoji: EMOJI[LIMITS.reactionsPerUser]!, clientMsgId: 'over' }), { type: 'error', code: 'too_many_reactions', ref: 'over' })
      t.equal((await act(ada, { type: 'react', room, id, emoji: EMOJI[0]! })).type, 'ack', 'a repeat of one of them is fine')
      t.equal((await act(ada, { type: 'react', room, id, emoji: EMOJI[0]!, remove: true })).type, 'ack')
      t.equal((await act(ada, { type: 'react', room, id, emoji: EMOJI[LIMITS.reactionsPerUser]! })).type, 'ack', 'one taken back makes room for another')
      const reactions = byId(await httpMessages(cluster, room), id)?.reactions as Array<{ emoji: string }>
      t.same(reactions.map((r) => r.emoji), EMOJI.slice(1, LIMITS.reactionsPerUser + 1))
    })

    t.test(`a message takes at most ${LIMITS.reactionsPerMessage} different emoji`, async (t) => {
      const room = 'react-message-bound'
      const users = await Promise.all(Array.from({ length: 5 }, async (_, i) => await cluster.connect(i, { sub: `r${i}`, sid: `m${i}` })))
      for (const u of users) await cluster.join(u, room)
      const id = await say(users[0]!, room, 'popular')
      const perUser = LIMITS.reactionsPerUser
      for (let n = 0; n < LIMITS.reactionsPerMessage; n++) {
        t.equal((await act(users[Math.floor(n / perUser)]!, { type: 'react', room, id, emoji: EMOJI[n]! })).type, 'ack', `emoji ${n + 1}`)
      }
      const last = users.at(-1)!
      t.match(await act(last, { type: 'react', room, id, emoji: EMOJI[LIMITS.reactionsPerMessage]!, clientMsgId: 'new' }), { type: 'error', code: 'too_many_reactions', ref: 'new' })
      t.equal((await act(last, { type: 'react', room, id, emoji: EMOJI[0]! })).type, 'ack', 'an emoji already there may still be added to')
      const reactions = byId(await httpMessages(cluster, room), id)?.reactions as Array<{ emoji: string, users: unknown[] }>
      t.equal(reactions.length, LIMITS.reactionsPerMessage)
      t.equal(reactions[0]!.users.length, 2)
    })

    t.test('members reacting to one message at the same moment are all counted, none refused', async (t) => {
      // 16 writers on two instances: each round of the guarded write lands one (changes.ts).
      const room = 'react-together'
      const users = await Promise.all(Array.from({ length: 16 }, async (_, i) => await cluster.connect(i, { sub: `t${i}`, sid: `t${i}` })))
      for (const u of users) await cluster.join(u, room)
      const id = await say(users[0]!, room, 'announcement')
      const answers = await Promise.all(users.map(async (u, i) => await act(u, { type: 'react', room, id, emoji: i % 2 === 0 ? '🎉' : '👍' })))
      const refused = answers.filter((a) => a.type !== 'ack')
      t.same(refused, [], `every reaction acknowledged (${refused.length} of ${users.length} refused)`)
      const reactions = byId(await httpMessages(cluster, room), id)?.reactions as Array<{ emoji: string, users: Array<{ id: string }> }>
      t.same(Object.fromEntries(reactions.map((r) => [r.emoji, r.users.length])), { '👍': 8, '🎉': 8 }, 'no reaction lost')
    })

    t.test('anything but one emoji is refused and stores nothing', async (t) => {
      const room = 'react-invalid'
      const [ada] = await members(cluster, room, ['ada'])
      const id = await say(ada, room, 'pick one')
      for (const emoji of ['a', ':+1:', '👍👍', '👍 ', ' ', '<b>', '1', '#', '\u200d', '👍\u0000', '👍\ufe0f\ufe0f']) {
        t.match(await act(ada, { type: 'react', room, id, emoji }), { type: 'error', code: 'invalid_reaction' }, JSON.stringify(emoji))
      }
      // Over-long: past LIMITS.reactionChars the frame's schema refuses it (named invalid_reaction
      // by the refusal's refinement); within them, the check of the emoji.
      t.match(await act(ada, { type: 'react', room, id, emoji: 'x'.repeat(LIMITS.reactionChars + 1) }), { type: 'error', code: 'invalid_reaction' })
      t.match(await act(ada, { type: 'react', room, id, emoji: '👍'.repeat(LIMITS.reactionChars) }), { type: 'error', code: 'invalid_reaction' })
      t.match(await act(ada, { type: 'react', room, id, emoji: '' }), { type: 'error', code: 'bad_frame' })
      t.notOk('reactions' in byId(await httpMessages(cluster, room), id)!)
    })

    t.test('a reaction to an unknown message, one of another room, or from a non-member: refused', async (t) => {
      const ada = await cluster.connect(0, { sub: 'ada', sid: 'n1' })
      await cluster.join(ada, 'react-a')
      await cluster.join(ada, 'react-b')
      const there = await say(ada, 'react-b', 'other room')
      t.match(await act(ada, { type: 'react', room: 'react-a', id: there, emoji: '👍' }), { type: 'error', code: 'not_found' })
      t.match(await act(ada, { type: 'react', room: 'react-a', id: '1-1', emoji: '👍' }), { type: 'error', code: 'not_found' })
      const stranger = await cluster.connect(1, { sub: 'zed', sid: 'n2' })
      t.match(await act(stranger, { type: 'react', room: 'react-b', id: there, emoji: '👍' }), { type: 'error', code: 'not_joined' })
      t.notOk('reactions' in byId(await httpMessages(cluster, 'react-b'), there)!)
    })
  })
}
