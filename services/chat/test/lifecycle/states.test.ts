import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { ENGINES, startCluster } from '../helpers/cluster.js'
import { act, httpMessages, members, redisAdmin, say } from '../helpers/lifecycle.js'
import { names } from '../../src/names.js'

const HISTORY = 6

for (const kind of ENGINES) {
  t.test(`${kind}: a trimmed log takes the states of what it dropped with it`, async (t) => {
    const cluster = await startCluster(t, kind, { env: { ROOM_HISTORY: HISTORY } })
    const room = 'trim-states'
    const states = names.roomStates(room)
    const log = names.roomLog(room)
    const [ada] = await members(cluster, room, ['ada'])
    const ok = async (frame: Record<string, unknown>): Promise<string> => {
      const answer = await act(ada, { room, ...frame })
      if (answer.type !== 'ack') throw new Error(JSON.stringify(answer))
      return answer.id as string
    }

    const reacted = await say(ada, room, 'reacted')
    await ok({ type: 'react', id: reacted, emoji: '👍' })
    const edited = await say(ada, room, 'edited')
    await ok({ type: 'edit', id: edited, text: 'edited!' })
    const deleted = await say(ada, room, 'deleted')
    await ok({ type: 'delete', id: deleted })
    t.same(Object.keys(await cluster.engine.maps.all(states)).sort(), [reacted, edited, deleted].sort(), 'one field per changed message, the deleted one\'s included')

    // Every entry above trimmed by newer messages: every field goes with them.
    for (let i = 0; i < HISTORY; i++) await cluster.post(room, `filler ${i}`)
    t.equal((await cluster.engine.logs.info(log)).length, HISTORY)
    t.equal(await cluster.engine.maps.count(states), 0, 'no state outlives its message (and its deletion)')
    t.match(await act(ada, { type: 'react', room, id: reacted, emoji: '👍' }), { type: 'error', code: 'not_found' }, 'a trimmed message takes no change')

    // Under a steady mix of messages and changes the map never holds more fields than the log entries.
    let last = ''
    for (let i = 0; i < 15; i++) {
      // Within the send rate (LIMITS.sendsPerSecond, changes included).
      await sleep(300)
      const id = await say(ada, room, `m${i}`)
      if (i % 2 === 0) await ok({ type: 'react', id, emoji: '🔥' })
      if (i % 3 === 0 && last !== '') await ok({ type: 'edit', id: last, text: `m${i - 1}!` })
      if (i % 5 === 0) await ok({ type: 'delete', id })
      last = i % 5 === 0 ? '' : id
      const [fields, info] = await Promise.all([cluster.engine.maps.all(states), cluster.engine.logs.info(log)])
      t.ok(info.length <= HISTORY, `step ${i}: the log is bounded`)
      const kept = new Set((await cluster.engine.logs.readAfter(log, '0-0', HISTORY)).flatMap((e) => [e.id, ...(/"target":"([0-9-]+)"/.exec(e.data)?.slice(1) ?? [])]))
      t.same(Object.keys(fields).filter((id) => !kept.has(id)), [], `step ${i}: every field belongs to a message or change the log holds`)
    }
    t.ok((await httpMessages(cluster, room)).length <= HISTORY)

    if (kind === 'redis' && cluster.redis !== undefined) {
      const { admin, statesKey } = redisAdmin(t, cluster)
      const hlen = await admin.hlen(statesKey(room))
      t.equal(hlen, await cluster.engine.maps.count(states), 'HLEN of the room-states hash is the count the engine reports')
      t.ok(hlen <= HISTORY, `HLEN ${hlen} <= ROOM_HISTORY`)
    }
  })
}

t.test('ROOM_HISTORY counts the log\'s entries, changes included; a reaction that changes nothing stores nothing', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { ROOM_HISTORY: HISTORY } })
  const room = 'toggled-away'
  const [ada] = await members(cluster, room, ['ada'])
  const kept = []
  for (let i = 0; i < HISTORY; i++) kept.push(await say(ada, room, `keep ${i}`))
  const newest = kept.at(-1)!
  const first = await act(ada, { type: 'react', room, id: newest, emoji: '👍' })
  t.match(first, { type: 'ack' })
  t.not(first.id, newest, 'a reaction that changes the message is an entry of its own')
  for (let i = 0; i < 3; i++) {
    t.match(await act(ada, { type: 'react', room, id: newest, emoji: '👍' }), { type: 'ack', id: newest }, `the same reaction again (${i + 1}): acknowledged with the message's id, nothing stored`)
  }
  t.match(await act(ada, { type: 'react', room, id: newest, emoji: '🎉', remove: true }), { type: 'ack', id: newest }, 'removing a reaction never put there: nothing stored')
  t.same((await httpMessages(cluster, room)).map((m) => m.id), kept.slice(1), 'the reaction took the oldest message\'s place in the log, and only it')
})

for (const kind of ENGINES) {
  t.test(`${kind}: a reply whose quoted message was trimmed says who wrote it, nothing more`, async (t) => {
    const cluster = await startCluster(t, kind, { env: { ROOM_HISTORY: HISTORY } })
    const room = 'trimmed-quote'
    const [ada, bob] = await members(cluster, room, ['ada', 'bob'])
    const quoted = await say(ada, room, 'QUOTED-and-trimmed')
    const reply = await say(bob, room, 'a reply', { replyTo: quoted })
    for (let i = 0; i < HISTORY - 1; i++) await cluster.post(room, `filler ${i}`)
    t.equal((await httpMessages(cluster, room)).find((m) => m.id === quoted), undefined, 'the quoted message is trimmed')
    for (const [how, messages] of Object.entries({ http: await httpMessages(cluster, room), join: (await cluster.join(ada, room)).messages as Array<Record<string, unknown>> })) {
      t.same(messages.find((m) => m.id === reply)?.replyTo, { id: quoted, user: { id: 'ada', name: 'User One' } }, how)
      t.notOk(JSON.stringify(messages).includes('QUOTED-and-trimmed'), `${how}: nothing of its text`)
    }
  })
}
