import t from 'tap'
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

t.test('an index entry without its record is repaired', async (t) => {
  const { createHash } = await import('node:crypto')
  const engine = await engineFor(t, await testConfig(t, 'memory'))
  await engine.kv.set(names.userByEmail(createHash('sha256').update('lost@example.com').digest('base64url')), 'gone')
  const users = createUsers({ engine })
  const user = await users.findOrCreate('lost@example.com')
  t.not(user.id, 'gone')
  t.same(await users.findOrCreate('lost@example.com'), user)
})
