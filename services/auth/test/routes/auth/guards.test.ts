import t from 'tap'
import { build, signIn } from '../../helper.js'

/** Bodies that fail before the handler: not JSON at all, and JSON that breaks the route's schema. */
const BROKEN = [['malformed JSON', '{"name":'], ['against the schema', '{"name":42,"token":42,"extra":true}']] as const

t.test('authentication runs before the body is read or validated on every guarded route', async (t) => {
  const built = await build(t, 'memory', { env: { AUTH_SERVICE_KEYS: 'a-service-key-0123456789' } })
  const { app } = built
  const routes = [
    { method: 'PATCH', url: '/auth/me', error: 'unauthorized', headers: {} },
    { method: 'POST', url: '/auth/token', error: 'unauthorized', headers: {} },
    { method: 'POST', url: '/auth/invitations', error: 'unauthorized', headers: {} },
    { method: 'POST', url: '/auth/introspect', error: 'unauthorized', headers: {} },
    { method: 'POST', url: '/auth/introspect', error: 'unauthorized', headers: { authorization: 'Bearer wrong-key' } }
  ] as const
  for (const route of routes) {
    for (const [what, payload] of BROKEN) {
      const res = await app.inject({ method: route.method, url: route.url, payload, headers: { 'content-type': 'application/json', ...route.headers } })
      t.equal(res.statusCode, 401, `${route.method} ${route.url} ${JSON.stringify(route.headers)}, ${what}`)
      t.equal(res.json().error, route.error)
    }
  }
  const cookie = await signIn(built, 'guarded@example.com')
  for (const [what, payload] of BROKEN) {
    const res = await app.inject({ method: 'PATCH', url: '/auth/me', payload, headers: { 'content-type': 'application/json', cookie } })
    t.equal(res.statusCode, 400, `signed in, the body is checked: ${what}`)
  }
  const introspected = await app.inject({
    method: 'POST', url: '/auth/introspect', payload: BROKEN[1][1], headers: { 'content-type': 'application/json', authorization: 'Bearer a-service-key-0123456789' }
  })
  t.equal(introspected.statusCode, 400, 'with the service key, the body is checked')
})
