import t from 'tap'
import Fastify from 'fastify'
import { Registry } from 'prom-client'
import { startSmtpSink } from '@webchat/testkit'
import app, { buildApp, serverOptions } from '../src/app.js'
import { SIGN_IN_COOKIE } from '@webchat/shared'
import { build, engineFor, mailedCode, memoryEngine, requestCode, sessionCookie, signIn, singleRedisOnly, smtpSink, tempDir, testConfig, useRedis, verify } from './helper.js'

t.test('a given engine is used and left open; an own engine is closed with the app', async (t) => {
  const engine = memoryEngine(t)
  const given = await build(t, 'memory', { engine })
  await signIn(given, 'given@example.com')
  await given.app.close()
  t.equal(engine.isReady(), true, 'the owner closes a given engine')

  const config = await testConfig(t, 'memory')
  const own = await buildApp({ config, server: { logger: false } })
  t.equal((await own.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  await own.close()
})

t.test('ENGINE=redis from the configuration: two connections, both closed with the app', { skip: singleRedisOnly('counts its clients with CLIENT LIST') }, async (t) => {
  const redis = await useRedis()
  const { Redis } = await import('ioredis')
  const admin = new Redis(redis.url)
  t.teardown(async () => { await admin.quit() })
  const engineClients = async (): Promise<number> => (await admin.client('LIST') as string).split('\n').filter((l) => l.includes('name=webchat-engine')).length
  const before = await engineClients()
  const sink = await startSmtpSink()
  t.teardown(async () => { await sink.close() })
  const config = await testConfig(t, 'redis', { MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url })
  const server = await buildApp({ config, server: { logger: false } })
  t.equal(await engineClients(), before + 2)
  await requestCode(server, 'r@example.com')
  t.equal((await verify(server, 'r@example.com', await mailedCode(sink, 'r@example.com'))).statusCode, 200)
  await server.close()
  t.equal(await engineClients(), before, 'closed')
})

t.test('a restart keeps sessions and keys: secrets and keys persist in DATA_DIR', async (t) => {
  const dataDir = tempDir(t)
  const engine = await engineFor(t, await testConfig(t, 'memory'))
  const first = await build(t, 'memory', { engine, env: { DATA_DIR: dataDir } })
  const cookie = await signIn(first, 'restart@example.com')
  const jwks = (await first.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json()
  await first.app.close()
  const second = await build(t, 'memory', { engine, env: { DATA_DIR: dataDir } })
  t.equal((await second.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode, 200)
  t.same((await second.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json(), jwks)
  const other = await build(t, 'memory', { engine })
  t.equal((await other.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).statusCode, 401, 'another DATA_DIR has other secrets')
})

t.test('OpenAPI at /docs from the route schemas', async (t) => {
  const { app: server } = await build(t, 'memory', { env: { DOCS: 'true' } })
  const doc = (await server.inject({ method: 'GET', url: '/docs/json' })).json()
  t.equal(doc.openapi, '3.1.0')
  for (const path of ['/auth/code', '/auth/verify', '/auth/me', '/auth/token', '/auth/logout', '/auth/introspect', '/.well-known/jwks.json', '/healthz', '/readyz', '/config.json']) {
    t.ok(doc.paths[path], path)
  }
  t.notOk(doc.paths['/metrics'], 'metrics hidden')
  const code = doc.paths['/auth/code'].post
  t.ok(code.requestBody.content['application/json'].schema.properties.email, 'request body schema')
  t.ok(code.responses['202'] && code.responses['429'] && code.responses['503'], 'responses')
  t.ok(doc.paths['/auth/me'].patch, 'PATCH /auth/me')
  const ui = await server.inject({ method: 'GET', url: '/docs' })
  t.ok(ui.statusCode === 200 || ui.statusCode === 302, `UI ${ui.statusCode}`)
  const { app: without } = await build(t, 'memory')
  t.equal((await without.inject({ method: 'GET', url: '/docs/json' })).statusCode, 404, 'DOCS=false')
})

t.test('composes into a host server under its own scope', async (t) => {
  const sink = await smtpSink(t)
  const config = await testConfig(t, 'memory', { DOCS: 'true', MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url })
  const registry = new Registry()
  const engine = memoryEngine(t)
  const host = Fastify(serverOptions({ ...config }))
  t.teardown(async () => { await host.close() })
  host.get('/host', async () => ({ host: true }))
  await host.register(app, { config, engine, registry, ops: false })
  await host.ready()
  t.same((await host.inject({ method: 'GET', url: '/host' })).json(), { host: true })
  t.equal((await host.inject({ method: 'POST', url: '/auth/code', payload: { email: 'host@example.com' } })).statusCode, 202)
  t.equal((await host.inject({ method: 'GET', url: '/healthz' })).statusCode, 404)
  t.match(await registry.metrics(), /webchat_auth_codes_sent_total/)
  t.equal(host.hasDecorator('engine'), false, 'no decorator leaks into the host')
})

t.test('a signed-in browser flow leaves one session per sign-in', async (t) => {
  const built = await build(t, 'memory')
  const res = await requestCode(built.app, 'one@example.com')
  t.equal(res.statusCode, 202)
  const verified = await verify(built.app, 'one@example.com', await mailedCode(built.sink, 'one@example.com'))
  t.ok(sessionCookie(verified))
  t.same(res.cookies.map((c) => c.name), [SIGN_IN_COOKIE], 'asking for a code starts no session: it sets only the sign-in cookie')
})

t.test('a failing start rejects and leaves nothing open', async (t) => {
  const config = await testConfig(t, 'memory', { SIGNING_KEYS: '[{"kty":"oct","k":"c2VjcmV0","kid":"h"}]' })
  await t.rejects(buildApp({ config, server: { logger: false } }), /Ed25519/)
})

t.test('an unexpected failure is a 500 that tells nothing', async (t) => {
  const engine = memoryEngine(t)
  const broken = { ...engine, kv: { ...engine.kv, get: async () => { throw new Error('disk on fire at /var/secret') } } }
  const { app: server, sink } = await build(t, 'memory', { engine: broken })
  await requestCode(server, 'boom@example.com')
  const res = await verify(server, 'boom@example.com', await mailedCode(sink, 'boom@example.com'))
  t.equal(res.statusCode, 500)
  t.same(res.json(), { error: 'internal', message: 'internal error' })
})

t.test('in a host that already answers 404s, the host keeps its handler', async (t) => {
  const config = await testConfig(t, 'memory')
  const host = Fastify({ logger: false })
  t.teardown(async () => { await host.close() })
  host.setNotFoundHandler(async (_request, reply) => await reply.code(404).send({ error: 'not_found', message: 'host' }))
  await host.register(app, { config, engine: memoryEngine(t) })
  await host.ready()
  t.same((await host.inject({ method: 'GET', url: '/nowhere' })).json(), { error: 'not_found', message: 'host' })
})
