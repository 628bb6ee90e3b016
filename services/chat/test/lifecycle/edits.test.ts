import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { LIMITS } from '@webchat/shared'
import type { Frame } from '../helpers/client.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { ask } from '../helpers/rooms.js'
import { act, byId, historyOf, httpMessages, liveChange, members, say } from '../helpers/lifecycle.js'

for (const kind of ENGINES) {
  t.test(`${kind}: edits`, async (t) => {
    const cluster = await startCluster(t, kind)

    t.test('the author edits within the window: live to every member on both instances, and in every read', async (t) => {
      const room = 'edit-live'
      const ada = await cluster.connect(0, { sub: 'ada', name: 'Ada', sid: 'a1' })
      const adaThere = await cluster.connect(1, { sub: 'ada', name: 'Ada', sid: 'a2' })
      const bob = await cluster.connect(1, { sub: 'bob', name: 'Bob', sid: 'b1' })
      for (const c of [ada, adaThere, bob]) await cluster.join(c, room)
      const id = await say(ada, room, 'helo wrld')
      const before = Date.now()
      const ack = await act(ada, { type: 'edit', room, id, text: 'hello world', clientMsgId: 'e1' })
      t.match(ack, { type: 'ack', clientMsgId: 'e1' })
      t.not(ack.id, id, 'the change has its own id in the log')
      for (const c of [ada, adaThere, bob]) {
        const change = await liveChange(c, id, 'edit')
        t.match(change, { type: 'change', id: ack.id, room, kind: 'edit', target: id, user: { id: 'ada', name: 'Ada' }, text: 'hello world', clientMsgId: 'e1' })
        t.ok((change.editedAt as number) >= before && (change.editedAt as number) <= Date.now(), 'editedAt is the time of the edit')
      }
      const editedAt = (await liveChange(bob, id, 'edit')).editedAt
      const reads = {
        history: byId(await historyOf(bob, room), id),
        http: byId(await httpMessages(cluster, room, 1), id),
        join: byId((await cluster.join(await cluster.connect(0, { sub: 'cy', sid: 'c1' }), room)).messages, id)
      }
      for (const [how, message] of Object.entries(reads)) {
        t.match(message, { id, text: 'hello world', editedAt, user: { id: 'ada' } }, `${how} shows the current text`)
        t.notOk(JSON.stringify(message).includes('helo wrld'), `${how} holds nothing of the old text`)
      }
      t.equal(bob.frames.filter((f) => f.type === 'error').length, 0)
    })

    t.test('editing someone else\'s message is forbidden and changes nothing', async (t) => {
      const room = 'edit-forbidden'
      const [ada, bob] = await members(cluster, room, ['ada', 'bob'])
      const id = await say(ada, room, 'mine')
      t.match(await act(bob, { type: 'edit', room, id, text: 'pwned', clientMsgId: 'steal' }), { type: 'error', code: 'forbidden', ref: 'steal' })
      // Even as the owner's moderator: editing stays the author's.
      t.equal((await ask(ada, { type: 'set_role', room, user: 'bob', role: 'moderator' })).type, 'done')
      t.match(await act(bob, { type: 'edit', room, id, text: 'pwned', clientMsgId: 'steal2' }), { type: 'error', code: 'forbidden', ref: 'steal2' }, 'a moderator may not edit either')
      t.same((await httpMessages(cluster, room)).map((m) => [m.text, m.editedAt]), [['mine', undefined]])
      t.equal(ada.frames.filter((f) => f.type === 'change').length, 0, 'no change went out')
    })

    t.test('an unknown id, an id of another room, a change\'s own id: not_found', async (t) => {
      const ada = await cluster.connect(0, { sub: 'ada', sid: 'n1' })
      await cluster.join(ada, 'edit-here')
      await cluster.join(ada, 'edit-there')
      // Ids are per room (each log numbers its own): apart in time, so that no id of one room is in the other.
      const here = await say(ada, 'edit-here', 'here')
      await sleep(3)
      const there = await say(ada, 'edit-there', 'there')
      await sleep(3)
      const change = (await act(ada, { type: 'edit', room: 'edit-here', id: here, text: 'here!' })).id as string
      t.not(there, here)
      const [ms] = here.split('-')
      for (const id of [there, `${ms!}-99`, '1-0', '0-0', change, '9999999999999999-9999999999999999']) {
        t.match(await act(ada, { type: 'edit', room: 'edit-here', id, text: 'x', clientMsgId: `nf-${id}` }), { type: 'error', code: 'not_found', ref: `nf-${id}` }, id)
      }
      t.same((await httpMessages(cluster, 'edit-there')).map((m) => m.text), ['there'])
      t.same((await httpMessages(cluster, 'edit-here')).map((m) => m.text), ['here!'])
    })

    t.test('the same clientMsgId twice is one change, acknowledged with one id, also after a refusal', async (t) => {
      const room = 'edit-idem'
      const [ada, bob] = await members(cluster, room, ['ada', 'bob'])
      const id = await say(ada, room, 'v0')
      const first = await act(ada, { type: 'edit', room, id, text: 'v1', clientMsgId: 'same' })
      const second = await act(ada, { type: 'edit', room, id, text: 'v1', clientMsgId: 'same' })
      t.equal(second.type, 'ack')
      t.equal(second.id, first.id)
      // A retry carrying other text is still the first edit: idempotency is by clientMsgId.
      const third = await act(ada, { type: 'edit', room, id, text: 'v2', clientMsgId: 'same' })
      t.equal(third.id, first.id)
      // A refused edit (someone else's message) retried: refused again, nothing stored.
      const bobs = await say(bob, room, 'bob says')
      t.match(await act(ada, { type: 'edit', room, id: bobs, text: 'x', clientMsgId: 'refused' }), { code: 'forbidden' })
      t.match(await act(ada, { type: 'edit', room, id: bobs, text: 'x', clientMsgId: 'refused' }), { code: 'forbidden' })
      await say(ada, room, 'barrier')
      await bob.waitFor((f) => f.type === 'message' && f.text === 'barrier')
      t.equal(bob.frames.filter((f) => f.type === 'change').length, 1, 'one change went out')
      t.same((await httpMessages(cluster, room)).map((m) => m.text), ['v1', 'bob says', 'barrier'])
      // Once the message is deleted, a retry of the edit still gets its ack (not not_found).
      await act(ada, { type: 'delete', room, id })
      t.match(await act(ada, { type: 'edit', room, id, text: 'v1', clientMsgId: 'same' }), { type: 'ack', id: first.id })
    })

    t.test(`a message takes at most LIMITS.editsPerMessage (${LIMITS.editsPerMessage}) edits`, async (t) => {
      const room = 'edit-many'
      const [ada] = await members(cluster, room, ['ada'])
      const id = await say(ada, room, 'v0')
      const edit = async (text: string): Promise<Frame> => {
        for (;;) {
          const answer = await act(ada, { type: 'edit', room, id, text })
          // The send rate (which changes share) says so in its message; wait it out.
          if (answer.type !== 'error' || !String(answer.message).includes('too fast')) return answer
          await sleep(120)
        }
      }
      for (let i = 1; i <= LIMITS.editsPerMessage; i++) t.equal((await edit(`v${i}`)).type, 'ack', `edit ${i}`)
      t.match(await edit('one more'), { type: 'error', code: 'rate_limited' })
      t.match(byId(await httpMessages(cluster, room), id), { text: `v${LIMITS.editsPerMessage}` })
    })

    t.test('an empty or blank text is a bad frame; an over-long one text_too_long, as for a send', async (t) => {
      const room = 'edit-empty'
      const [ada] = await members(cluster, room, ['ada'])
      const id = await say(ada, room, 'text')
      for (const [text, code] of [['', 'bad_frame'], ['   \n', 'bad_frame'], ['x'.repeat(4001), 'text_too_long']] as const) {
        t.match(await act(ada, { type: 'edit', room, id, text }), { type: 'error', code }, JSON.stringify(text.slice(0, 5)))
      }
      t.same((await httpMessages(cluster, room)).map((m) => [m.text, m.editedAt]), [['text', undefined]])
    })
  })

  t.test(`${kind}: an edit past EDIT_WINDOW_MINUTES is refused`, async (t) => {
    const cluster = await startCluster(t, kind, { env: { EDIT_WINDOW_MINUTES: 0 } })
    const room = 'edit-late'
    const ada = await cluster.connect(0, { sub: 'ada', sid: 'l1' })
    t.equal(ada.frames[0]!.editWindowMs, 0, 'ready tells the client the window')
    await cluster.join(ada, room)
    const id = await say(ada, room, 'too late')
    await sleep(5)
    t.match(await act(ada, { type: 'edit', room, id, text: 'fixed', clientMsgId: 'late' }), { type: 'error', code: 'edit_window_passed', ref: 'late' })
    t.same((await httpMessages(cluster, room)).map((m) => [m.text, m.editedAt]), [['too late', undefined]])
    // Deleting and reacting have no window.
    t.match(await act(ada, { type: 'react', room, id, emoji: '👍' }), { type: 'ack' })
    t.match(await act(ada, { type: 'delete', room, id }), { type: 'ack' })
  })
}
