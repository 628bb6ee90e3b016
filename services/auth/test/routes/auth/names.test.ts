import t from 'tap'
import { names } from '../../../src/names.js'
import { build, signIn } from '../../helper.js'

/** A TAP-safe label: every character outside printable ASCII as \uXXXX. */
const show = (value: string): string => JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

t.test('PATCH /auth/me refuses names that show as nothing: 400 invalid_name, the name unchanged', async (t) => {
  const built = await build(t, 'memory')
  const cookie = await signIn(built, 'ada@example.com')
  const rename = async (name: string) => await built.app.inject({ method: 'PATCH', url: '/auth/me', headers: { cookie }, payload: { name } })
  t.equal((await rename('Ada Lovelace')).json().user.name, 'Ada Lovelace')
  const blank = ['\u3164', '\u3164\u3164\u3164', ' \u3164 ', '\u115F', '\u1160', '\uFFA0', '\u2800\u2800', '\u200B', '\u200D',
    '\u2060\uFEFF', '\u00AD', '\u034F', '\u180E', '\u200E', '\u202E', '\u2066', '\uFE0F', '\u{E0041}', '\u0301', '\u3000']
  const hidden = ['Ada\u3164Lovelace', 'Ada\u200BLovelace', 'Ada\u202ELovelace', 'Ada\u2067Lovelace', 'Ada\u200D', '\u200DAda', 'Ada\u2800Lovelace']
  for (const name of [...blank, ...hidden]) {
    const res = await rename(name)
    t.equal(res.statusCode, 400, show(name))
    t.same(res.json(), { error: 'invalid_name', message: res.json().message }, `invalid_name for ${show(name)}`)
  }
  t.equal((await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).json().user.name, 'Ada Lovelace', 'the name is unchanged')
  for (const name of ['👨‍👩‍👧', 'محمد', 'שרה', 'देवनागरी', '李小龙', 'می‌خواهم', 'Zoe\u0308']) {
    const res = await rename(name)
    t.equal(res.statusCode, 200, show(name))
    t.equal(res.json().user.name, name.normalize('NFC'), `${show(name)} kept`)
  }
})

t.test('a name stored before the rule reads as the default name, in /auth/me and in tokens', async (t) => {
  const built = await build(t, 'memory')
  const cookie = await signIn(built, 'ghost@example.com')
  const { user } = (await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).json()
  await built.engine.kv.set(names.user(user.id), JSON.stringify({ ...user, name: '\u3164\u3164' }))
  t.equal((await built.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })).json().user.name, 'ghost')
  const { token } = (await built.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).json()
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'))
  t.equal(claims.name, 'ghost', 'the token carries the default name')
})
