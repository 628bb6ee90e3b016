import t from 'tap'
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose'
import { TOKEN_TYPE, validate } from '@webchat/shared'
import { generateSigningJwk } from '../../src/plugins/app/signing-keys.js'
import { ENGINES, build, engineFor, signIn, testConfig } from '../helper.js'

const SECRETS = { SESSION_SECRET: 's'.repeat(40), CODE_SECRET: 'c'.repeat(40), AUTH_SERVICE_KEYS: 'service-key-0123456789' }

for (const kind of ENGINES) {
  t.test(`GET /.well-known/jwks.json on ${kind}`, async (t) => {
    const { app } = await build(t, kind)
    const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })
    t.equal(res.statusCode, 200)
    t.equal(res.headers['cache-control'], 'public, max-age=300')
    const jwks = res.json()
    t.ok(validate.jwks(jwks))
    t.equal(jwks.keys.length, 1)
    t.match(jwks.keys[0], { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: String, x: String, y: String })
    t.notOk('d' in jwks.keys[0], 'no private part')
  })

  t.test(`key rotation on ${kind}: nobody is logged out, old tokens verify until they expire`, async (t) => {
    // From an Ed25519 key (what DATA_DIR holds from before ES256 was the default) to a P-256 one.
    const [oldKey, newKey] = [await generateSigningJwk('EdDSA'), await generateSigningJwk()]
    const shared = await engineFor(t, await testConfig(t, kind))
    const before = await build(t, kind, { engine: shared, env: { ...SECRETS, SIGNING_KEYS: JSON.stringify([oldKey]) } })
    const cookie = await signIn(before, 'rotate@example.com')
    const { token: oldToken } = (await before.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).json()
    t.equal(decodeProtectedHeader(oldToken).kid, oldKey.kid)
    await before.app.close()

    // The restarted service lists the new key first: it signs; the old one still verifies.
    const after = await build(t, kind, { engine: shared, env: { ...SECRETS, SIGNING_KEYS: JSON.stringify([newKey, oldKey]) } })
    const jwks = (await after.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json()
    t.same(jwks.keys.map((k: { kid: string }) => k.kid), [newKey.kid, oldKey.kid])
    const keySet = createLocalJWKSet(jwks)
    const options = { algorithms: ['ES256', 'EdDSA'], typ: TOKEN_TYPE, audience: 'chat', issuer: 'webchat-auth' }
    const { payload } = await jwtVerify(oldToken, keySet, options)
    t.ok(validate.tokenClaims(payload), 'the old token verifies with every claim')
    const introspected = await after.app.inject({ method: 'POST', url: '/auth/introspect', headers: { authorization: `Bearer ${SECRETS.AUTH_SERVICE_KEYS}` }, payload: { token: oldToken } })
    t.equal(introspected.json().active, true)
    await t.rejects(jwtVerify(oldToken, keySet, { ...options, currentDate: new Date(((payload.exp ?? 0) + 1) * 1000) }), joseErrors.JWTExpired, '…until it expires')

    const me = await after.app.inject({ method: 'GET', url: '/auth/me', headers: { cookie } })
    t.equal(me.statusCode, 200, 'the session survived the rotation')
    const { token: newToken } = (await after.app.inject({ method: 'POST', url: '/auth/token', headers: { cookie } })).json()
    t.equal(decodeProtectedHeader(newToken).kid, newKey.kid, 'the newest key signs')
    t.ok((await jwtVerify(newToken, keySet, options)).payload)
    await after.app.close()

    // Once the old key is dropped, its tokens are refused.
    const dropped = await build(t, kind, { engine: shared, env: { ...SECRETS, SIGNING_KEYS: JSON.stringify([newKey]) } })
    const gone = await dropped.app.inject({ method: 'POST', url: '/auth/introspect', headers: { authorization: `Bearer ${SECRETS.AUTH_SERVICE_KEYS}` }, payload: { token: oldToken } })
    t.same(gone.json(), { active: false })
  })
}
