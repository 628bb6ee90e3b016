import t from 'tap'
import { SignJWT, UnsecuredJWT, base64url, decodeProtectedHeader } from 'jose'
import { TOKEN_TYPE, validate } from '@webchat/shared'
import { ENGINES, build, signIn, sleep } from '../../helper.js'

const KEYS = 'first-service-key-0123456789,second-service-key-0123456789'

for (const kind of ENGINES) {
  t.test(`POST /auth/introspect on ${kind}`, async (t) => {
    const built = await build(t, kind, { env: { AUTH_SERVICE_KEYS: KEYS, TOKEN_TTL: '2' } })
    const { app } = built
    const cookie = await signIn(built, 'intro@example.com')
    const { token } = (await app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).json()
    const introspect = async (body: unknown, authorization = 'Bearer second-service-key-0123456789') =>
      await app.inject({ method: 'POST', url: '/auth/introspect', headers: { authorization }, payload: body as object })

    t.test('needs a service key', async (t) => {
      for (const authorization of ['', 'Bearer', 'Bearer wrong-key', 'Basic Zmlyc3Qtc2VydmljZS1rZXk=', 'first-service-key-0123456789', 'Bearer first-service-key-0123456789x']) {
        const res = await introspect({ token }, authorization)
        t.equal(res.statusCode, 401, authorization)
        t.equal(res.json().error, 'unauthorized')
        t.equal(res.headers['www-authenticate'], 'Bearer realm="webchat-service"')
      }
      t.equal((await introspect({ token }, 'Bearer first-service-key-0123456789')).statusCode, 200, 'every listed key works')
      t.equal((await introspect('not json at all', '')).statusCode, 401, 'checked before the body is read')
    })

    t.test('an active token: RFC 7662 shape with every claim', async (t) => {
      const res = await introspect({ token })
      t.equal(res.statusCode, 200)
      t.equal(res.headers['cache-control'], 'no-store')
      const body = res.json()
      t.ok(validate.introspectResponse(body))
      t.match(body, { active: true, aud: 'chat', iss: 'webchat-auth', name: 'intro', token_type: 'Bearer' })
      for (const claim of ['sub', 'sid', 'jti', 'iat', 'exp']) t.ok(body[claim] !== undefined, claim)
      const form = await app.inject({
        method: 'POST',
        url: '/auth/introspect',
        headers: { authorization: 'Bearer first-service-key-0123456789', 'content-type': 'application/x-www-form-urlencoded' },
        payload: `token=${encodeURIComponent(token)}`
      })
      t.equal(form.json().active, true, 'form-encoded requests, as RFC 7662 has them')
    })

    t.test('anything else is inactive', async (t) => {
      const [header, payload] = token.split('.')
      const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)))
      const { kid } = decodeProtectedHeader(token)
      const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE, kid }).sign(new TextEncoder().encode('x'.repeat(32)))
      const none = new UnsecuredJWT(claims).encode()
      const tampered = `${header}.${base64url.encode(JSON.stringify({ ...claims, sub: 'someone-else' }))}.${token.split('.')[2]}`
      // A signature with its first character changed (the last ones may carry padding bits only).
      const signature = token.split('.')[2]!
      const forged = `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`
      for (const candidate of ['garbage', 'a.b.c', hs, none, tampered, forged]) {
        const res = await introspect({ token: candidate })
        t.equal(res.statusCode, 200)
        t.same(res.json(), { active: false }, candidate.slice(0, 30))
      }
      await sleep(2100)
      t.same((await introspect({ token })).json(), { active: false }, 'expired')
    })

    t.test('bad bodies are 400', async (t) => {
      for (const body of [{}, { token: 42 }, { token: '' }, { token: 'x'.repeat(9000) }, { token, extra: 1 }]) {
        const res = await introspect(body)
        t.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 40))
        t.equal(res.json().error, 'bad_request')
      }
    })
  })
}

t.test('without AUTH_SERVICE_KEYS nobody may introspect', async (t) => {
  const { app } = await build(t, 'memory')
  const res = await app.inject({ method: 'POST', url: '/auth/introspect', headers: { authorization: 'Bearer ' }, payload: { token: 'x' } })
  t.equal(res.statusCode, 401)
})
