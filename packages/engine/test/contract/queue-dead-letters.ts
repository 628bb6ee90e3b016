import type { Test } from 'tap'
import { ONCE, pushAll } from './queues.js'
import { idOrder, type Setup } from './support.js'

export function queueDeadLettersContract (t: Test, setup: Setup): void {
  t.test('queues: bury moves an entry to the dead letters with its attempts, reason and time; they keep the newest maxDead', async (t) => {
    const { queues } = await setup(t)
    const ids = await pushAll(queues, 'q', ['a', 'b', 'c', 'd'])
    await queues.take('q', 'w', { ...ONCE, count: 1 })
    const before = Date.now()
    t.equal(await queues.bury('q', ids[0]!, 'smtp 550', 2), true, 'one handed out once')
    t.equal(await queues.bury('q', ids[1]!, 'bad address', 2), true, 'one never handed out')
    const after = Date.now()
    t.equal(await queues.bury('q', ids[0]!, 'again', 2), false, 'buried already')
    t.equal(await queues.ack('q', ids[0]!), false, 'and gone from the queue')
    const letters = await queues.dead('q', null, 10)
    t.match(letters, [
      { data: 'a', attempts: 1, reason: 'smtp 550' },
      { data: 'b', attempts: 0, reason: 'bad address' }
    ])
    t.ok(letters.every((letter) => letter.at >= before - 50 && letter.at <= after + 50), 'buried now, in ms since the epoch')
    t.ok(letters.every((letter) => /^\d+-\d+$/.test(letter.id)) && idOrder(letters[0]!.id, letters[1]!.id) < 0, 'ids in the order buried')
    t.same(await queues.depth('q'), { queued: 2, pending: 0, dead: 2 })

    t.equal(await queues.bury('q', ids[2]!, 'third', 2), true)
    const kept = await queues.dead('q', null, 10)
    t.same(kept.map((letter) => letter.data), ['b', 'c'], 'the oldest dropped past maxDead')
    t.same(await queues.dead('q', kept[0]!.id, 10), [kept[1]], 'after an id')
    t.same(await queues.dead('q', null, 1), [kept[0]], 'at most limit')
    t.same(await queues.dead('q', null, 0), [])
    t.same(await queues.dead('other', null, 10), [], 'a queue without dead letters')
    t.same(await queues.depth('q'), { queued: 1, pending: 0, dead: 2 })
    t.same((await queues.take('q', 'w', ONCE)).map((entry) => entry.data), ['d'], 'what is left is handed out')
  })

  t.test('queues: replay puts dead letters back as new entries (attempt 1), by ids or all, while the queue has room', async (t) => {
    const { queues } = await setup(t)
    const data = ['e0', 'e1', 'e2', 'e3']
    const ids = await pushAll(queues, 'q', data)
    await queues.take('q', 'w', ONCE)
    for (const id of ids) await queues.bury('q', id, 'failed', 10)
    const letters = await queues.dead('q', null, 10)
    t.equal(await queues.replay('q', 10, [letters[2]!.id, '1-1', letters[2]!.id]), 1, 'unknown and repeated ids are skipped')
    t.same((await queues.dead('q', null, 10)).map((letter) => letter.data), ['e0', 'e1', 'e3'])
    const [replayed] = await queues.take('q', 'w', ONCE)
    t.match(replayed, { data: 'e2', attempt: 1 }, 'handed out as new')
    t.ok(!ids.includes(replayed!.id), 'under a new id')
    t.equal(await queues.replay('q', 2), 1, 'all, oldest first, until the queue holds maxLen (the held entry counts)')
    t.same((await queues.dead('q', null, 10)).map((letter) => letter.data), ['e1', 'e3'])
    t.equal(await queues.replay('q', 10, []), 0, 'no ids, nothing moved')
    t.equal(await queues.replay('q', 10), 2)
    t.same(await queues.dead('q', null, 10), [])
    t.same(await queues.take('q', 'w', ONCE).then((entries) => entries.map(({ data, attempt }) => ({ data, attempt }))),
      ['e0', 'e1', 'e3'].map((item) => ({ data: item, attempt: 1 })))
    t.same(await queues.depth('q'), { queued: 4, pending: 4, dead: 0 })
    t.equal(await queues.replay('other', 10), 0, 'a queue without dead letters')
  })
}
