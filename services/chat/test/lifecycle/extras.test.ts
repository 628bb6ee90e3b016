import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { act, byId, historyOf, httpMessages, members, say } from '../helpers/lifecycle.js'
import { ask } from '../helpers/rooms.js'

for (const kind of ENGINES) {
  t.test(`${kind}: replies`, async (t) => {
    const cluster = await startCluster(t, kind)

    t.test('a reply stores the quoted id and author; live and read back with a preview of what it says now', async (t) => {
      const room = 'reply-room'
      const [ada, bob] = await members(cluster, room, [{ sub: 'ada', name: 'Ada' }, { sub: 'bob', name: 'Bob' }])
      const long = `first line\n\n  ${'word '.repeat(60)}`
      const quoted = await say(ada, room, long)
      const reply = await say(bob, room, 'I agree', { replyTo: quoted })
      const preview = [...long.replace(/\s+/g, ' ').trim()].slice(0, LIMITS.previewChars - 1).join('') + '…'
      const live = await ada.waitFor((f) => f.type === 'message' && f.id === reply)
      t.same(live.replyTo, { id: quoted, user: { id: 'ada', name: 'Ada' }, preview }, 'live: id, author, a preview')
      const reads = { history: await historyOf(ada, room), http: await httpMessages(cluster, room, 1), join: (await cluster.join(bob, room)).messages }
      for (const [how, messages] of Object.entries(reads)) t.same(byId(messages, reply)?.replyTo, live.replyTo, how)
      // The quoted message edited: every read shows its new text above the reply.
      await act(ada, { type: 'edit', room, id: quoted, text: 'second   thoughts' })
      const after = { history: await historyOf(ada, room), http: await httpMessages(cluster, room, 1), join: (await cluster.join(bob, room)).messages }
      for (const [how, messages] of Object.entries(after)) {
        t.same(byId(messages, reply)?.replyTo, { id: quoted, user: { id: 'ada', name: 'Ada' }, preview: 'second thoughts' }, `${how} after the edit`)
      }
    })

    t.test('a reply to a message older than the page read still gets its preview', async (t) => {
      const room = 'reply-old'
      const [ada] = await members(cluster, room, [{ sub: 'ada', name: 'Ada' }])
      const quoted = await say(ada, room, 'way back')
      for (let i = 0; i < LIMITS.historyPage; i++) await cluster.post(room, `filler ${i}`)
      const reply = await say(ada, room, 'remember?', { replyTo: quoted })
      const messages = await httpMessages(cluster, room)
      t.notOk(byId(messages, quoted), 'the quoted message is not in the page')
      t.match(byId(messages, reply)?.replyTo, { id: quoted, preview: 'way back' })
    })

    t.test('a reply to an unknown message, or to one of another room, is not_found and stores nothing', async (t) => {
      const ada = await cluster.connect(0, { sub: 'ada', sid: 'u1' })
      await cluster.join(ada, 'reply-a')
      await cluster.join(ada, 'reply-b')
      // Ids are per room: 'here' first and apart in time, so that no id of reply-b is one of reply-a.
      await say(ada, 'reply-a', 'here')
      await sleep(3)
      const there = await say(ada, 'reply-b', 'elsewhere')
      const change = (await act(ada, { type: 'react', room: 'reply-b', id: there, emoji: '👍' })).id as string
      for (const replyTo of [there, '1-1', '9999999999999999-9999999999999999']) {
        t.match(await act(ada, { type: 'send', room: 'reply-a', text: 'x', replyTo, clientMsgId: `r-${replyTo}` }), { type: 'error', code: 'not_found', ref: `r-${replyTo}` }, replyTo)
      }
      t.match(await act(ada, { type: 'send', room: 'reply-b', text: 'x', replyTo: change }), { type: 'error', code: 'not_found' }, 'a change is no message to reply to')
      t.same((await httpMessages(cluster, 'reply-a')).map((m) => m.text), ['here'])
    })
  })

  t.test(`${kind}: mentions`, async (t) => {
    const cluster = await startCluster(t, kind)
    const room = 'mention-room'
    const [owner] = await members(cluster, room, [{ sub: 'own', name: 'Own' }])
    const mod = await cluster.connect(1, { sub: 'mod', sid: 'm' })
    const ann = await cluster.connect(1, { sub: 'ann', sid: 'a' })
    const ben = await cluster.connect(0, { sub: 'ben', sid: 'b' })
    for (const c of [mod, ann, ben]) await cluster.join(c, room)
    t.equal((await ask(owner, { type: 'set_role', room, user: 'mod', role: 'moderator' })).type, 'done')
    await members(cluster, 'elsewhere', ['out']) // a user, not of this room

    t.test('mentions of members are stored and delivered; anyone else is a bad request', async (t) => {
      const id = await say(ann, room, 'hi @ben @own', { mentions: ['ben', 'own'] })
      t.same((await ben.waitFor((f) => f.type === 'message' && f.id === id)).mentions, ['ben', 'own'])
      t.same(byId(await httpMessages(cluster, room), id)?.mentions, ['ben', 'own'])
      t.same(byId((await cluster.join(ben, room)).messages, id)?.mentions, ['ben', 'own'])
      for (const mentions of [['out'], ['ben', 'nobody'], ['ann', 'out']]) {
        const answer = await act(ann, { type: 'send', room, text: 'psst', mentions })
        t.match(answer, { type: 'error', code: 'bad_request' }, mentions.join(','))
      }
      t.match(await act(ann, { type: 'send', room, text: 'x', mentions: ['ben', 'ben'] }), { type: 'error', code: 'bad_frame' }, 'no repeats')
      t.match(await act(ann, { type: 'send', room, text: 'x', mentions: [] }), { type: 'error', code: 'bad_frame' }, 'no empty list')
      const many = Array.from({ length: LIMITS.mentionsPerMessage + 1 }, (_, i) => `u${i}`)
      t.match(await act(ann, { type: 'send', room, text: 'x', mentions: many }), { type: 'error', code: 'bad_frame' }, `at most ${LIMITS.mentionsPerMessage}`)
      t.notOk((await httpMessages(cluster, room)).some((m) => m.text === 'psst' || m.text === 'x'), 'nothing refused was stored')
    })

    t.test('@room: refused to a plain member, stored for a moderator and the owner', async (t) => {
      t.match(await act(ann, { type: 'send', room, text: '@room hey', mentionsRoom: true, clientMsgId: 'all' }), { type: 'error', code: 'forbidden', ref: 'all' })
      const byOwner = await say(owner, room, '@room meeting', { mentionsRoom: true })
      const byMod = await say(mod, room, '@room reminder', { mentionsRoom: true })
      t.equal((await ann.waitFor((f) => f.type === 'message' && f.id === byOwner)).mentionsRoom, true)
      const messages = await httpMessages(cluster, room)
      t.equal(byId(messages, byOwner)?.mentionsRoom, true)
      t.equal(byId(messages, byMod)?.mentionsRoom, true)
      t.notOk(messages.some((m) => m.text === '@room hey'))
      const plain = await say(owner, room, 'plain', { mentionsRoom: false })
      t.notOk('mentionsRoom' in byId(await httpMessages(cluster, room), plain)!, 'false is not stored')
    })
  })

  t.test(`${kind}: ROOM_MENTION_ROLES decides who may mention @room`, async (t) => {
    const cluster = await startCluster(t, kind, { env: { ROOM_MENTION_ROLES: 'member,owner' } })
    const room = 'mention-roles'
    const [owner] = await members(cluster, room, ['own'])
    const mod = await cluster.connect(1, { sub: 'mod', sid: 'm' })
    const ann = await cluster.connect(1, { sub: 'ann', sid: 'a' })
    for (const c of [mod, ann]) await cluster.join(c, room)
    t.equal((await ask(owner, { type: 'set_role', room, user: 'mod', role: 'moderator' })).type, 'done')
    t.match(await act(ann, { type: 'send', room, text: '@room', mentionsRoom: true }), { type: 'ack' }, 'a member may, now')
    t.match(await act(owner, { type: 'send', room, text: '@room', mentionsRoom: true }), { type: 'ack' })
    t.match(await act(mod, { type: 'send', room, text: '@room', mentionsRoom: true }), { type: 'error', code: 'forbidden' }, 'a moderator is not named')
  })
}
