import t from 'tap'
import { createMemoryEngine } from '@webchat/engine'
import { build, requestCode, signIn } from '../../helper.js'

t.test('memory engine: a flood of code requests fills only the sign-in share; sessions, tokens and logout keep working', async (t) => {
  const engine = createMemoryEngine({ maxKeys: 400, maxShare: { traffic: 200, attempts: 60 } })
  t.teardown(async () => { await engine.close() })
  const built = await build(t, 'memory', { engine, env: { CODE_COOLDOWN: '0' } })
  const alice = await signIn(built, 'alice@example.com')
  let accepted = 0
  let refused = 0
  // Many clients, each asking for codes to made-up addresses, as a flood without an account would.
  for (let i = 0; i < 200 && refused === 0; i++) {
    const res = await requestCode(built.app, `victim${i}@example.com`, {}, { from: `198.51.100.${i % 250}`, as: `flood${i}` })
    if (res.statusCode === 202) accepted++
    else if (res.statusCode === 503) refused++
    else t.fail(`unexpected ${res.statusCode}`)
  }
  t.ok(refused > 0, `the sign-in share filled after ${accepted} code requests: 503`)
  const token = await built.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie: alice } })
  t.equal(token.statusCode, 200, 'a signed-in user still gets chat tokens')
  const logout = await built.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: alice } })
  t.equal(logout.statusCode, 204, 'and logs out, the revocation stored')
})
