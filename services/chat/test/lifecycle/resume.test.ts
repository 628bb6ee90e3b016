import t from 'tap'
import type { Frame } from '../helpers/client.js'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { act, byId, members, say } from '../helpers/lifecycle.js'

const ids = (frames: unknown): string[] => (frames as Frame[]).map((f) => f.id as string)

for (const kind of ENGINES) {
  t.test(`${kind}: a resume carries the changes it missed`, async (t) => {
    const cluster = await startCluster(t, kind)

    t.test('joined.changes: exactly the changes to messages before since, in log order, each once; newer messages folded', async (t) => {
      const room = 'resume-changes'
      const [ada, bob] = await members(cluster, room, [{ sub: 'ada', name: 'Ada' }, { sub: 'bob', name: 'Bob' }])
      const reader = await cluster.connect(1, { sub: 'reader', sid: 'r' })
      const first = await cluster.join(reader, room)
      const [m1, m2, m3, m4] = [await say(ada, room, 'one'), await say(ada, room, 'two'), await say(bob, room, 'three'), await say(ada, room, 'four')]
      await reader.waitForCount((f) => f.type === 'message', 4)
      await reader.close()

      const change = async (client: typeof ada, frame: Record<string, unknown>): Promise<string> => {
        const answer = await act(client, { room, ...frame })
        if (answer.type !== 'ack') throw new Error(JSON.stringify(answer))
        return answer.id as string
      }
      const e1 = await change(ada, { type: 'edit', id: m1, text: 'one v1' })
      const r2 = await change(bob, { type: 'react', id: m2, emoji: '👍' })
      const e1b = await change(ada, { type: 'edit', id: m1, text: 'one v2' })
      const d3 = await change(bob, { type: 'delete', id: m3 })
      const n5 = await say(ada, room, 'five')
      const e5 = await change(ada, { type: 'edit', id: n5, text: 'five edited' })
      const r5 = await change(bob, { type: 'react', id: n5, emoji: '🎉' })
      const n6 = await say(bob, room, 'six')
      await change(bob, { type: 'delete', id: n6 })
      const r2b = await change(ada, { type: 'react', id: m2, emoji: '🔥' })
      // Edited, then deleted while the reader was away: the edit says nothing the deletion does not.
      await change(ada, { type: 'edit', id: m4, text: 'four v1' })
      const d4 = await change(ada, { type: 'delete', id: m4 })
      t.ok(e5 !== r5)

      const back = await cluster.connect(0, { sub: 'reader', sid: 'r' })
      const resumed = await cluster.join(back, room, { since: m4, epoch: first.epoch as string })
      t.equal(resumed.recovered, true)
      t.same(ids(resumed.messages), [n5], 'the new messages: five (six was deleted), nothing from before since')
      t.match(byId(resumed.messages, n5), { text: 'five edited', reactions: [{ emoji: '🎉', users: [{ id: 'bob' }] }] }, 'folded: its edit and reaction')
      t.ok((byId(resumed.messages, n5)?.editedAt as number) > 0)
      const changes = resumed.changes as Frame[]
      t.same(ids(changes), [e1, r2, e1b, d3, r2b, d4], 'the changes to older messages, in order, each once (none of those to five and six)')
      t.match(changes, [
        { kind: 'edit', target: m1, text: 'one v2' },
        { kind: 'reaction', target: m2, emoji: '👍', reactions: [{ emoji: '👍' }, { emoji: '🔥' }] },
        { kind: 'edit', target: m1, text: 'one v2' },
        { kind: 'delete', target: m3, user: { id: 'bob' } },
        { kind: 'reaction', target: m2, emoji: '🔥' },
        { kind: 'delete', target: m4 }
      ], 'each with the state of its message now')
      t.notOk(JSON.stringify(resumed).includes('four v1'), 'nothing of the deleted message\'s edit')
      t.notOk(JSON.stringify(resumed).includes('three'), 'nor of the deleted message')

      // Resumed from a change's id: only what came after it.
      const last = await cluster.connect(1, { sub: 'reader', sid: 'r2' })
      const fromChange = await cluster.join(last, room, { since: d3, epoch: resumed.epoch as string })
      t.equal(fromChange.recovered, true)
      t.same(ids(fromChange.messages), [n5])
      t.same(ids(fromChange.changes), [r2b, d4], 'only the changes after it to messages before it')

      // Live after the resume: no replay twice.
      const live = await change(bob, { type: 'react', id: m1, emoji: '👀' })
      await back.waitFor((f) => f.type === 'change' && f.id === live)
      t.same(back.frames.filter((f) => f.type === 'change').map((f) => f.id), [live], 'live changes follow, none repeated')
      // A fresh join (no since) carries no changes: its messages are current.
      const fresh = await cluster.join(await cluster.connect(0, { sub: 'new', sid: 'n' }), room)
      t.notOk('changes' in fresh)
      t.same((fresh.messages as Frame[]).map((m) => m.text), ['one v2', 'two', 'five edited'])
    })

    t.test('a resume from the newest id, with changes only, still carries them', async (t) => {
      const room = 'resume-only-changes'
      const [ada] = await members(cluster, room, ['ada'])
      const reader = await cluster.connect(1, { sub: 'rd', sid: 'c2' })
      await cluster.join(reader, room)
      const m = await say(ada, room, 'only')
      await reader.waitFor((f) => f.type === 'message')
      const epoch = (await cluster.join(reader, room)).epoch as string
      await reader.close()
      const r = (await act(ada, { type: 'react', room, id: m, emoji: '👍' })).id
      const back = await cluster.connect(0, { sub: 'rd', sid: 'c2' })
      const resumed = await cluster.join(back, room, { since: m, epoch })
      t.same({ recovered: resumed.recovered, messages: resumed.messages }, { recovered: true, messages: [] })
      t.same(ids(resumed.changes), [r])
    })
  })
}

for (const kind of ENGINES) {
  t.test(`${kind}: a resume never hands out a change whose message's state the log no longer holds`, async (t) => {
    const cluster = await startCluster(t, kind, { env: { ROOM_HISTORY: 6 } })
    const room = 'resume-trimmed-target'
    const [ada] = await members(cluster, room, ['ada'])
    const reader = await cluster.connect(1, { sub: 'rd', sid: 'r' })
    await cluster.join(reader, room)
    const m1 = await say(ada, room, 'one')
    const reacted = await say(ada, room, 'two')
    const since = await say(ada, room, 'seen last')
    await reader.waitForCount((f) => f.type === 'message', 3)
    const epoch = (await cluster.join(reader, room)).epoch as string
    await reader.close()
    // Edited and reacted to while the reader is away, with room in the log; then newer messages trim both.
    t.equal((await act(ada, { type: 'edit', room, id: m1, text: 'one, edited' })).type, 'ack')
    t.equal((await act(ada, { type: 'react', room, id: reacted, emoji: '👍' })).type, 'ack')
    const later = [await say(ada, room, 'new 1'), await say(ada, room, 'new 2'), await say(ada, room, 'new 3')]
    t.equal((await act(ada, { type: 'edit', room, id: m1, text: 'x' })).code, 'not_found', 'one is trimmed')
    t.equal((await act(ada, { type: 'react', room, id: reacted, emoji: '👍' })).code, 'not_found', 'and two')
    const back = await cluster.connect(0, { sub: 'rd', sid: 'r' })
    const resumed = await cluster.join(back, room, { since, epoch })
    t.equal(resumed.recovered, true, 'the log still reaches back to since')
    t.same(ids(resumed.messages), later)
    for (const change of (resumed.changes ?? []) as Frame[]) {
      if (change.kind === 'edit') t.not(change.text, '', `edit ${String(change.id)}: no blank text for a message the client holds`)
      if (change.kind === 'reaction') t.not((change.reactions as unknown[]).length, 0, `reaction ${String(change.id)}: no reactions wiped`)
    }
  })
}
