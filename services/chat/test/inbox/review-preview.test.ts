import t from 'tap'
import type { InboxEntry } from '@webchat/shared'
import type { TestClient } from '../helpers/client.js'
import { ENGINES } from '../helpers/cluster.js'
import { invited } from '../helpers/inbox.js'
import { act, say } from '../helpers/lifecycle.js'
import { ask } from '../helpers/rooms.js'

// Review of issue 17: what the inbox keeps in memory for a user's connections (inbox/live.ts) is
// handed out again (`inbox` and `room` frames): it must not keep a deleted text, nor counts that
// stopped following while the connection was joined.

const pause = async (ms: number): Promise<void> => { await new Promise((resolve) => setTimeout(resolve, ms)) }
const roomFrame = async (client: TestClient, room: string, role: string): Promise<InboxEntry> => {
  const frame = await client.waitFor((f) => f.type === 'room' && (f.entry as { role?: string }).role === role &&
    (f.entry as { room: { id: string } }).room.id === room, 5000, `room ${room} with role ${role}`)
  return (frame.entry as { inbox: InboxEntry }).inbox
}

for (const kind of ENGINES) {
  t.test(`${kind}: a deleted or edited last message leaves the inbox preview of a watching device, live and in later room frames`, async (t) => {
    const { bob, ada, room } = await invited(t, kind)
    await pause(200) // the watch's subscription is made as the `room` frame goes out

    const id = await say(bob, room, 'SECRET-PASSWORD')
    await ada.waitFor((f) => f.type === 'inbox' && f.room === room && (f.inbox as InboxEntry).last?.preview === 'SECRET-PASSWORD', 1000, 'the preview')
    t.match(await act(bob, { type: 'delete', room, id }), { type: 'ack' })
    const live = await ada.waitFor((f) => f.type === 'inbox' && f.room === room && (f.inbox as InboxEntry).last?.deleted === true, 1000,
      'the deletion reaches the watching device within 1 s').catch(() => null)
    t.ok(live !== null, 'the deletion is told to the device that shows the preview')
    t.notOk(JSON.stringify(live ?? {}).includes('SECRET'), 'without the text')

    // A change of her place in the room (a role) sends its entry with the counts known here: never the deleted text.
    t.equal((await ask(bob, { type: 'set_role', room, user: 'ada', role: 'moderator' })).type, 'done')
    const entry = await roomFrame(ada, room, 'moderator')
    t.notOk(JSON.stringify(entry).includes('SECRET'), 'the room frame carries no deleted text')
    t.match(entry, { last: { id, deleted: true } })

    const edited = await say(bob, room, 'typo here')
    await ada.waitFor((f) => f.type === 'inbox' && f.room === room && (f.inbox as InboxEntry).last?.id === edited, 1000, 'the new last')
    t.match(await act(bob, { type: 'edit', room, id: edited, text: 'fixed text' }), { type: 'ack' })
    const fixed = await ada.waitFor((f) => f.type === 'inbox' && f.room === room && (f.inbox as InboxEntry).last?.preview === 'fixed text', 1000,
      'the edit reaches the preview within 1 s').catch(() => null)
    t.ok(fixed !== null, 'the edited text replaces the preview live')
  })

  t.test(`${kind}: a room frame for a joined room carries the store's counts, not those of when it was joined`, async (t) => {
    const { cluster, bob, ada, room } = await invited(t, kind)
    await cluster.join(ada, room)
    await say(bob, room, 'one')
    const two = await say(bob, room, 'two')
    await ada.waitFor((f) => f.type === 'message' && f.id === two)
    t.equal((await ask(bob, { type: 'set_role', room, user: 'ada', role: 'moderator' })).type, 'done')
    const entry = await roomFrame(ada, room, 'moderator')
    t.match(entry, { seq: 2, unread: 2, last: { id: two, preview: 'two' } }, 'two unread messages, the newest last')
  })
}
