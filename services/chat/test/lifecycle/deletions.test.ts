import t from 'tap'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { act, byId, historyOf, httpMessages, liveChange, members, say } from '../helpers/lifecycle.js'
import { api } from '../helpers/backend-api.js'
import { ask } from '../helpers/rooms.js'

for (const kind of ENGINES) {
  t.test(`${kind}: deletions`, async (t) => {
    const cluster = await startCluster(t, kind)

    t.test('the author deletes: a live placeholder everywhere, and every read shows it deleted without its text', async (t) => {
      const room = 'del-own'
      const [ada, bob] = await members(cluster, room, [{ sub: 'ada', name: 'Ada' }, { sub: 'bob', name: 'Bob' }])
      const id = await say(ada, room, 'secret-one')
      const kept = await say(bob, room, 'kept')
      const ack = await act(ada, { type: 'delete', room, id, clientMsgId: 'd1' })
      t.match(ack, { type: 'ack', clientMsgId: 'd1' })
      for (const c of [ada, bob]) {
        const change = await liveChange(c, id, 'delete')
        t.match(change, { type: 'change', id: ack.id, room, kind: 'delete', target: id, user: { id: 'ada', name: 'Ada' } })
        t.notOk('text' in change, 'a deletion carries no text')
      }
      const reads = {
        history: await historyOf(bob, room),
        http: await httpMessages(cluster, room, 1),
        join: (await cluster.join(await cluster.connect(0, { sub: 'cy', sid: 'c1' }), room)).messages
      }
      for (const [how, messages] of Object.entries(reads)) {
        t.notOk(JSON.stringify(messages).includes('secret-one'), `${how}: the text is gone`)
        const gone = byId(messages, id)
        // Either no entry at all, or a placeholder: never the text.
        if (gone !== undefined) t.match(gone, { id, deleted: true, text: '' }, `${how}: a placeholder`)
        t.match(byId(messages, kept), { text: 'kept' }, `${how}: the others stay`)
      }
    })

    t.test('the owner and a moderator delete anyone\'s message; a plain member does not', async (t) => {
      const room = 'del-roles'
      const owner = await cluster.connect(0, { sub: 'own', sid: 'o1' })
      await cluster.join(owner, room) // first joiner: owner
      const mod = await cluster.connect(1, { sub: 'mod', sid: 'm1' })
      const member = await cluster.connect(1, { sub: 'mem', sid: 'm2' })
      const other = await cluster.connect(0, { sub: 'oth', sid: 'o2' })
      for (const c of [mod, member, other]) await cluster.join(c, room)
      t.equal((await ask(owner, { type: 'set_role', room, user: 'mod', role: 'moderator' })).type, 'done')
      const a = await say(other, room, 'first')
      const b = await say(other, room, 'second')
      const c = await say(owner, room, 'owners')
      t.match(await act(member, { type: 'delete', room, id: a, clientMsgId: 'no' }), { type: 'error', code: 'forbidden', ref: 'no' })
      t.match(await act(mod, { type: 'delete', room, id: c, clientMsgId: 'no2' }), { type: 'ack' }, 'a moderator deletes even the owner\'s message')
      t.match(await act(mod, { type: 'delete', room, id: a }), { type: 'ack' })
      t.match(await act(owner, { type: 'delete', room, id: b }), { type: 'ack' })
      t.match(await liveChange(member, b, 'delete'), { user: { id: 'own' } })
      t.same((await httpMessages(cluster, room)).filter((m) => m.deleted !== true).map((m) => m.text), [])
    })

    t.test('deleting twice: the retry gets the first ack, another delete not_found, and so does any later change', async (t) => {
      const room = 'del-twice'
      const [ada, bob] = await members(cluster, room, ['ada', 'bob'])
      const id = await say(ada, room, 'once')
      const first = await act(ada, { type: 'delete', room, id, clientMsgId: 'same' })
      t.match(await act(ada, { type: 'delete', room, id, clientMsgId: 'same' }), { type: 'ack', id: first.id })
      t.match(await act(ada, { type: 'delete', room, id, clientMsgId: 'again' }), { type: 'error', code: 'not_found' })
      t.match(await act(ada, { type: 'edit', room, id, text: 'back' }), { type: 'error', code: 'not_found' })
      t.match(await act(bob, { type: 'react', room, id, emoji: '👍' }), { type: 'error', code: 'not_found' })
      t.match(await act(bob, { type: 'send', room, text: 'reply', replyTo: id }), { type: 'error', code: 'not_found' }, 'no reply to a deleted message')
      await say(ada, room, 'barrier')
      await bob.waitFor((f) => f.type === 'message' && f.text === 'barrier')
      t.equal(bob.frames.filter((f) => f.type === 'change').length, 1, 'one deletion went out')
    })

    t.test('an edit racing a deletion: the message ends deleted and its texts are nowhere', async (t) => {
      const room = 'del-race'
      const [owner, ada] = await members(cluster, room, ['own', 'ada'])
      for (let round = 0; round < 5; round++) {
        const id = await say(ada, room, `race ${round}`)
        const [edit, removal] = await Promise.all([
          act(ada, { type: 'edit', room, id, text: `RACED-EDIT-${round}` }),
          act(owner, { type: 'delete', room, id })
        ])
        t.equal(removal.type, 'ack', `round ${round}: the deletion goes through`)
        t.ok(edit.type === 'ack' || edit.code === 'not_found', `round ${round}: the edit is acknowledged or finds no message (${String(edit.code ?? edit.type)})`)
      }
      const messages = await httpMessages(cluster, room)
      t.notOk(JSON.stringify(messages).includes('race '), 'no original text')
      t.notOk(JSON.stringify(messages).includes('RACED-EDIT'), 'no edited text')
      const states = await cluster.engine.maps.all(`room-states:${room}`)
      t.notOk(JSON.stringify(states).includes('RACED-EDIT'), 'nor in the states map')
    })

    t.test('a reply to a message deleted since shows that it was deleted', async (t) => {
      const room = 'del-reply'
      const [ada, bob] = await members(cluster, room, ['ada', { sub: 'bob', name: 'Bob' }])
      const quoted = await say(ada, room, 'quoted-text')
      const reply = await say(bob, room, 'answer', { replyTo: quoted })
      await act(ada, { type: 'delete', room, id: quoted })
      const reads = { history: await historyOf(bob, room), http: await httpMessages(cluster, room), join: (await cluster.join(ada, room)).messages }
      for (const [how, messages] of Object.entries(reads)) {
        t.match(byId(messages, reply), { text: 'answer', replyTo: { id: quoted, user: { id: 'ada' }, deleted: true } }, how)
        t.notOk(JSON.stringify(messages).includes('quoted-text'), `${how}: no preview of it`)
      }
    })
  })

  t.test(`${kind}: a muted member may delete their own message, an archived room refuses it`, async (t) => {
    const cluster = await startCluster(t, kind)
    const room = 'del-muted'
    const [owner, bob] = await members(cluster, room, ['own', 'bob'])
    const id = await say(bob, room, 'regret')
    const other = await say(bob, room, 'other')
    t.equal((await ask(owner, { type: 'mute', room, user: 'bob', minutes: 5 })).type, 'done')
    await bob.waitFor((f) => f.type === 'room' && (f.entry as { mutedUntil?: string }).mutedUntil !== undefined, 5000, 'the mute reached bob')
    t.match(await act(bob, { type: 'edit', room, id: other, text: 'x' }), { type: 'error', code: 'muted' }, 'no edit while muted')
    t.match(await act(bob, { type: 'react', room, id: other, emoji: '👍' }), { type: 'error', code: 'muted' }, 'no reaction while muted')
    t.match(await act(bob, { type: 'delete', room, id }), { type: 'ack' })
    t.equal((await api(cluster, 'PATCH', `/api/rooms/${room}`, { archived: true })).status, 200)
    await owner.waitFor((f) => f.type === 'room' && (f.entry as { room: { archived: boolean } }).room.archived, 5000, 'the archiving reached the owner')
    for (const frame of [{ type: 'delete', id: other }, { type: 'edit', id: other, text: 'y' }, { type: 'react', id: other, emoji: '👍' }]) {
      t.match(await act(owner, { room, ...frame }), { type: 'error', code: 'archived' }, `${frame.type} in an archived room, even by its owner`)
    }
    t.match(byId(await httpMessages(cluster, room), other), { text: 'other' })
  })
}
