import t from 'tap'
import { createUnsubscribeLinks } from '../../src/notifications/unsubscribe-links.js'
import { retryDelays } from '../../src/notifications/worker.js'

t.test('unsubscribe links: signed per user and secret, on the app\'s origin', async (t) => {
  const links = createUnsubscribeLinks('s'.repeat(32), 'https://chat.example.com/app/')
  const url = new URL(links.url('user-1'))
  t.equal(`${url.origin}${url.pathname}`, 'https://chat.example.com/auth/unsubscribe')
  const signature = url.searchParams.get('s')!
  t.match(signature, /^[A-Za-z0-9_-]{43}$/)
  t.ok(links.verify('user-1', signature))
  t.equal(links.path('user-1'), `${url.pathname}${url.search}`)
  t.notOk(links.verify('user-2', signature), 'another user')
  t.notOk(createUnsubscribeLinks('t'.repeat(32), 'https://chat.example.com').verify('user-1', signature), 'another secret')
  for (const bad of [undefined, '', signature.slice(1), `${signature}A`, ['x'], 'a'.repeat(43)]) t.notOk(links.verify('user-1', bad), `signature ${String(bad)}`)
  for (const bad of [undefined, '', 'user 1', ['user-1']]) t.notOk(links.verify(bad, signature), `user ${String(bad)}`)
})

t.test('retry delays double up to the cap', async (t) => {
  t.same(retryDelays(30_000, 1_800_000, 10), [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_800_000])
  t.same(retryDelays(1000, 5000, 2), [1000, 2000])
  t.same(retryDelays(1600, 1600, 10), [1600])
})
