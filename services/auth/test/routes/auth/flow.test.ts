import t from 'tap'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { names } from '@webchat/engine'
import { TOKEN_TYPE, validate } from '@webchat/shared'
import { ENGINES, build, mailedCode, requestCode, sessionCookie, verify } from '../../helper.js'

for (const kind of ENGINES) {
  t.test(`the whole flow on ${kind}`, async (t) => {
    const built = await build(t, kind, { env: { AUTH_SERVICE_KEYS: 'service-key-0123456789' } })
    const { app, sink } = built
    const email = 'Ada.Lovelace@Example.com'

    const sent = await requestCode(app, email)
    t.equal(sent.statusCode, 202)
    t.same(sent.json(), { resendAfter: 60 })
    t.ok(validate.codeAccepted(sent.json()))
    const code = await mailedCode(sink, email.toLowerCase())
    t.match(code, /^[0-9]{8}$/)

    const signedIn = await verify(app, email, code)
    t.equal(signedIn.statusCode, 200, signedIn.body)
    t.ok(validate.userBody(signedIn.json()))
    const { user } = signedIn.json()
    t.equal(user.email, 'ada.lovelace@example.com')
    t.equal(user.name, 'ada.lovelace')
    const cookie = sessionCookie(signedIn)

    const me = await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })
    t.equal(me.statusCode, 200)
    t.same(me.json(), { user })

    const renamed = await app.inject({ method: 'PATCH', url: '/auth/me', headers: { cookie }, payload: { name: '  Ada  ' } })
    t.equal(renamed.statusCode, 200)
    t.equal(renamed.json().user.name, 'Ada')

    const minted = await app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })
    t.equal(minted.statusCode, 200)
    t.ok(validate.tokenResponse(minted.json()))
    const { token, expiresAt } = minted.json()

    const jwks = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks.json()), { algorithms: ['ES256'], typ: TOKEN_TYPE, audience: 'chat', issuer: 'webchat-auth' })
    t.equal(protectedHeader.typ, TOKEN_TYPE)
    t.equal(payload.sub, user.id)
    t.equal(payload.name, 'Ada')
    t.equal(new Date((payload.exp ?? 0) * 1000).toISOString(), expiresAt)

    const service = { authorization: 'Bearer service-key-0123456789' }
    const active = await app.inject({ method: 'POST', url: '/auth/introspect', headers: service, payload: { token } })
    t.equal(active.statusCode, 200)
    t.equal(active.json().active, true)
    t.equal(active.json().sid, payload.sid)

    const revoked: string[] = []
    const unsubscribe = await built.engine.pubsub.subscribe(names.sessionRevokedChannel(names.revocationBucketOf(String(payload.sid))), (sid) => revoked.push(sid))
    t.teardown(unsubscribe)
    const loggedOutAt = Date.now()
    const out = await app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } })
    t.equal(out.statusCode, 204)
    while (revoked.length === 0 && Date.now() - loggedOutAt < 2000) await new Promise((resolve) => setTimeout(resolve, 5))
    t.same(revoked, [payload.sid], 'revocation published with the sid, on its session\'s bucket')
    t.ok(Date.now() - loggedOutAt < 1000, `chat instances hear of it within 1 s (${Date.now() - loggedOutAt} ms)`)
    t.equal(await built.engine.kv.get(names.revokedSession(String(payload.sid))), '1')

    const after = await app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })
    t.equal(after.statusCode, 401)
    t.equal(after.json().error, 'unauthorized')
    const inactive = await app.inject({ method: 'POST', url: '/auth/introspect', headers: service, payload: { token } })
    t.same(inactive.json(), { active: false })
  })
}
