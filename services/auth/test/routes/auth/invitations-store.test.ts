import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import { createMemoryEngine, type Engine } from '@webchat/engine'
import { names } from '../../../src/names.js'
import { ENGINES, build, redisAdmin, signIn, sleep } from '../../helper.js'
import { claimsOf, invite } from './invite.js'

const indexKey = (email: string): string => names.userByEmail(createHash('sha256').update(email).digest('base64url'))

/** Records the name of every key/value write (counters are apart: they are not `kv`). */
function recordWrites (engine: Engine): string[] {
  const written: string[] = []
  const { kv } = engine
  for (const method of ['set', 'setIfAbsent', 'consume', 'delete'] as const) {
    const original = kv[method].bind(kv) as (key: string, ...rest: unknown[]) => Promise<never>
    Object.assign(kv, { [method]: async (key: string, ...rest: unknown[]) => { written.push(key); return await original(key, ...rest) } })
  }
  return written
}

for (const kind of ENGINES) {
  t.test(`${kind}: inviting a new address stores no user and no index entry; its first sign-in gets the ticket's id`, async (t) => {
    const built = await build(t, kind)
    const { app, engine } = built
    const ada = await signIn(built, 'ada@example.com')
    const count = await keyCounter(t, kind, built.config.redisPrefix)
    t.equal((await invite(app, ada, 'warm@example.com')).statusCode, 200, 'the inviter\'s hourly counter exists from here on')
    const written = recordWrites(engine)
    const before = await count()
    const res = await invite(app, ada, 'New.Person@example.com')
    t.equal(res.statusCode, 200)
    const { invitee } = await claimsOf(app, res.json().ticket)
    // The inviter's own session is refreshed as on any request; nothing else is written.
    t.same(written.filter((key) => !key.startsWith('auth:session:')), [], 'no other key/value write')
    t.equal(await engine.kv.get(indexKey('new.person@example.com')), null, 'no index entry')
    t.equal(await engine.kv.get(names.user(invitee as string)), null, 'no user record')
    if (before !== null) {
      // The counter is written with the mail, in the background: wait for it, then a little more.
      for (let i = 0; i < 100 && await count() === before; i++) await sleep(20)
      await sleep(100)
      t.equal(await count(), before + 1, 'one key more: the daily mail counter of the inbox')
    }

    const person = await signIn(built, 'new.person@example.com')
    const me = (await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie: person } })).json().user
    t.equal(me.id, invitee, 'the first sign-in gets the id the invitation named')
  })

  t.test(`${kind}: a user made before ids were derived is invited under their stored random id`, async (t) => {
    const built = await build(t, kind)
    const { app, engine } = built
    const ada = await signIn(built, 'ada@example.com')
    const old = { id: 'r4nd0m-1d_0f-16c', email: 'old@example.com', name: 'old', createdAt: new Date().toISOString() }
    await engine.kv.set(names.user(old.id), JSON.stringify(old))
    await engine.kv.set(indexKey(old.email), old.id)
    const res = await invite(app, ada, 'Old@example.com')
    t.equal((await claimsOf(app, res.json().ticket)).invitee, old.id)
    const cookie = await signIn(built, 'old@example.com')
    t.equal((await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).json().user.id, old.id, 'and signs in as it')
  })
}

/** A count of the test's Redis keys (null on the memory engine, which has no listing). */
async function keyCounter (t: Test, kind: string, prefix: string): Promise<() => Promise<number | null>> {
  if (kind !== 'redis') return async () => null
  const admin = await redisAdmin(t)
  return async () => (await admin.keys(`${prefix}*`)).length
}

t.test('memory engine, full: an invitation answers alike for a registered and a new address', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 300 })
  t.teardown(async () => { await engine.close() })
  const built = await build(t, 'memory', { engine })
  const { app } = built
  const ada = await signIn(built, 'ada@example.com')
  const cy = await signIn(built, 'cy@example.com')
  await signIn(built, 'bob@example.com')
  t.equal((await invite(app, ada, 'warm@example.com')).statusCode, 200, 'Ada\'s hourly counter exists before the store fills')
  let filled = 0
  for (;;) {
    try {
      await engine.kv.set(`filler:${filled}`, 'x')
      filled++
    } catch {
      break
    }
  }
  t.ok(filled > 0, `the store filled after ${filled} more keys`)

  const answers = async (cookie: string): Promise<Array<{ status: number, body: string, headers: string[] }>> =>
    await Promise.all(['bob@example.com', 'nobody@example.com'].map(async (email) => {
      const res = await invite(app, cookie, email)
      const { ticket: _ticket, expiresAt: _expires, ...rest } = res.statusCode === 200 ? res.json() : {}
      return { status: res.statusCode, body: res.statusCode === 200 ? JSON.stringify(rest) : res.body, headers: Object.keys(res.headers).sort() }
    }))
  const [registered, fresh] = await answers(ada)
  t.equal(registered!.status, 200, 'nothing to write for the invitation itself')
  t.same(fresh, registered, 'the same answer for the new address')
  // Cy's hourly counter is a new key: refused in a full store, for every address alike.
  const [registered2, fresh2] = await answers(cy)
  t.equal(registered2!.status, 503)
  t.same(fresh2, registered2, 'the same refusal for the new address')
})
