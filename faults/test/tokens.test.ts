import { createServer } from 'node:http'
import { createPublicKey } from 'node:crypto'
import t from 'tap'
import { generateKeyPair } from 'jose'
import { jsonLines } from '../src/process.js'
import { alter, claims, decode, hs256, rawSign, resign, sign, unsigned } from '../src/forge.js'
import { report } from '../src/figures.js'
import { http } from '../src/http.js'
import { createKeyPair } from '../src/keys.js'
import { upgrade, type Upgrade } from '../src/raw-client.js'
import { startStack } from '../src/stack.js'

const statusOf = (answer: Upgrade): number => {
  if ('client' in answer) answer.client.close()
  return answer.status
}

t.test('hostile tokens: only a valid, fresh token gets a 101', async (t) => {
  const stack = await startStack(t)
  const [a, b] = stack.chats
  const user = await stack.signIn('tokens@example.com', 'Tess')
  const key = stack.signingKey
  const kid = key.kid
  const real = await stack.token(user)
  const base = decode(real)
  const fresh = (overrides = {}) => claims({ sub: base.sub, sid: base.sid, name: base.name, ...overrides })

  // An attacker's JWKS server, to see whether anyone follows `jku`.
  const mallory = await createKeyPair('mallory-key')
  const edMallory = await generateKeyPair('EdDSA', { crv: 'Ed25519' })
  let jkuFetches = 0
  const jwksServer = createServer((_req, res) => {
    jkuFetches++
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ keys: [mallory.publicJwk] }))
  })
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { jwksServer.close() })
  const jku = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks.json`
  const publicPem = createPublicKey({ key: key.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()
  const now = Math.floor(Date.now() / 1000)

  const hostile: Record<string, string> = {
    'alg none': unsigned(fresh(), { kid }),
    'alg none, no signature part': unsigned(fresh(), { kid }).slice(0, -1),
    'alg NONE': unsigned(fresh(), { kid, alg: 'NONE' }),
    'HS256 with the public key (PEM) as secret': hs256(publicPem, fresh(), { kid }),
    'HS256 with the public JWK as secret': hs256(JSON.stringify(key.publicJwk), fresh(), { kid }),
    'HS256 with the public key x as secret': hs256(String(key.publicJwk.x), fresh(), { kid }),
    'empty signature': resign(await stack.token(user), ''),
    'altered signature': resign(await stack.token(user), 'flip'),
    'altered claim (sub)': alter(await stack.token(user), (c) => ({ ...c, sub: 'u_admin' })),
    'altered claim (exp)': alter(await stack.token(user), (c) => ({ ...c, exp: c.exp + 86_400 })),
    'wrong aud': await sign(key.privateKey, { kid }, fresh({ aud: 'auth' })),
    'aud as a list with chat and more': await sign(key.privateKey, { kid }, fresh({ aud: ['admin', 'other'] as unknown as string })),
    'wrong iss': await sign(key.privateKey, { kid }, fresh({ iss: 'https://evil.example' })),
    'wrong typ': await sign(key.privateKey, { kid, typ: 'JWT' }, fresh()),
    'no typ': await sign(key.privateKey, { kid, typ: undefined }, fresh()),
    expired: await sign(key.privateKey, { kid }, fresh({ iat: now - 700, exp: now - 60 })),
    'no jti': await sign(key.privateKey, { kid }, (({ jti: _jti, ...rest }) => rest)(fresh()) as never),
    'sub with odd characters': await sign(key.privateKey, { kid }, fresh({ sub: '../../admin' })),
    'unknown kid': await sign(mallory.privateKey, { kid: 'mallory-key' }, fresh()),
    'real kid, attacker key': await sign(mallory.privateKey, { kid }, fresh()),
    'jku to an attacker JWKS': await sign(mallory.privateKey, { kid: 'mallory-key', jku }, fresh()),
    'jku with the real kid': await sign(mallory.privateKey, { kid, jku }, fresh()),
    'embedded jwk header': await sign(mallory.privateKey, { kid: 'mallory-key', jwk: mallory.publicJwk as never }, fresh()),
    'x5u header': await sign(mallory.privateKey, { kid: 'mallory-key', x5u: jku } as never, fresh()),
    // The other accepted algorithm under the real (P-256) key's kid: refused, not checked with another key.
    'EdDSA under the real kid (attacker Ed25519 key)': await sign(edMallory.privateKey, { kid, alg: 'EdDSA' }, fresh()),
    'crit header': rawSign(key.privateJwk, { kid, crit: ['exp'] }, fresh()),
    'two tokens': `${real}.${real}`,
    'huge token': 'a'.repeat(8000)
  }

  // The valid, fresh one first: 101, and then never again (reused).
  const reusedBefore = await stack.token(user)
  const statuses: Record<string, number> = {}
  statuses['valid, fresh'] = statusOf(await upgrade(a!.wsUrl, { token: reusedBefore }))
  statuses['reused on the same instance'] = statusOf(await upgrade(a!.wsUrl, { token: reusedBefore }))
  statuses['reused on the other instance'] = statusOf(await upgrade(b!.wsUrl, { token: reusedBefore }))
  // The forging helper itself is sound: the same raw signing with nothing wrong is accepted.
  statuses['valid, raw-signed here (control)'] = statusOf(await upgrade(a!.wsUrl, { token: rawSign(key.privateJwk, { kid }, fresh()) }))
  statuses['a used token with a space, in the query'] = statusOf(await upgrade(a!.wsUrl, { token: `${reusedBefore} `, via: 'query' }))
  const viaQuery = await stack.token(user)
  statuses['valid, fresh, in the query'] = statusOf(await upgrade(b!.wsUrl, { token: viaQuery, via: 'query' }))
  statuses['reused, in the query'] = statusOf(await upgrade(a!.wsUrl, { token: viaQuery, via: 'query' }))
  const bodies: Record<string, unknown> = {}
  for (const [name, token] of Object.entries(hostile)) {
    for (const chat of [a!, b!]) {
      const answer = await upgrade(chat.wsUrl, { token })
      statuses[`${name} (${chat.name})`] = statusOf(answer)
      if ('body' in answer) bodies[name] = answer.body
    }
    const api = await http(`${a!.url}/api/rooms/any/messages`, { headers: { authorization: `Bearer ${token.trim()}` } })
    statuses[`${name} (HTTP API)`] = api.status
  }

  const switched = Object.entries(statuses).filter(([, s]) => s === 101).map(([n]) => n)
  t.same(switched.sort(), ['valid, fresh', 'valid, fresh, in the query', 'valid, raw-signed here (control)'], 'only the valid, fresh tokens got a 101')
  for (const [name, status] of Object.entries(statuses)) {
    if (name.startsWith('valid')) continue
    t.equal(status, 401, `${name}: ${status}`)
  }
  for (const [name, body] of Object.entries(bodies)) t.match(body, { error: /^(invalid_token|unauthorized)$/ }, `${name}: documented error body`)
  t.equal(jkuFetches, 0, 'nobody fetched the attacker\'s jku/x5u')
  t.equal(stack.chats.every((c) => c.proc.exit === undefined), true, 'chat instances running')
  const leaked = stack.procs().flatMap((p) => p.lines()).filter((l) => l.includes(real.split('.')[2]!) || l.includes(reusedBefore.split('.')[2]!))
  t.same(leaked, [], 'no token in any log line')
  const errors = stack.procs().flatMap((p) => jsonLines(p)).filter((l) => (l.level as number) >= 50)
  t.same(errors, [], 'no error logged')
  report(t, 'tokens', { hostile: Object.keys(hostile).length, attempts: Object.keys(statuses).length, switched: switched.length, jkuFetches })
})
