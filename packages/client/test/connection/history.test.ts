import t from 'tap'
import type { ServerFrameOf } from '@webchat/shared'
import { createHistoryWaiters } from '../../src/connection/history.js'
import { fail } from '../../src/connection/refusal.js'
import { createFakeTimers } from '../helpers/fake-timers.js'
import { chat, handled } from '../helpers/setup.js'

const page = (room: string, ids: string[], more = false): ServerFrameOf<'history'> =>
  ({ type: 'history', room, messages: ids.map((id) => chat(room, id)), more })

t.test('pages go to the waiters of their room, oldest first', async (t) => {
  const timers = createFakeTimers()
  const history = createHistoryWaiters(timers, 1000)
  const first = history.wait('lobby')
  const second = history.wait('lobby')
  const other = history.wait('dev')
  history.page(page('dev', ['1-0'], true))
  history.page(page('lobby', ['2-0']))
  history.page(page('lobby', ['3-0']))
  t.same((await first).messages.map((m) => m.id), ['2-0'])
  t.same(await second, { messages: [chat('lobby', '3-0')], more: false })
  t.same((await other).more, true)
  t.same(timers.pending(), [], 'their timeouts are cancelled')
  history.page(page('lobby', ['4-0']))
  t.pass('a page nobody waits for is ignored')
})

t.test('a refusal fails the oldest waiter of that room only', async (t) => {
  const timers = createFakeTimers()
  const history = createHistoryWaiters(timers, 1000)
  const first = handled(history.wait('lobby'))
  const second = history.wait('lobby')
  t.equal(history.refuse('dev', fail('internal', 'x', 'dev')), false, 'nobody waits in dev')
  t.equal(history.refuse('lobby', fail('internal', 'boom', 'lobby')), true)
  await t.rejects(first, { code: 'internal', ref: 'lobby' })
  history.page(page('lobby', ['5-0']))
  t.same((await second).messages.map((m) => m.id), ['5-0'])
  t.equal(history.refuse('lobby', fail('internal', 'again', 'lobby')), false, 'none left')
})

t.test('a page that does not come in time fails with timeout, and the next page goes to the next waiter', async (t) => {
  const timers = createFakeTimers()
  const history = createHistoryWaiters(timers, 1000)
  const late = handled(history.wait('lobby'))
  await timers.advance(500)
  const next = history.wait('lobby')
  await timers.advance(500)
  await t.rejects(late, { code: 'timeout', ref: 'lobby' })
  history.page(page('lobby', ['6-0']))
  t.same((await next).messages.map((m) => m.id), ['6-0'])
})

t.test('rejectAll fails the waiters of one room, or of every room', async (t) => {
  const timers = createFakeTimers()
  const history = createHistoryWaiters(timers, 1000)
  const lobby = handled(history.wait('lobby'))
  const dev = handled(history.wait('dev'))
  history.rejectAll('lobby', fail('not_joined', 'left', 'lobby'))
  await t.rejects(lobby, { code: 'not_joined' })
  t.same(timers.pending(), [1000], 'only dev still waits')
  history.rejectAll(undefined, fail('disconnected', 'dropped'))
  await t.rejects(dev, { code: 'disconnected' })
  t.same(timers.pending(), [])
})
