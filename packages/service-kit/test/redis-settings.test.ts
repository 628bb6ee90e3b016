import t from 'tap'
import { checkRedisSettings, ConfigError, engineDefault, redisTarget } from '../src/index.js'

const nodes = (...redisClusterNodes: string[]) => ({ redisClusterNodes })

t.test('ENGINE defaults to redis when a URL or cluster nodes are given', async (t) => {
  t.equal(engineDefault({ redisClusterNodes: [] }), 'memory')
  t.equal(engineDefault({ redisUrl: '', redisClusterNodes: [] }), 'memory', 'an empty URL is no URL')
  t.equal(engineDefault({ redisUrl: 'redis://r:6379', redisClusterNodes: [] }), 'redis')
  t.equal(engineDefault({ redisClusterNodes: ['r1:7000'] }), 'redis')
})

t.test('the engine connects to the URL or to the cluster\'s seed nodes, passed through as given', async (t) => {
  t.same(redisTarget({ redisUrl: 'redis://r:6379', redisClusterNodes: [] }), { url: 'redis://r:6379' })
  t.same(redisTarget({ redisUrl: '', ...nodes('r1:7000', 'redis://u:p@r2:7001') }), { clusterNodes: ['r1:7000', 'redis://u:p@r2:7001'] })
  t.throws(() => redisTarget(nodes()), ConfigError, 'neither')
})

t.test('accepted node entries', async (t) => {
  const good = ['redis-node-1:6379', '10.0.0.5:7000', '[::1]:7000', 'r1', 'redis://r:7000', 'redis://r:7000/', 'redis://:secret@r:7000', 'redis://user:secret@r:7000', 'rediss://r:7000', 'user:secret@r:7000']
  for (const entry of good) t.doesNotThrow(() => checkRedisSettings('redis', nodes(entry)), entry)
  t.doesNotThrow(() => checkRedisSettings('redis', nodes('redis://u:p@a:1', 'b:2', 'redis://u:p@c:3')), 'the same credentials twice, and plain entries beside them')
  t.doesNotThrow(() => checkRedisSettings('memory', nodes()), 'memory needs no Redis')
})

t.test('refused settings name the variables, and never show a password', async (t) => {
  t.throws(() => checkRedisSettings('redis', { redisUrl: 'redis://r:6379', ...nodes('r1:7000') }), /REDIS_URL .*REDIS_CLUSTER_NODES.*not both/)
  t.throws(() => checkRedisSettings('memory', { redisUrl: 'redis://r:6379', ...nodes('r1:7000') }), /not both/, 'ambiguous whatever the engine')
  t.throws(() => checkRedisSettings('redis', { redisUrl: '', ...nodes() }), /ENGINE=redis needs REDIS_URL .* or REDIS_CLUSTER_NODES/)
  const bad = [':7000', 'r1:70000', 'r1:0', 'r1:port', 'redis://r:7000/1', 'http://r:7000', 'a b:7000']
  for (const entry of bad) t.throws(() => checkRedisSettings('redis', nodes('ok:7000', entry)), /REDIS_CLUSTER_NODES entries must be host:port or redis\[s\]:\/\//, entry)
  for (const entry of ['redis://user:hunter2@r:7000/9', 'user:hunter2@r:70000', 'rediss://:hunter2@r/db']) {
    const err = t.throws(() => checkRedisSettings('redis', nodes(entry))) as Error
    t.notMatch(err.message, /hunter2/, `${entry}: the password is not in the message`)
    t.match(err.message, /\*\*\*@r/, 'the host still is')
  }
  // A password with a comma cuts its entry in two: neither piece may show it.
  const cut = t.throws(() => checkRedisSettings('redis', nodes('redis://u:hunter2', 'x@r:7000'))) as Error
  t.notMatch(cut.message, /hunter2/, 'a piece of a password cut at a comma is not shown')
  const mixed = t.throws(() => checkRedisSettings('redis', nodes('redis://u:hunter2@a:1', 'u:hunter3@b:2'))) as Error
  t.match(mixed.message, /different users or passwords/)
  t.notMatch(mixed.message, /hunter/)
})
