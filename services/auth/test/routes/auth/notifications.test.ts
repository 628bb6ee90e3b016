import t from 'tap'
import { validate } from '@webchat/shared'
import { ENGINES, build, signIn } from '../../helper.js'

for (const kind of ENGINES) {
  t.test(`${kind}: GET and PUT /auth/me/notifications`, async (t) => {
    const built = await build(t, kind)
    const { app } = built
    const cookie = await signIn(built, 'ada@example.com')
    const read = async () => await app.inject({ method: 'GET', url: '/auth/me/notifications', headers: { cookie } })
    const put = async (payload: unknown, headers: Record<string, string> = {}) =>
      await app.inject({ method: 'PUT', url: '/auth/me/notifications', headers: { cookie, ...headers }, payload: payload as object })

    const first = await read()
    t.equal(first.statusCode, 200)
    t.same(first.json(), { email: 'all' }, 'all by default')
    t.equal(first.headers['cache-control'], 'no-store')
    for (const email of ['direct', 'off', 'all']) {
      const res = await put({ email })
      t.equal(res.statusCode, 200)
      t.same(res.json(), { email })
      t.same((await read()).json(), { email }, `${email} is kept`)
    }
    await put({ email: 'direct' })
    for (const payload of [{ email: 'sometimes' }, { email: 'off', extra: 1 }, {}, { email: ['off'] }]) {
      const res = await put(payload)
      t.equal(res.statusCode, 400, JSON.stringify(payload))
      t.equal(res.json().error, 'bad_request')
    }
    t.equal((await put({ email: 'off' }, { origin: 'https://evil.example' })).statusCode, 403, 'the origin guard, like other state-changing routes')
    t.same((await read()).json(), { email: 'direct' }, 'refused requests changed nothing')
    t.ok(validate.errorBody((await put({ email: 'x' })).json()))
  })
}

t.test('without a session: 401', async (t) => {
  const { app } = await build(t, 'memory')
  const get = await app.inject({ method: 'GET', url: '/auth/me/notifications' })
  t.equal(get.statusCode, 401)
  t.equal(get.json().error, 'unauthorized')
  const put = await app.inject({ method: 'PUT', url: '/auth/me/notifications', payload: { email: 'off' } })
  t.equal(put.statusCode, 401)
})
