import t, { type Test } from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { engineCheck, opsRoutes, type OpsOptions } from '../src/index.js'

const metrics = { contentType: 'text/plain; version=0.0.4', metrics: async () => 'up 1\n' }

async function ops (t: Test, options: Omit<OpsOptions, 'metrics'>): Promise<FastifyInstance> {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(opsRoutes, { metrics, ...options })
  return app
}

t.test('healthz is always ok; metrics come from the registry given', async (t) => {
  const app = await ops(t, { required: { engine: () => false } })
  const health = await app.inject({ method: 'GET', url: '/healthz' })
  t.same([health.statusCode, health.json()], [200, { status: 'ok' }])
  const text = await app.inject({ method: 'GET', url: '/metrics' })
  t.same([text.statusCode, text.headers['content-type'], text.body], [200, metrics.contentType, 'up 1\n'])
})

t.test('readyz: 200 while every required check holds; reported checks never fail it', async (t) => {
  let engine = true
  let mail = false
  const app = await ops(t, { required: { engine: () => engine, accepting: async () => true }, reported: { mail: () => mail } })
  const ask = async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' })
    t.equal(res.headers['cache-control'], 'no-store')
    return [res.statusCode, res.json()]
  }
  t.same(await ask(), [200, { status: 'ok', checks: { engine: true, accepting: true, mail: false } }])
  mail = true
  engine = false
  t.same(await ask(), [503, { status: 'unavailable', checks: { engine: false, accepting: true, mail: true } }])
})

t.test('readyz answers in bounded time: a hung or failing check is false', async (t) => {
  const app = await ops(t, {
    required: { hung: async () => await new Promise<boolean>(() => {}), broken: () => { throw new Error('boom') } },
    timeoutMs: 50
  })
  const started = Date.now()
  const res = await app.inject({ method: 'GET', url: '/readyz' })
  t.ok(Date.now() - started < 1000, 'promptly')
  t.same([res.statusCode, res.json()], [503, { status: 'unavailable', checks: { hung: false, broken: false } }])
})

t.test('engineCheck: connected and answering a ping', async (t) => {
  t.equal(await engineCheck({ isReady: () => true, ping: async () => {} })(), true)
  let pinged = false
  t.equal(await engineCheck({ isReady: () => false, ping: async () => { pinged = true } })(), false)
  t.equal(pinged, false, 'no ping while not connected')
  await t.rejects(Promise.resolve(engineCheck({ isReady: () => true, ping: async () => { throw new Error('down') } })()), /down/, 'readyz counts it false')
})
