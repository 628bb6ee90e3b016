import { Writable } from 'node:stream'
import { SignJWT } from 'jose'
import t from 'tap'
import { names } from '@webchat/engine'
import { SUBPROTOCOL } from '@webchat/shared'
import { loggerOptions } from '../../../src/logger.js'
import { names as chatNames } from '../../../src/names.js'
import { connect, refusal } from '../../helpers/client.js'
import { ENGINES, ORIGIN, startCluster } from '../../helpers/cluster.js'
import { rawUpgrade } from '../../helpers/raw-upgrade.js'

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')


for (const kind of ENGINES) {
  t.test(`${kind}: tokens and origins`, async (t) => {
    const lines: string[] = []
    const stream = new Writable({ write (chunk: Buffer, _encoding, done) { lines.push(chunk.toString()); done() } })
    const cluster = await startCluster(t, kind, { logger: { ...loggerOptions({ LOG_LEVEL: 'trace' }), stream } })
    const { auth } = cluster
    const url = cluster.wsUrl(0)
    const seenTokens: string[] = []
    const mint: typeof auth.mint = async (options) => {
      const token = await auth.mint(options)
      seenTokens.push(token)
      return token
    }

    t.test('every bad token is refused with 401 before the upgrade', async (t) => {
      const now = Math.floor(Date.now() / 1000)
      const cases: Array<[string, Promise<string | undefined>, string]> = [
        ['missing', Promise.resolve(undefined), 'unauthorized'],
        ['malformed', Promise.resolve('not.a.jwt'), 'invalid_token'],
        ['garbage', Promise.resolve('abc'), 'invalid_token'],
        ['forged', mint({ forged: true }), 'invalid_token'],
        ['expired', mint({ expiresIn: -60 }), 'invalid_token'],
        ['wrong audience', mint({ aud: 'auth' }), 'invalid_token'],
        ['wrong issuer', mint({ iss: 'someone-else' }), 'invalid_token'],
        ['wrong typ', mint({ typ: 'JWT' }), 'invalid_token'],
        ['unknown kid', mint({ kid: 'no-such-key' }), 'invalid_token'],
        ['no sid', mint({ omit: ['sid'] }), 'invalid_token'],
        ['no jti', mint({ omit: ['jti'] }), 'invalid_token'],
        ['bad sub', mint({ sub: 'has space' }), 'invalid_token'],
        ['HS256', new SignJWT({ iss: 'webchat-auth-test', aud: 'chat', sub: 'u', sid: 's', name: 'n', jti: 'j', iat: now, exp: now + 60 })
          .setProtectedHeader({ alg: 'HS256', typ: 'webchat-chat+jwt' }).sign(new Uint8Array(32)), 'invalid_token'],
        ['alg none', Promise.resolve(`${b64({ alg: 'none', typ: 'webchat-chat+jwt' })}.${b64({ iss: 'webchat-auth-test', aud: 'chat', sub: 'u', sid: 's', name: 'n', jti: 'j2', iat: now, exp: now + 60 })}.`), 'invalid_token']
      ]
      for (const [what, token, code] of cases) {
        const error = await refusal(connect(url, await token))
        t.equal(error.status, 401, what)
        t.equal(error.body.error, code, what)
        t.type(error.body.message, 'string')
      }
    })

    t.test('a token opens one connection', async (t) => {
      const token = await mint({ sub: 'once' })
      const first = await connect(url, token)
      t.teardown(first.close)
      const again = await refusal(connect(cluster.wsUrl(1), token))
      t.equal(again.status, 401)
      t.match(again.body, { error: 'invalid_token', message: /already used/ })
    })

    t.test('a token marked used as chat did before claims opens no connection', async (t) => {
      await cluster.engine.kv.set(chatNames.usedToken('marked-before'), '1', 60_000)
      const error = await refusal(connect(url, await mint({ sub: 'upgraded', jti: 'marked-before' })))
      t.equal(error.status, 401)
      t.match(error.body, { error: 'invalid_token', message: /already used/ })
      const other = await connect(url, await mint({ sub: 'upgraded', jti: 'fresh-after' }))
      t.teardown(other.close)
      t.pass('another token of the same user opens one')
    })

    t.test('a token\'s jti and sid are free text: braces in them change nothing (on a Redis Cluster too)', async (t) => {
      for (const [jti, sid] of [['j{1', 's}1'], ['j{}2', 's{2'], ['{j3}', '{}s3']]) {
        const token = await mint({ sub: 'braces', jti, sid })
        const first = await connect(url, token)
        t.teardown(first.close)
        t.match(await refusal(connect(cluster.wsUrl(1), token)), { status: 401, body: { message: /already used/ } }, `jti ${jti} is single use`)
        await cluster.engine.kv.set(names.revokedSession(sid), '1', 60_000)
        t.match(await refusal(connect(url, await mint({ sub: 'braces', sid }))), { status: 401, body: { message: /session/ } }, `session ${sid} revoked`)
      }
    })

    t.test('tokens of a revoked session are refused', async (t) => {
      await cluster.engine.kv.set(names.revokedSession('gone'), '1', 60_000)
      const error = await refusal(connect(url, await mint({ sid: 'gone' })))
      t.equal(error.status, 401)
      t.match(error.body.message, /session/)
    })

    t.test('an unknown kid makes chat fetch the key set again (key rotation, to and from an Ed25519 key)', async (t) => {
      for (const alg of ['EdDSA', 'ES256'] as const) {
        const before = auth.fetches
        await auth.rotate(alg)
        const c = await connect(url, await mint({ sub: 'rotated' }))
        t.teardown(c.close)
        await c.waitFor((f) => f.type === 'ready')
        t.ok(auth.fetches > before, alg)
      }
    })

    t.test('origins: listed ones pass, others get 403', async (t) => {
      const ok = await connect(url, await mint(), { origin: ORIGIN })
      t.teardown(ok.close)
      await ok.waitFor((f) => f.type === 'ready')
      const error = await refusal(connect(url, await mint(), { origin: 'http://evil.test' }))
      t.equal(error.status, 403)
      t.equal(error.body.error, 'forbidden')
      const bad = await refusal(connect(url, 'x', { origin: 'http://evil.test' }))
      t.equal(bad.status, 403, 'the origin is checked first')
    })

    t.test('the token may come as a query parameter; the subprotocol is required when protocols are offered', async (t) => {
      const viaQuery = await connect(url, await mint(), { via: 'query', protocols: [] })
      t.teardown(viaQuery.close)
      await viaQuery.waitFor((f) => f.type === 'ready')
      t.equal(viaQuery.protocol, '')
      const withProtocol = await connect(url, await mint(), { via: 'query' })
      t.teardown(withProtocol.close)
      t.equal(withProtocol.protocol, 'webchat.v1')
      const wrong = await refusal(connect(url, await mint(), { protocols: ['chat.v0'] }))
      t.equal(wrong.status, 400)
    })

    t.test('refresh extends the connection with a token of the same user and session', async (t) => {
      const c = await connect(url, await mint({ sub: 'fresh', sid: 'fs' }))
      t.teardown(c.close)
      await c.waitFor((f) => f.type === 'ready')
      const newer = await mint({ sub: 'fresh', sid: 'fs', expiresIn: 600, name: 'Renamed' })
      c.send({ type: 'refresh', token: newer })
      const refreshed = await c.waitFor((f) => f.type === 'refreshed')
      const exp = JSON.parse(Buffer.from(newer.split('.')[1]!, 'base64url').toString()) as { exp: number }
      t.equal(refreshed.expiresAt, new Date(exp.exp * 1000).toISOString())
      c.send({ type: 'refresh', token: newer })
      t.match(await c.waitFor((f) => f.type === 'error'), { code: 'invalid_token', message: /already used/ })
      c.send({ type: 'refresh', token: await mint({ sub: 'someone', sid: 'fs' }) })
      t.match(await c.waitFor((f) => f.type === 'error' && f.code === 'session_mismatch'), { code: 'session_mismatch' })
      c.send({ type: 'refresh', token: await mint({ sub: 'fresh', sid: 'other-session' }) })
      await c.waitForCount((f) => f.type === 'error' && f.code === 'session_mismatch', 2)
      await cluster.join(c, 'renamed')
      c.send({ type: 'send', room: 'renamed', text: 'hi', clientMsgId: 'rn' })
      t.same((await c.waitFor((f) => f.type === 'message')).user, { id: 'fresh', name: 'Renamed' })
    })

    t.test('logout closes the session\'s sockets on every instance with 4001', async (t) => {
      const a = await cluster.connect(0, { sub: 'leaving', sid: 'bye' })
      const b = await cluster.connect(1, { sub: 'leaving', sid: 'bye' })
      const other = await cluster.connect(1, { sub: 'leaving', sid: 'stays' })
      const started = Date.now()
      await cluster.engine.pubsub.publish(names.sessionRevokedChannel(names.revocationBucketOf('bye')), 'bye')
      const [closedA, closedB] = await Promise.all([a.closed, b.closed])
      t.equal(closedA.code, 4001)
      t.equal(closedB.code, 4001)
      t.ok(Date.now() - started < 1000, 'within 1 s')
      t.equal(other.ws.readyState, other.ws.OPEN)
    })

    t.test('nothing secret reaches the log', async (t) => {
      const token = await mint({ sub: 'logged' })
      const c = await connect(`${url}?token=${token}&x=1`, undefined, { protocols: [] })
      t.teardown(c.close)
      await c.waitFor((f) => f.type === 'ready')
      await refusal(connect(`${url}?token=${await mint({ forged: true })}`, undefined, { protocols: [] }))
      await refusal(connect(url, await mint({ expiresIn: -60 })))
      await fetch(`${cluster.httpUrl(0)}/api/rooms/x/presence`, { headers: { authorization: `Bearer ${await mint()}` } })
      await new Promise((resolve) => setTimeout(resolve, 100))
      const log = lines.join('')
      t.ok(log.includes('incoming request'), 'requests are logged')
      for (const seen of seenTokens) t.notOk(log.includes(seen.split('.')[2]!), 'no token signature in the log')
      t.notOk(log.includes('token='), 'no token query parameter')
    })
  })
}

t.test('an upgrade without Origin is refused unless allowed', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { ALLOW_NO_ORIGIN: false } })
  const error = await refusal(connect(cluster.wsUrl(0), await cluster.auth.mint()))
  t.equal(error.status, 403)
  const ok = await connect(cluster.wsUrl(0), await cluster.auth.mint(), { origin: ORIGIN })
  t.teardown(ok.close)
  await ok.waitFor((f) => f.type === 'ready')
})

t.test('an unreachable key set is 503, not 401', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { AUTH_URL: 'http://127.0.0.1:1' } })
  const error = await refusal(connect(cluster.wsUrl(0), await cluster.auth.mint()))
  t.equal(error.status, 503)
  t.equal(error.body.error, 'unavailable')
})

t.test('a token past its expiry by more than the grace closes the socket with 4003', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { TOKEN_GRACE_MS: 300 } })
  const expiring = await cluster.connect(0, { expiresIn: 1 })
  const refreshed = await cluster.connect(0, { sub: 'keeps', sid: 'k', expiresIn: 1 })
  refreshed.send({ type: 'refresh', token: await cluster.auth.mint({ sub: 'keeps', sid: 'k', expiresIn: 60 }) })
  await refreshed.waitFor((f) => f.type === 'refreshed')
  const started = Date.now()
  const closed = await expiring.closed
  t.equal(closed.code, 4003)
  t.ok(Date.now() - started < 2500)
  t.equal(refreshed.ws.readyState, refreshed.ws.OPEN, 'the refreshed one stays')
})

t.test('the 101 and the ready frame leave in one write', async (t) => {
  for (const kind of ENGINES) {
    const cluster = await startCluster(t, kind)
    const { port } = new URL(cluster.wsUrl(0))
    const token = await cluster.auth.mint({ sub: `one-write-${kind}` })
    const { text, socket } = await rawUpgrade(t, Number(port), [`Sec-WebSocket-Protocol: ${SUBPROTOCOL}, ${token}`, `Origin: ${ORIGIN}`])
    t.match(text, /^HTTP\/1\.1 101 /, `${kind}: switching protocols`)
    const body = text.slice(text.indexOf('\r\n\r\n') + 4)
    // An unmasked text frame (0x81) with the `ready` frame in it, in the same chunk as the 101.
    t.equal(body.charCodeAt(0), 0x81, `${kind}: a text frame follows the 101 in the same read`)
    t.match(body, /"type":"ready"/, `${kind}: it is ready`)
    t.notOk(text.includes(token), `${kind}: the token is not echoed`)
    socket.destroy()
  }
})
