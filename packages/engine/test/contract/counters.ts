import type { Test } from 'tap'
import { sleep, type Setup } from './support.js'

export function countersContract (t: Test, setup: Setup): void {
  t.test('counters: increments in a window', async (t) => {
    const { counters } = await setup(t)
    t.equal(await counters.get('c'), 0)
    const first = await counters.increment('c', 5000)
    t.equal(first.count, 1)
    t.ok(first.resetMs > 4000 && first.resetMs <= 5000, `resetMs ${first.resetMs}`)
    t.equal((await counters.increment('c', 5000)).count, 2)
    t.equal((await counters.increment('c', 5000, 5)).count, 7, 'by')
    t.equal(await counters.get('c'), 7)
    await counters.reset('c')
    t.equal(await counters.get('c'), 0, 'reset')
    t.equal((await counters.increment('c', 5000)).count, 1, 'counts again after reset')
    t.equal(await counters.get('other'), 0, 'counters are independent')
    await t.rejects(counters.increment('c', 0), RangeError)
    await t.rejects(counters.increment('c', 1000, 1.5), RangeError)
  })

  t.test('counters: the window is fixed at the first increment', async (t) => {
    const { counters } = await setup(t)
    await counters.increment('w', 400)
    await sleep(200)
    const later = await counters.increment('w', 400)
    t.equal(later.count, 2)
    t.ok(later.resetMs <= 200 + 20, `a later increment does not extend the window (resetMs ${later.resetMs})`)
    await sleep(later.resetMs + 150)
    t.equal(await counters.get('w'), 0, 'expired with its window')
    const fresh = await counters.increment('w', 400)
    t.equal(fresh.count, 1, 'a new window starts')
    t.ok(fresh.resetMs > 300, `fresh window (resetMs ${fresh.resetMs})`)
  })

  t.test('counters: concurrent increments are all counted', async (t) => {
    const { counters } = await setup(t)
    const results = await Promise.all(Array.from({ length: 50 }, async () => await counters.increment('n', 10_000)))
    t.same(results.map((r) => r.count).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1))
    t.equal(await counters.get('n'), 50)
  })
}
