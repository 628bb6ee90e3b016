import t from 'tap'
import { SignJWT, UnsecuredJWT, createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { INVITATION_AUDIENCE, INVITATION_TYPE, TOKEN_TYPE, validate } from '@webchat/shared'
import { createSigner } from '../../../src/plugins/app/signer.js'
import { generateSigningJwk, loadSigningKeys } from '../../../src/plugins/app/signing-keys.js'

const keysOf = async (...jwks: object[]) => (await loadSigningKeys(JSON.stringify(jwks), '/nonexistent')).keys

t.test('sign: ES256 by default, kid, typ and every claim', async (t) => {
  const jwk = await generateSigningJwk()
  const signer = createSigner({ keys: await keysOf(jwk), issuer: 'https://auth.example', ttlSeconds: 300 })
  const { token, expiresAt, claims } = await signer.sign({ userId: 'u1', sid: 's1', name: 'Ada' })
  t.same(decodeProtectedHeader(token), { alg: 'ES256', typ: TOKEN_TYPE, kid: jwk.kid })
  const { payload } = await jwtVerify(token, createLocalJWKSet(signer.jwks()), { algorithms: ['ES256'], typ: TOKEN_TYPE })
  t.ok(validate.tokenClaims(payload))
  t.same(payload, claims)
  t.match(payload, { iss: 'https://auth.example', aud: 'chat', sub: 'u1', sid: 's1', name: 'Ada' })
  t.equal((payload.exp ?? 0) - (payload.iat ?? 0), 300)
  t.equal(expiresAt, new Date((payload.exp ?? 0) * 1000).toISOString())
  t.not((await signer.sign({ userId: 'u1', sid: 's1', name: 'Ada' })).claims.jti, claims.jti, 'a fresh jti each time')
  t.same(await signer.verify(token), claims)
  t.same(signer.jwks().keys.map((k) => Object.keys(k).sort()), [['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']], 'the public half only')
})

t.test('signInvitation: the same key, its own typ and audience, 10 minutes; never a chat token', async (t) => {
  const jwk = await generateSigningJwk()
  const signer = createSigner({ keys: await keysOf(jwk), issuer: 'iss', ttlSeconds: 300 })
  const { ticket, expiresAt, claims } = await signer.signInvitation({ inviterId: 'u1', inviteeId: 'u2', name: 'bea' })
  t.same(decodeProtectedHeader(ticket), { alg: 'ES256', typ: INVITATION_TYPE, kid: jwk.kid })
  const { payload } = await jwtVerify(ticket, createLocalJWKSet(signer.jwks()), { algorithms: ['ES256'], typ: INVITATION_TYPE, audience: INVITATION_AUDIENCE, issuer: 'iss' })
  t.ok(validate.invitationClaims(payload))
  t.same(payload, claims)
  t.match(payload, { sub: 'u1', invitee: 'u2', name: 'bea' })
  t.equal(payload.sid, undefined, 'no session')
  t.equal((payload.exp ?? 0) - (payload.iat ?? 0), 600)
  t.equal(expiresAt, new Date((payload.exp ?? 0) * 1000).toISOString())
  t.equal(await signer.verify(ticket), null, 'not a chat token')
})

t.test('an Ed25519 key signs EdDSA tokens, and a key set may mix both', async (t) => {
  const ed = await generateSigningJwk('EdDSA')
  const ec = await generateSigningJwk()
  const signer = createSigner({ keys: await keysOf(ed, ec), issuer: 'iss', ttlSeconds: 60 })
  const { token, claims } = await signer.sign({ userId: 'u1', sid: 's1', name: 'Ada' })
  t.same(decodeProtectedHeader(token), { alg: 'EdDSA', typ: TOKEN_TYPE, kid: ed.kid })
  t.same(await signer.verify(token), claims)
  t.same(signer.jwks().keys.map((k) => [k.kty, k.crv, k.alg, Object.keys(k).length]), [['OKP', 'Ed25519', 'EdDSA', 6], ['EC', 'P-256', 'ES256', 7]])
  const { payload } = await jwtVerify(token, createLocalJWKSet(signer.jwks()), { algorithms: ['EdDSA'], typ: TOKEN_TYPE })
  t.same(payload, claims, 'jose checks it against the published key set')
  // Algorithm confusion between the two: the header names the algorithm of another key than its kid's
  // (jose's own key-type check refuses these too; the signer's alg check is a second guard).
  const [edKey, ecKey] = await keysOf(ed, ec)
  const body = { ...claims, jti: 'x' }
  const mislabelled = await new SignJWT(body).setProtectedHeader({ alg: 'ES256', typ: TOKEN_TYPE, kid: ed.kid }).sign(ecKey!.privateKey)
  t.equal(await signer.verify(mislabelled), null, 'ES256 under the kid of the Ed25519 key')
  const swapped = await new SignJWT(body).setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE, kid: ec.kid }).sign(edKey!.privateKey)
  t.equal(await signer.verify(swapped), null, 'EdDSA under the kid of the P-256 key')
})

t.test('verify refuses everything but our own valid tokens', async (t) => {
  const jwk = await generateSigningJwk()
  const other = await generateSigningJwk()
  let now = Date.now()
  const signer = createSigner({ keys: await keysOf(jwk), issuer: 'iss', ttlSeconds: 60, now: () => now })
  const { token, claims } = await signer.sign({ userId: 'u1', sid: 's1', name: 'Ada' })
  const foreign = createSigner({ keys: await keysOf({ ...other, kid: jwk.kid }), issuer: 'iss', ttlSeconds: 60 })
  const { privateKey } = (await keysOf(jwk))[0]!
  const sign = async (header: object, body: object = claims) => await new SignJWT({ ...body }).setProtectedHeader({ alg: 'ES256', ...header }).sign(privateKey)
  const cases: Record<string, string> = {
    garbage: 'not a token',
    'another key under our kid': (await foreign.sign({ userId: 'u1', sid: 's1', name: 'Ada' })).token,
    'HS256 with the public key as secret': await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'HS256', typ: TOKEN_TYPE, kid: jwk.kid }).sign(new TextEncoder().encode(jwk.x)),
    'EdDSA under our kid': await new SignJWT({ ...claims }).setProtectedHeader({ alg: 'EdDSA', typ: TOKEN_TYPE, kid: jwk.kid }).sign((await keysOf(await generateSigningJwk('EdDSA')))[0]!.privateKey),
    'alg none': new UnsecuredJWT({ ...claims }).encode(),
    'no typ': await sign({ kid: jwk.kid }),
    'another typ': await sign({ kid: jwk.kid, typ: 'JWT' }),
    'no kid': await sign({ typ: TOKEN_TYPE }),
    'unknown kid': await sign({ typ: TOKEN_TYPE, kid: 'nope' }),
    'another audience': await sign({ typ: TOKEN_TYPE, kid: jwk.kid }, { ...claims, aud: 'billing' }),
    'another issuer': await sign({ typ: TOKEN_TYPE, kid: jwk.kid }, { ...claims, iss: 'evil' }),
    'no sid': await sign({ typ: TOKEN_TYPE, kid: jwk.kid }, { ...claims, sid: undefined }),
    tampered: token.split('.').map((part, i) => i === 1 ? Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url') : part).join('.')
  }
  for (const [what, candidate] of Object.entries(cases)) t.equal(await signer.verify(candidate), null, what)
  t.ok(await signer.verify(await sign({ typ: TOKEN_TYPE, kid: jwk.kid })), 'the control case verifies')
  now += 61_000
  t.equal(await signer.verify(token), null, 'expired')
})

t.test('rotation: the first key signs, every listed key verifies (also from Ed25519 to P-256)', async (t) => {
  const [a, b] = [await generateSigningJwk('EdDSA'), await generateSigningJwk()]
  const old = createSigner({ keys: await keysOf(a), issuer: 'iss', ttlSeconds: 60 })
  const rotated = createSigner({ keys: await keysOf(b, a), issuer: 'iss', ttlSeconds: 60 })
  const { token } = await old.sign({ userId: 'u', sid: 's', name: 'n' })
  t.ok(await rotated.verify(token))
  t.equal(decodeProtectedHeader((await rotated.sign({ userId: 'u', sid: 's', name: 'n' })).token).kid, b.kid)
  t.same(rotated.jwks().keys.map((k) => k.kid), [b.kid, a.kid])
  t.throws(() => createSigner({ keys: [], issuer: 'iss', ttlSeconds: 60 }), /no signing key/)
})
