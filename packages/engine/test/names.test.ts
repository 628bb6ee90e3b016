import t from 'tap'
import { createNames } from '../src/redis/names.js'

t.test('names: a single Redis keeps the key names it has always had', async (t) => {
  const names = createNames('webchat:')
  t.equal(names.log('room-log:general'), 'webchat:log:room-log:general')
  t.equal(names.logEpoch('room-log:general'), 'webchat:log-epoch:room-log:general')
  t.equal(names.idempotency('room-log:general', 'msg:u1:c1'), 'webchat:log-idempotency:16:room-log:general:msg:u1:c1')
  t.equal(names.idempotencyWindow('room-log:general', 'current'), 'webchat:log-idempotency-window:room-log:general:current')
  t.equal(names.idempotencyWindow('room-log:general', 'previous'), 'webchat:log-idempotency-window:room-log:general:previous')
  t.equal(names.claims('used-tokens:{u1}', 'current'), 'webchat:claims:used-tokens:{u1}:current')
  t.not(names.claims('a:current', 'previous'), names.claims('a', 'current'), 'the window is the last segment: no two pairs collide')
  t.equal(names.log('a{b}'), 'webchat:log:a{b}', 'braces are no concern without a cluster')
  t.same(createNames('webchat:', { cluster: false }).idempotency('l', 'k'), names.idempotency('l', 'k'))
})

t.test('names: on Redis Cluster every name carries its hash tag', async (t) => {
  const names = createNames('webchat:', { cluster: true })
  t.equal(names.log('room-log:general'), 'webchat:log:{room-log:general}', 'the whole name is its tag by default')
  t.equal(names.logEpoch('room-log:general'), 'webchat:log-epoch:{room-log:general}')
  t.equal(names.idempotency('room-log:general', 'msg:u1:c1'), 'webchat:log-idempotency:{room-log:general}:msg:u1:c1')
  t.equal(names.idempotency('l', '{k}'), 'webchat:log-idempotency:{l}:{k}', 'only the first tag counts: the key may hold braces')
  t.equal(names.idempotencyWindow('room-log:general', 'current'), 'webchat:log-idempotency-window:{room-log:general}:current')
  t.equal(names.claims('used-tokens:{u1}', 'previous'), 'webchat:claims:used-tokens:{u1}:previous', 'a group with a tag of its own (the user) keeps it')
  t.equal(names.claims('u1', 'current'), 'webchat:claims:{u1}:current')
  t.equal(names.kv('a'), 'webchat:kv:{a}')
  t.equal(names.channel('room:general'), 'webchat:{room:general}')
  t.equal(names.presenceExpiry('p'), 'webchat:presence-expiry:{p}')
  t.equal(names.presenceValues('p'), 'webchat:presence-values:{p}')
  t.equal(names.map('user-rooms:{u1}'), 'webchat:map:user-rooms:{u1}', 'a name with a tag of its own keeps it, unchanged')
  for (const bad of ['', 'a{b', 'a}b', '{}a']) {
    t.throws(() => names.log(bad), TypeError, `log name ${JSON.stringify(bad)} refused`)
    t.throws(() => names.logEpoch(bad), TypeError)
    t.throws(() => names.idempotency(bad, 'k'), TypeError)
    t.throws(() => names.idempotencyWindow(bad, 'current'), TypeError)
    t.throws(() => names.claims(bad, 'current'), TypeError)
    t.throws(() => names.channel(bad), TypeError)
  }
  t.throws(() => createNames('{webchat}:', { cluster: true }), TypeError, 'a prefix with a tag of its own refused')
})

t.test('names: a service maps its names to shared tags, so one operation\'s keys and channel share a slot', async (t) => {
  // A room's log and channel must share a slot (the append publishes in the same script).
  const hashTag = (name: string): string => /^room(-log)?:([^{}]+)$/.exec(name)?.[2] ?? name
  const names = createNames('webchat:', { cluster: true, hashTag })
  t.equal(names.log('room-log:general'), 'webchat:log:{general}room-log:general')
  t.equal(names.channel('room:general'), 'webchat:{general}room:general')
  t.equal(names.idempotency('room-log:general', 'msg:u1:c1'), 'webchat:log-idempotency:{general}16:room-log:general:msg:u1:c1')
  t.equal(names.idempotencyWindow('room-log:general', 'current'), 'webchat:log-idempotency-window:{general}room-log:general:current', 'a log\'s windows share its tag')
  t.not(names.idempotency('room-log:a', 'b:c'), names.idempotency('room-log:a:b', 'c'), 'length-prefixed: no two pairs collide')
  const tagged = createNames('webchat:', { cluster: true, hashTag: () => 'r1' })
  t.equal(tagged.idempotency('x:{r1}', 'k'), 'webchat:log-idempotency:6:x:{r1}:k', 'a name holding its tag already is left as it is')
  t.throws(() => createNames('w:', { cluster: true, hashTag: () => '' }).kv('a'), TypeError, 'an empty tag refused')
  t.equal(createNames('w:', { hashTag: () => 'ignored' }).log('l'), 'w:log:l', 'tags apply only on a cluster')
})
