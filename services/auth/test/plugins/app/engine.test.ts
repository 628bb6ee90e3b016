import t from 'tap'
import { startRedisCluster } from '@webchat/testkit'
import { buildApp } from '../../../src/app.js'
import { names } from '../../../src/names.js'
import { engineFor, mailedCode, requestCode, sessionCookie, smtpSink, testConfig, verify } from '../../helper.js'

t.test('REDIS_CLUSTER_NODES: auth on a Redis Cluster signs in, mints tokens and publishes a logout on its session\'s bucket', async (t) => {
  const cluster = await startRedisCluster(t)
  const sink = await smtpSink(t)
  const config = await testConfig(t, 'memory', {
    ENGINE: '', REDIS_CLUSTER_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(','), REDIS_PREFIX: 'auth-on-cluster:',
    MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url
  })
  t.equal(config.engine, 'redis', 'the nodes alone select the Redis engine')
  const app = await buildApp({ config, server: { logger: false } })
  t.teardown(async () => { await app.close() })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'ready on the cluster')

  const watcher = await engineFor(t, config)
  const revoked: Array<[number, string]> = []
  for (let bucket = 0; bucket < names.sessionRevokedBuckets; bucket++) {
    await watcher.pubsub.subscribe(names.sessionRevokedChannel(bucket), (sid) => { revoked.push([bucket, sid]) })
  }
  const email = 'clustered@example.com'
  await requestCode(app, email)
  const cookie = sessionCookie(await verify(app, email, await mailedCode(sink, email)))
  const minted = await app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })
  t.equal(minted.statusCode, 200, 'a chat token')
  const sid = JSON.parse(Buffer.from(String(minted.json().token).split('.')[1]!, 'base64url').toString()).sid as string
  t.equal((await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })).statusCode, 204)
  for (let i = 0; i < 100 && revoked.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(revoked, [[names.revocationBucketOf(sid), sid]], 'the logout, on the session\'s bucket only')
  t.equal((await app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).statusCode, 401, 'the session is gone')
})
