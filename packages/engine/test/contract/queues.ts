import type { Test } from 'tap'
import type { QueueEntry, Queues, TakeOptions } from '../../src/index.js'
import { idOrder, until, type Setup } from './support.js'

/** Long enough that nothing is handed out twice within a test. */
export const ONCE: TakeOptions = { count: 10, retryAfterMs: [60_000] }

/** Polls `take` until it hands something out (within 3 s). */
export async function takeWhenDue (queues: Queues, queue: string, consumer: string, options: TakeOptions): Promise<QueueEntry[]> {
  let taken: QueueEntry[] = []
  await until(async () => (taken = await queues.take(queue, consumer, options)).length > 0, 3000, `${consumer} handed an entry`)
  return taken
}

export async function pushAll (queues: Queues, queue: string, data: string[], maxLen = 1000): Promise<string[]> {
  const ids: string[] = []
  for (const item of data) ids.push(await queues.push(queue, item, maxLen) ?? 'refused')
  return ids
}

export function queuesContract (t: Test, setup: Setup): void {
  t.test('queues: push, take oldest first, ack; depth counts what is queued and held', async (t) => {
    const { queues } = await setup(t)
    t.same(await queues.take('mails', 'a', ONCE), [], 'a queue never pushed to hands out nothing')
    t.same(await queues.depth('mails'), { queued: 0, pending: 0, dead: 0 })
    const ids = await pushAll(queues, 'mails', ['m0', 'm1', 'm2', 'm3', 'm4'])
    t.ok(ids.every((id) => /^\d+-\d+$/.test(id)), 'ids are <ms>-<seq>')
    t.same([...ids].sort(idOrder), ids, 'increasing')
    t.same(await queues.take('mails', 'a', { ...ONCE, count: 2 }), [{ id: ids[0], data: 'm0', attempt: 1 }, { id: ids[1], data: 'm1', attempt: 1 }])
    t.same(await queues.depth('mails'), { queued: 5, pending: 2, dead: 0 }, 'held entries are still queued')
    t.same((await queues.take('mails', 'b', ONCE)).map((entry) => entry.data), ['m2', 'm3', 'm4'], 'the rest, not what a holds')
    t.equal(await queues.ack('mails', ids[0]!), true)
    t.equal(await queues.ack('mails', ids[0]!), false, 'acknowledged already')
    for (const id of ids.slice(1)) t.equal(await queues.ack('mails', id), true)
    t.same(await queues.depth('mails'), { queued: 0, pending: 0, dead: 0 })
    t.same(await queues.take('mails', 'a', ONCE), [])
    t.same(await queues.take('hooks', 'a', ONCE), [], 'queues are independent')
  })

  t.test('queues: an entry not acknowledged comes back after its delay, with the next attempt; the last delay repeats', async (t) => {
    const { queues } = await setup(t)
    const retry = { count: 5, retryAfterMs: [100, 250] }
    const id = await queues.push('q', 'x', 10)
    let since = Date.now()
    t.same(await queues.take('q', 'a', retry), [{ id, data: 'x', attempt: 1 }])
    t.same(await queues.take('q', 'a', retry), [], 'not again at once')
    for (const [attempt, delay] of [[2, 100], [3, 250], [4, 250]] as const) {
      const taken = await takeWhenDue(queues, 'q', 'a', retry)
      const waited = Date.now() - since
      since = Date.now()
      t.same(taken, [{ id, data: 'x', attempt }], `attempt ${attempt}`)
      t.ok(waited >= delay - 2, `not before its delay of ${delay} ms (${waited} ms)`)
    }
    t.same(await queues.depth('q'), { queued: 1, pending: 1, dead: 0 })
    t.equal(await queues.ack('q', id!), true)
  })

  t.test('queues: another consumer gets the entry of one that stopped, once its delay has passed', async (t) => {
    const { queues } = await setup(t)
    const retry = { count: 1, retryAfterMs: [150] }
    const id = await queues.push('q', 'job', 10)
    const since = Date.now()
    t.same(await queues.take('q', 'a', retry), [{ id, data: 'job', attempt: 1 }])
    t.same(await queues.take('q', 'b', retry), [], 'not while a may still work on it')
    t.same(await takeWhenDue(queues, 'q', 'b', retry), [{ id, data: 'job', attempt: 2 }], 'b gets it')
    t.ok(Date.now() - since >= 148, 'after the delay')
    t.equal(await queues.ack('q', id!), true)
    t.same(await queues.depth('q'), { queued: 0, pending: 0, dead: 0 })
  })

  t.test('queues: concurrent takes never hand out one entry twice, and hand out each once', async (t) => {
    const { queues } = await setup(t)
    const data = Array.from({ length: 60 }, (_, i) => `e${i}`)
    await Promise.all(data.map(async (item) => await queues.push('q', item, 100)))
    const rounds = await Promise.all(Array.from({ length: 30 }, async (_, i) =>
      await queues.take('q', i % 2 === 0 ? 'a' : 'b', { count: 3, retryAfterMs: [60_000] })))
    const taken = rounds.flat()
    t.equal(taken.length, 60, 'every entry handed out')
    t.equal(new Set(taken.map((entry) => entry.id)).size, 60, 'none twice')
    t.same(taken.map((entry) => entry.data).sort(), [...data].sort())
    t.ok(taken.every((entry) => entry.attempt === 1))
    t.same(await Promise.all(taken.map(async (entry) => await queues.ack('q', entry.id))), taken.map(() => true))
    t.same(await queues.take('q', 'a', ONCE), [])
    t.same(await queues.depth('q'), { queued: 0, pending: 0, dead: 0 })
  })

  t.test('queues: a full queue refuses a push and drops nothing; an ack makes room', async (t) => {
    const { queues } = await setup(t)
    const ids = await pushAll(queues, 'q', ['a', 'b', 'c'], 3)
    t.equal(await queues.push('q', 'd', 3), null, 'refused at maxLen')
    t.same((await queues.take('q', 'w', { ...ONCE, count: 1 })).map((entry) => entry.id), [ids[0]])
    t.equal(await queues.push('q', 'd', 3), null, 'an entry handed out still counts')
    t.equal(await queues.ack('q', ids[0]!), true)
    t.match(await queues.push('q', 'd', 3), /^\d+-\d+$/, 'accepted once one is acknowledged')
    t.same((await queues.take('q', 'w', ONCE)).map((entry) => entry.data), ['b', 'c', 'd'], 'nothing was dropped')
  })

  t.test('queues: data comes back as it was: empty, unicode, 100 KB', async (t) => {
    const { queues } = await setup(t)
    const samples = ['', 'é🙂\u0000ü\n"{}', '🙂'.repeat(25_000) + 'end']
    const ids = await pushAll(queues, 'q', samples)
    t.same((await queues.take('q', 'w', ONCE)).map((entry) => entry.data), samples, 'taken')
    for (const id of ids) await queues.bury('q', id, 'why: ü', 10)
    const letters = await queues.dead('q', null, 10)
    t.same(letters.map((letter) => [letter.data, letter.reason]), samples.map((sample) => [sample, 'why: ü']), 'dead letters')
    t.equal(await queues.replay('q', 10), 3)
    t.same((await queues.take('q', 'w', ONCE)).map((entry) => entry.data), samples, 'replayed')
  })

  t.test('queues: unknown ids are false, bad arguments are refused and change nothing', async (t) => {
    const { queues } = await setup(t)
    t.equal(await queues.ack('q', '1-1'), false, 'a queue never pushed to')
    t.equal(await queues.bury('q', '1-1', 'r', 10), false)
    const id = await queues.push('q', 'x', 10)
    t.equal(await queues.ack('q', '1-1'), false, 'an id the queue never held')
    t.equal(await queues.bury('q', '1-1', 'r', 10), false)
    const take = (options: Partial<TakeOptions>, consumer = 'w'): Promise<QueueEntry[]> => queues.take('q', consumer, { ...ONCE, ...options })
    await t.rejects(take({ count: 0 }), RangeError, 'count 0')
    await t.rejects(take({ count: 1001 }), RangeError, 'count past 1000')
    await t.rejects(take({ count: 1.5 }), RangeError)
    await t.rejects(take({ retryAfterMs: [] }), RangeError, 'no delay')
    await t.rejects(take({ retryAfterMs: [100, -1] }), RangeError, 'a negative delay')
    await t.rejects(take({ retryAfterMs: [0.5] }), RangeError)
    await t.rejects(take({}, ''), RangeError, 'no consumer')
    await t.rejects(queues.push('q', 'y', 0), RangeError)
    await t.rejects(queues.ack('q', 'not-an-id'), RangeError)
    await t.rejects(queues.bury('q', id!, 'r', 0), RangeError)
    await t.rejects(queues.dead('q', '1-x', 10), RangeError)
    await t.rejects(queues.dead('q', null, -1), RangeError)
    await t.rejects(queues.replay('q', 0), RangeError)
    await t.rejects(queues.replay('q', 10, ['1-1', 'x']), RangeError)
    t.same(await queues.depth('q'), { queued: 1, pending: 0, dead: 0 }, 'nothing changed')
    t.same(await take({ count: 1000 }), [{ id, data: 'x', attempt: 1 }], 'count 1000 is allowed')
  })
}
