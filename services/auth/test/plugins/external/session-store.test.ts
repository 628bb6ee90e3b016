import t from 'tap'
import { createMemoryEngine } from '@webchat/engine'
import { names } from '../../../src/names.js'
import { createSessionStore } from '../../../src/plugins/external/session-store.js'

const call = async <T>(fn: (cb: (err?: unknown, value?: T) => void) => void): Promise<T | undefined> =>
  await new Promise((resolve, reject) => { fn((err, value) => { if (err !== undefined && err !== null) reject(err); else resolve(value) }) })

t.test('TTL = idle timeout, cut to what is left of the absolute lifetime', async (t) => {
  let now = 1_000_000
  const engine = createMemoryEngine({ now: () => now })
  t.teardown(async () => { await engine.close() })
  const store = createSessionStore({ kv: engine.kv, idleMs: 10_000, maxAgeMs: 25_000, now: () => now })
  const session = { userId: 'u', handle: 'h', createdAt: now, cookie: { originalMaxAge: 10_000 } }
  await call((cb) => store.set('s1', session as never, cb))
  t.equal(await engine.kv.ttl(names.session('s1')), 10_000)
  t.same(await call((cb) => store.get('s1', cb)), session)
  now += 9_000
  await call((cb) => store.set('s1', session as never, cb))
  t.equal(await engine.kv.ttl(names.session('s1')), 10_000, 'activity renews the idle timeout')
  now += 9_000
  await call((cb) => store.set('s1', session as never, cb))
  t.equal(await engine.kv.ttl(names.session('s1')), 7_000, 'but not past the absolute lifetime')
  now += 7_000
  t.equal(await call((cb) => store.get('s1', cb)), null, 'over')
  await call((cb) => store.set('s1', session as never, cb))
  t.equal(await engine.kv.get('auth:session:s1'), null, 'saving an expired session deletes it')

  now += 1
  const fresh = { ...session, createdAt: now }
  await call((cb) => store.set('s2', fresh as never, cb))
  await call((cb) => store.destroy('s2', cb))
  t.equal(await call((cb) => store.get('s2', cb)), null)
  await engine.kv.set('auth:session:bad', '{not json')
  t.equal(await call((cb) => store.get('bad', cb)), null, 'unreadable data is no session')
  await engine.close()
  await t.rejects(call((cb) => store.get('s1', cb)), { code: 'ENGINE_UNAVAILABLE' }, 'engine errors reach @fastify/session')
})
