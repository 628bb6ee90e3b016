import t from 'tap'
import { errors, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { wireErrorOf } from '@webchat/service-kit'
import { createJwtVerifier } from '../src/jwt.js'
import { TOKEN_CURVES } from '@webchat/shared'

const policy = { issuer: 'iss', audience: 'chat', typ: 'webchat-chat+jwt', requiredClaims: ['sub', 'jti', 'exp', 'iat'], clockToleranceS: 5 }
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')


for (const [alg, crv] of Object.entries(TOKEN_CURVES)) t.test(`the verifier accepts what jose signs with ${alg} and refuses everything else with a reason`, async (t) => {
  const { privateKey, publicKey } = await generateKeyPair(alg, { crv })
  const other = await generateKeyPair(alg, { crv })
  const otherAlg = alg === 'ES256' ? 'EdDSA' as const : 'ES256' as const
  const otherKind = await generateKeyPair(otherAlg, { crv: TOKEN_CURVES[otherAlg] })
  const rsa = await generateKeyPair('RS256')
  let resolved = 0
  const verify = createJwtVerifier(async (header) => {
    resolved++
    if (header.kid === 'unknown') throw new errors.JWKSNoMatchingKey()
    if (header.kid === 'down') throw new Error('fetch failed')
    if (header.kid === 'other-kind') return otherKind.publicKey
    if (header.kid === 'rsa') return rsa.publicKey
    return publicKey
  }, policy)
  const now = Math.floor(Date.now() / 1000)
  const sign = async (claims: Record<string, unknown>, header: Record<string, unknown> = {}, key: CryptoKey = privateKey): Promise<string> =>
    await new SignJWT({ iss: 'iss', aud: 'chat', sub: 'u', jti: 'j', iat: now, exp: now + 60, ...claims })
      .setProtectedHeader({ alg, typ: 'webchat-chat+jwt', ...header }).sign(key)

  t.match(await verify(await sign({})), { sub: 'u', jti: 'j' })
  t.match(await verify(await sign({ aud: ['other', 'chat'] })), { sub: 'u' }, 'aud as a list')
  t.match(await verify(await sign({}, { typ: 'application/WEBCHAT-chat+jwt' })), { sub: 'u' }, 'typ compared as jose does')
  t.match(await verify(await sign({ exp: now - 2 })), { sub: 'u' }, 'within the clock tolerance')

  const refusals: Array<[string, Promise<string>, RegExp, number?]> = [
    ['two parts', Promise.resolve('a.b'), /malformed/],
    ['bad header', Promise.resolve(`x!.${b64({})}.sig`), /malformed/],
    ['header not an object', Promise.resolve(`${b64([1])}.${b64({})}.c2ln`), /malformed/],
    ['alg none', Promise.resolve(`${b64({ alg: 'none' })}.${b64({})}.`), /malformed|algorithm/],
    ['HS256', Promise.resolve(`${b64({ alg: 'HS256' })}.${b64({})}.c2ln`), /algorithm/],
    ['RS256', Promise.resolve(`${b64({ alg: 'RS256' })}.${b64({})}.c2ln`), /algorithm/],
    ['crit', Promise.resolve(`${b64({ alg, crit: ['x'], x: 1 })}.${b64({})}.c2ln`), /malformed/],
    ['other key', sign({}, {}, other.privateKey), /signature/],
    ['signature cut short', sign({}).then((token) => token.slice(0, -8)), /signature/],
    ['no signature', sign({}).then((token) => token.slice(0, token.lastIndexOf('.') + 1)), /malformed|signature/],
    // The header names this algorithm, the key set hands out a key of the other one.
    ['a key of the other algorithm', sign({}, { kid: 'other-kind' }), /algorithm/],
    ['an RSA key in the key set', sign({}, { kid: 'rsa' }), /algorithm/],
    ['signed by the other algorithm', new SignJWT({ iss: 'iss', aud: 'chat', sub: 'u', jti: 'j', iat: now, exp: now + 60 })
      .setProtectedHeader({ alg: otherAlg, typ: 'webchat-chat+jwt' }).sign(otherKind.privateKey), /algorithm/],
    ['unknown kid', sign({}, { kid: 'unknown' }), /unknown key/],
    ['key set down', sign({}, { kid: 'down' }), /unreachable/, 503],
    ['expired', sign({ exp: now - 10 }), /expired/],
    ['not yet', sign({ nbf: now + 60 }), /claim nbf/],
    ['wrong typ', sign({}, { typ: 'JWT' }), /claim typ/],
    ['wrong iss', sign({ iss: 'x' }), /claim iss/],
    ['wrong aud', sign({ aud: 'auth' }), /claim aud/],
    ['no jti', sign({ jti: undefined }), /claim jti/],
    ['iat not a number', sign({ iat: 'yesterday' }), /claim iat/]
  ]
  for (const [what, token, message, status = 401] of refusals) {
    const error = await verify(await token).then(() => null, (err: unknown) => err)
    const wire = wireErrorOf(error)
    t.ok(wire !== undefined, what)
    t.equal(wire?.statusCode, status, what)
    t.match(wire?.body.message, message, what)
  }
  const tampered = (await sign({})).split('.')
  tampered[1] = b64({ iss: 'iss', aud: 'chat', sub: 'admin', jti: 'j', iat: now, exp: now + 60 })
  await t.rejects(verify(tampered.join('.')), /signature/, 'a changed payload fails the signature')
  t.ok(resolved > 0)
})
