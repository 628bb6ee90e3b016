import t from 'tap'
import { normalizeName } from '@webchat/shared'
import { names } from '../../../src/names.js'
import { createUsers, defaultName } from '../../../src/plugins/app/users.js'
import { ENGINES, engineFor, testConfig } from '../../helper.js'

for (const kind of ENGINES) {
  t.test(`users on ${kind}`, async (t) => {
    const users = createUsers({ engine: await engineFor(t, await testConfig(t, kind)) })
    const created = await Promise.all(Array.from({ length: 20 }, async () => await users.findOrCreate('Same@Example.com')))
    t.equal(new Set(created.map((u) => u.id)).size, 1, 'concurrent first sign-ins make one user')
    const user = created[0]!
    t.match(user, { id: /^[A-Za-z0-9_-]{16}$/, email: 'same@example.com', name: 'same' })
    t.equal(new Date(user.createdAt).toISOString(), user.createdAt)
    t.same(await users.findOrCreate('same@example.com'), user, 'found again, any case')
    t.same(await users.get(user.id), user)
    t.equal(await users.get('missing'), null)
    t.same(await users.rename(user.id, 'Someone'), { ...user, name: 'Someone' })
    t.equal((await users.get(user.id))?.name, 'Someone')
    t.equal(await users.rename('missing', 'x'), null)
    t.not((await users.findOrCreate('other@example.com')).id, user.id)
  })
}

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
  const users = createUsers({ engine })
  const user = await users.findOrCreate('old@example.com')
  const stored = JSON.stringify({ ...user, name: '\u3164' })
  await engine.kv.set(names.user(user.id), stored)
  t.equal((await users.get(user.id))?.name, 'old')
  t.equal((await users.findOrCreate('old@example.com')).name, 'old')
  t.equal(await engine.kv.get(names.user(user.id)), stored, 'nothing rewritten')
  await engine.kv.set(names.user(user.id), JSON.stringify({ ...user, name: 'Ada  Lovelace' }))
  t.equal((await users.get(user.id))?.name, 'Ada Lovelace', 'read as the rule would store it')
})

t.test('an index entry without its record is repaired', async (t) => {
  const { createHash } = await import('node:crypto')
  const engine = await engineFor(t, await testConfig(t, 'memory'))
  await engine.kv.set(names.userByEmail(createHash('sha256').update('lost@example.com').digest('base64url')), 'gone')
  const users = createUsers({ engine })
  const user = await users.findOrCreate('lost@example.com')
  t.not(user.id, 'gone')
  t.same(await users.findOrCreate('lost@example.com'), user)
})
