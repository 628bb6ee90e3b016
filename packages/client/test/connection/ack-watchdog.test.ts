import t from 'tap'
import { createAckWatchdog } from '../../src/connection/ack-watchdog.js'
import { createFakeLink } from '../helpers/fake-link.js'
import { createFakeTimers } from '../helpers/fake-timers.js'

function watch (inFlight: number) {
  const timers = createFakeTimers()
  const link = createFakeLink()
  const state = { inFlight }
  const watchdog = createAckWatchdog({ timers, timeoutMs: 5000, inFlight: () => state.inFlight, link })
  return { timers, link, state, watchdog }
}

t.test('a socket that answers nothing in flight for the timeout is dropped', async (t) => {
  const { timers, link, watchdog } = watch(1)
  watchdog.sent()
  await timers.advance(4999)
  t.same(link.drops, [])
  await timers.advance(1)
  t.same(link.drops, [1006])
})

t.test('every answer starts the wait over; a send does not', async (t) => {
  const { timers, link, watchdog } = watch(2)
  watchdog.sent()
  await timers.advance(3000)
  watchdog.sent()
  t.same(timers.pending(), [2000], 'a second send keeps the running wait')
  watchdog.arm()
  t.same(timers.pending(), [5000], 'an answer restarts it')
  await timers.advance(4999)
  t.same(link.drops, [])
  await timers.advance(1)
  t.same(link.drops, [1006])
})

t.test('nothing in flight: no wait, and a wait that finds nothing in flight drops nothing', async (t) => {
  const { timers, link, state, watchdog } = watch(0)
  watchdog.sent()
  watchdog.arm()
  t.same(timers.pending(), [])
  state.inFlight = 1
  watchdog.arm()
  state.inFlight = 0
  await timers.advance(5000)
  t.same(link.drops, [])
})

t.test('a wait of an earlier socket drops nothing; stop cancels it', async (t) => {
  const { timers, link, watchdog } = watch(1)
  watchdog.arm()
  link.swap()
  await timers.advance(5000)
  t.same(link.drops, [], 'another socket now')
  watchdog.arm()
  watchdog.stop()
  t.same(timers.pending(), [])
})
