import t from 'tap'
import { createNames } from '../src/redis/names.js'

t.test('names: a single Redis keeps the key names it has always had', async (t) => {
  const names = createNames('webchat:')
  t.equal(names.log('room-log:general'), 'webchat:log:room-log:general')
  t.equal(names.logEpoch('room-log:general'), 'webchat:log-epoch:room-log:general')
  t.equal(names.idempotency('room-log:general', 'msg:u1:c1'), 'webchat:log-idempotency:16:room-log:general:msg:u1:c1')
  t.equal(names.log('a{b}'), 'webchat:log:a{b}', 'braces are no concern without a cluster')
  t.same(createNames('webchat:', { cluster: false }).idempotency('l', 'k'), names.idempotency('l', 'k'))
})

t.test('names: on Redis Cluster a log\'s keys share the log as hash tag', async (t) => {
  const names = createNames('webchat:', { cluster: true })
  t.equal(names.log('room-log:general'), 'webchat:log:{room-log:general}')
  t.equal(names.logEpoch('room-log:general'), 'webchat:log-epoch:{room-log:general}')
  t.equal(names.idempotency('room-log:general', 'msg:u1:c1'), 'webchat:log-idempotency:{room-log:general}:msg:u1:c1')
  t.equal(names.idempotency('l', '{k}'), 'webchat:log-idempotency:{l}:{k}', 'only the first tag counts: the key may hold braces')
  t.equal(names.kv('a'), 'webchat:kv:a', 'other families unchanged')
  for (const bad of ['', 'a{b', 'a}b', '{a}']) {
    t.throws(() => names.log(bad), TypeError, `log name ${JSON.stringify(bad)} refused`)
    t.throws(() => names.logEpoch(bad), TypeError)
    t.throws(() => names.idempotency(bad, 'k'), TypeError)
  }
  t.throws(() => createNames('{webchat}:', { cluster: true }), TypeError, 'a prefix with a tag of its own refused')
})
