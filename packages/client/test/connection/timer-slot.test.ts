import t from 'tap'
import { clearHandle, createTimerSlot } from '../../src/connection/timer-slot.js'
import { createFakeTimers } from '../helpers/fake-timers.js'

t.test('holds one pending call: setting again replaces it', async (t) => {
  const timers = createFakeTimers()
  const slot = createTimerSlot(timers)
  const calls: string[] = []
  t.equal(slot.pending(), false)
  slot.set(() => calls.push('first'), 1000)
  slot.set(() => calls.push('second'), 2000)
  t.equal(slot.pending(), true)
  t.same(timers.pending(), [2000], 'the first call was cancelled')
  await timers.advance(2000)
  t.same(calls, ['second'])
  t.equal(slot.pending(), false)
})

t.test('is no longer pending while its call runs, so the call may set it again', async (t) => {
  const timers = createFakeTimers()
  const slot = createTimerSlot(timers)
  const seen: boolean[] = []
  let runs = 0
  const tick = (): void => {
    seen.push(slot.pending())
    if (++runs < 3) slot.set(tick, 100)
  }
  slot.set(tick, 100)
  await timers.advance(1000)
  t.same(seen, [false, false, false])
  t.equal(runs, 3)
})

t.test('clear cancels the pending call, and does nothing when none is pending', async (t) => {
  const timers = createFakeTimers()
  const slot = createTimerSlot(timers)
  let ran = false
  slot.clear()
  slot.set(() => { ran = true }, 10)
  slot.clear()
  t.equal(slot.pending(), false)
  t.same(timers.pending(), [])
  await timers.advance(100)
  t.equal(ran, false)
})

t.test('clearHandle cancels a bare handle and gives undefined to store back', async (t) => {
  const timers = createFakeTimers()
  let ran = false
  const handle = timers.setTimeout(() => { ran = true }, 10)
  t.equal(clearHandle(timers, handle), undefined)
  t.equal(clearHandle(timers, undefined), undefined)
  await timers.advance(100)
  t.equal(ran, false)
})
