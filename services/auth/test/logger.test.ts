import { Writable } from 'node:stream'
import t from 'tap'
import pino from 'pino'
import { checkRefusedRedisLog, startRedisCluster, withRefusedCredentials } from '@webchat/testkit'
import { loggerOptions } from '../src/logger.js'
import { buildApp } from '../src/app.js'
import { build, mailedCode, requestCode, sessionCookie, testConfig, useRedis, verify, wrong } from './helper.js'

t.test('logs are JSON and carry no codes, tokens, cookies or addresses', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done() } })
  const loggerInstance = pino({ ...loggerOptions({ logLevel: 'trace' }) as object }, stream)
  const built = await build(t, 'memory', { server: { loggerInstance }, env: { LOG_LEVEL: 'trace', AUTH_SERVICE_KEYS: 'service-key-0123456789' } })
  const { app, sink } = built
  const email = 'private.person@example.com'
  await requestCode(app, email)
  const code = await mailedCode(sink, email)
  await verify(app, email, wrong(code))
  const res = await verify(app, email, code)
  const cookie = sessionCookie(res)
  const { token } = (await app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).json()
  await app.inject({ method: 'POST', url: '/auth/introspect', headers: { authorization: 'Bearer service-key-0123456789' }, payload: { token } })
  sink.failing = true
  await requestCode(app, 'other.private@example.com')
  await app.inject({ method: 'POST', url: '/auth/code', headers: { 'content-type': 'application/json' }, payload: `{"email":"${email}","x":1}` })
  app.log.info({ email, code, token, cookie }, 'a careless log call')
  await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })

  t.ok(lines.length > 10, `${lines.length} lines`)
  for (const line of lines) t.doesNotThrow(() => JSON.parse(line), 'JSON')
  const all = lines.join('\n')
  const cookieValue = cookie.slice(cookie.indexOf('=') + 1)
  for (const [what, secret] of [['address', 'private.person'], ['other address', 'other.private'], ['code', code], ['token', token.slice(20, 60)], ['cookie', cookieValue.slice(0, 20)], ['service key', 'service-key-0123456789']]) {
    t.notOk(all.includes(secret), `no ${what} in the logs`)
  }
  t.match(all, /"email":"\[redacted\]"/, 'redacted fields say so')
  t.match(all, /code mail failed/, 'mail failures are logged')
})

t.test('a Redis that refuses the password: the connection error is logged, the password is not', async (t) => {
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const loggerInstance = pino({ ...loggerOptions({ logLevel: 'warn' }) as object }, stream)
  const config = await testConfig(t, 'memory', { ENGINE: 'redis', LOG_LEVEL: 'warn', REDIS_URL: withRefusedCredentials((await useRedis()).url) })
  const app = await buildApp({ config, server: { logger: false, loggerInstance } })
  t.teardown(async () => { await app.close() })
  await checkRefusedRedisLog(t, lines)
})

t.test('a Redis Cluster that refuses the password: logged with its reason, the password is not (it sits on the last node\'s error)', async (t) => {
  const cluster = await startRedisCluster(t)
  const lines: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { lines.push(String(chunk)); done() } })
  const loggerInstance = pino({ ...loggerOptions({ logLevel: 'warn' }) as object }, stream)
  const nodes = cluster.nodes.map((node) => withRefusedCredentials(`redis://${node.host}:${node.port}`)).join(',')
  const config = await testConfig(t, 'memory', { ENGINE: 'redis', LOG_LEVEL: 'warn', REDIS_CLUSTER_NODES: nodes })
  const app = await buildApp({ config, server: { logger: false, loggerInstance } })
  t.teardown(async () => { await app.close() })
  await checkRefusedRedisLog(t, lines)
})
