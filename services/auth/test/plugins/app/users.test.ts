import { createHash, createHmac } from 'node:crypto'
import t from 'tap'
import { isUserId, normalizeName } from '@webchat/shared'
import { names } from '../../../src/names.js'
import { createUsers, defaultName, userIdDeriver } from '../../../src/plugins/app/users.js'
import { ENGINES, engineFor, testConfig } from '../../helper.js'

const secret = 'a code secret of at least 32 characters'
const indexKey = (email: string): string => names.userByEmail(createHash('sha256').update(email).digest('base64url'))

for (const kind of ENGINES) {
  t.test(`users on ${kind}`, async (t) => {
    const engine = await engineFor(t, await testConfig(t, kind))
    const users = createUsers({ engine, secret })
    const invitedAs = await users.idOf('Same@Example.com')
    t.equal(await engine.kv.get(indexKey('same@example.com')), null, 'looking an address up stores nothing')
    t.equal(await engine.kv.get(names.user(invitedAs)), null)
    const created = await Promise.all(Array.from({ length: 20 }, async () => await users.findOrCreate('Same@Example.com')))
    t.equal(new Set(created.map((u) => u.id)).size, 1, 'concurrent first sign-ins make one user')
    const user = created[0]!
    t.match(user, { id: /^[A-Za-z0-9_-]{16}$/, email: 'same@example.com', name: 'same' })
    t.equal(user.id, invitedAs, 'the id looked up before is the one the first sign-in gets')
    t.equal(await users.idOf('same@EXAMPLE.com'), user.id)
    t.equal(await engine.kv.get(indexKey('same@example.com')), user.id, 'indexed')
    t.equal(new Date(user.createdAt).toISOString(), user.createdAt)
    t.same(await users.findOrCreate('same@example.com'), user, 'found again, any case')
    t.same(await users.get(user.id), user)
    t.equal(await users.get('missing'), null)
    t.same(await users.rename(user.id, 'Someone'), { ...user, name: 'Someone' })
    t.equal((await users.get(user.id))?.name, 'Someone')
    t.equal(await users.rename('missing', 'x'), null)
    t.not((await users.findOrCreate('other@example.com')).id, user.id)
    t.not((await users.findOrCreate('same+x@example.com')).id, user.id, 'a tagged address is another user')
  })

  t.test(`${kind}: a user made before ids were derived keeps their random id`, async (t) => {
    const engine = await engineFor(t, await testConfig(t, kind))
    const users = createUsers({ engine, secret })
    const old = { id: 'r4nd0m-1d_0f-16c', email: 'old@example.com', name: 'Old', createdAt: new Date().toISOString() }
    await engine.kv.set(names.user(old.id), JSON.stringify(old))
    await engine.kv.set(indexKey(old.email), old.id)
    t.equal(await users.idOf('OLD@example.com'), old.id)
    t.same(await users.findOrCreate('old@example.com'), old)
    t.not(userIdDeriver(secret)(old.email), old.id)
  })
}

t.test('derived ids: 16 base64url characters, per address and per key', async (t) => {
  const derive = userIdDeriver(secret)
  const id = derive('ada@example.com')
  t.match(id, /^[A-Za-z0-9_-]{16}$/)
  t.ok(isUserId(id))
  t.equal(derive('ADA@example.com'), id, 'lower case')
  t.equal(userIdDeriver(secret)('ada@example.com'), id, 'the same in every instance')
  t.not(derive('ada+x@example.com'), id)
  t.not(derive('a.da@example.com'), id)
  t.not(userIdDeriver(`${secret}!`)('ada@example.com'), id, 'another key, another id')
  const expected = createHmac('sha256', createHmac('sha256', secret).update('webchat user id key').digest())
    .update('webchat user id\0ada@example.com').digest().subarray(0, 12).toString('base64url')
  t.equal(id, expected, 'HMAC-SHA256 of the labelled address under a key derived from CODE_SECRET, 12 bytes')
})

t.test('default names come from the local part', async (t) => {
  t.equal(defaultName('ada.lovelace@example.com'), 'ada.lovelace')
  t.equal(defaultName(`${'x'.repeat(60)}@example.com`), 'x'.repeat(40))
  t.equal(defaultName('@example.com'), 'user')
})

t.test('a default name is never refused by the name rule, nor blank', async (t) => {
  // Every character an address's local part may hold (EMAIL_PATTERN), alone and in runs.
  const allowed = "ABCXYZabcxyz0189.!#$%&'*+/=?^_`{|}~-"
  for (const c of allowed) {
    for (const local of [c, c.repeat(64), `a${c}b`]) {
      const name = defaultName(`${local}@example.com`)
      t.equal(normalizeName(name), name, JSON.stringify(local))
    }
  }
  // An address that slipped past the schema still gets a name that shows.
  for (const email of ['\u3164@example.com', ' @example.com', '\u202e@example.com', 'a@b@example.com']) {
    const name = defaultName(email)
    t.equal(normalizeName(name), name, JSON.stringify(email))
  }
})

t.test('a stored name that breaks the rule reads as the default name; the record stays', async (t) => {
  const engine = await engineFor(t, await testConfig(t, 'memory'))
  const users = createUsers({ engine, secret })
  const user = await users.findOrCreate('old@example.com')
  const stored = JSON.stringify({ ...user, name: '\u3164' })
  await engine.kv.set(names.user(user.id), stored)
  t.equal((await users.get(user.id))?.name, 'old')
  t.equal((await users.findOrCreate('old@example.com')).name, 'old')
  t.equal(await engine.kv.get(names.user(user.id)), stored, 'nothing rewritten')
  await engine.kv.set(names.user(user.id), JSON.stringify({ ...user, name: 'Ada  Lovelace' }))
  t.equal((await users.get(user.id))?.name, 'Ada Lovelace', 'read as the rule would store it')
})

t.test('an index entry without its record is repaired under the id it names; an unreadable one is replaced', async (t) => {
  const engine = await engineFor(t, await testConfig(t, 'memory'))
  const users = createUsers({ engine, secret })
  await engine.kv.set(indexKey('lost@example.com'), 'gone')
  t.equal(await users.idOf('lost@example.com'), 'gone', 'what an invitation names')
  const user = await users.findOrCreate('lost@example.com')
  t.match(user, { id: 'gone', email: 'lost@example.com', name: 'lost' }, 'so the invitation still reaches them')
  t.same(await users.findOrCreate('lost@example.com'), user)

  await engine.kv.set(indexKey('odd@example.com'), 'not an id!')
  const derived = userIdDeriver(secret)('odd@example.com')
  t.equal(await users.idOf('odd@example.com'), derived, 'an index value that is no id is ignored')
  t.equal((await users.findOrCreate('odd@example.com')).id, derived)
  t.equal(await engine.kv.get(indexKey('odd@example.com')), derived, 'and replaced')

  const broken = userIdDeriver(secret)('broken@example.com')
  await engine.kv.set(names.user(broken), '{not json')
  t.match(await users.findOrCreate('broken@example.com'), { id: broken, name: 'broken' })
  t.match(JSON.parse(await engine.kv.get(names.user(broken)) ?? 'null'), { id: broken, email: 'broken@example.com' }, 'the record is written again')
})
