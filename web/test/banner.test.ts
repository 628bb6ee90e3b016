import t from 'tap'
import { bannerView } from '../src/model/banner.js'

t.test('the connection banner says what the connection is doing', async (t) => {
  t.equal(bannerView(undefined, false, 0).hidden, true, 'hidden until the connection speaks')
  t.equal(bannerView({ state: 'open', user: { id: 'a', name: 'A' } }, true, 0).hidden, true)
  t.equal(bannerView({ state: 'connecting', attempt: 0 }, false, 0).text, 'Connecting…')
  t.equal(bannerView({ state: 'connecting', attempt: 0 }, true, 0).text, 'Reconnecting…', 'after having been open')
  t.equal(bannerView({ state: 'connecting', attempt: 2 }, false, 0).text, 'Reconnecting…')
  const waiting = bannerView({ state: 'reconnecting', inMs: 4000, at: 4000, attempt: 1, code: 1006 }, true, 1200)
  t.same(waiting, { hidden: false, text: 'Connection lost. Reconnecting', countdown: ' in 3 s…', retry: true, signIn: false })
  t.equal(bannerView({ state: 'reconnecting', inMs: 0, at: 4000, attempt: 1, code: 1006 }, true, 4000).countdown, '…')
  t.match(bannerView({ state: 'offline' }, true, 0).text, /^You are offline\./)
  const ended = bannerView({ state: 'ended', reason: 'session_ended' }, true, 0)
  t.same([ended.hidden, ended.signIn, ended.retry], [false, true, false])
  t.equal(bannerView({ state: 'ended', reason: 'closed' }, true, 0).hidden, true, 'closed on purpose: nothing to say')
})
