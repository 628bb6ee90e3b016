import t, { type Test } from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAuthClient } from '../src/auth.js'

/**
 * The HTTP layer of the auth client against a scripted HTTP server on 127.0.0.1: what it sends
 * (method, path, JSON, cookie, Origin) and how it reads every answer of the contract. The same
 * client runs against the real auth service in live.test.ts.
 */
interface Seen { method: string, url: string, headers: IncomingMessage['headers'], body: string }

async function stub (t: Test, answer: (req: Seen) => { status: number, body?: unknown, headers?: Record<string, string | string[]> }) {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => { body += c.toString() })
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body }
      seen.push(r)
      const a = answer(r)
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers })
      res.end(a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { seen, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const user = { id: 'u1', email: 'ana@example.com', name: 'Ana', createdAt: '2030-01-01T00:00:00.000Z' }

t.test('sign-in flow keeps the session cookie and sends a same-site Origin outside a browser', async (t) => {
  const { seen, baseUrl } = await stub(t, (req) => {
    if (req.url === '/auth/code') return { status: 202, body: { resendAfter: 30 } }
    if (req.url === '/auth/verify') return { status: 200, body: { user }, headers: { 'set-cookie': ['sid=abc; Path=/; HttpOnly; SameSite=Lax'] } }
    if (req.url === '/auth/me' && req.method === 'GET') return req.headers.cookie === 'sid=abc' ? { status: 200, body: { user } } : { status: 401, body: { error: 'unauthorized', message: 'no' } }
    if (req.url === '/auth/me') return { status: 200, body: { user: { ...user, name: JSON.parse(req.body).name } } }
    if (req.url === '/auth/token') return { status: 200, body: { token: 'a.b.c', expiresAt: '2030-01-01T00:05:00.000Z' } }
    if (req.url === '/auth/logout') return { status: 204, headers: { 'set-cookie': 'sid=; Path=/; Max-Age=0' } }
    if (req.url === '/config.json') return { status: 200, body: { chatUrl: '/ws' } }
    return { status: 404, body: { error: 'not_found', message: 'no' } }
  })
  const auth = createAuthClient({ baseUrl: baseUrl + '/' })
  t.equal(await auth.me(), null)
  t.same(await auth.requestCode('ana@example.com'), { resendAfter: 30 })
  t.same(await auth.verify('ana@example.com', '12345678'), user)
  t.same(await auth.me(), user)
  t.equal((await auth.rename('Ana B')).name, 'Ana B')
  t.same(await auth.token(), { token: 'a.b.c', expiresAt: '2030-01-01T00:05:00.000Z' })
  t.same(await auth.config(), { chatUrl: '/ws' })
  await auth.logout()
  t.equal(await auth.me(), null)

  const byUrl = (url: string, method = 'POST') => seen.find((s) => s.url === url && s.method === method)!
  t.same(JSON.parse(byUrl('/auth/code').body), { email: 'ana@example.com' })
  t.equal(byUrl('/auth/code').headers['content-type'], 'application/json')
  t.equal(byUrl('/auth/code').headers.origin, baseUrl)
  t.same(JSON.parse(byUrl('/auth/verify').body), { email: 'ana@example.com', code: '12345678' })
  t.equal(byUrl('/auth/me', 'PATCH').headers.cookie, 'sid=abc')
  t.equal(byUrl('/auth/me', 'PATCH').headers.origin, baseUrl)
  t.equal(byUrl('/auth/token').body, '', 'no body')
  t.equal(byUrl('/auth/token').headers['content-type'], undefined, 'and no JSON content type for it')
  t.equal(seen.filter((s) => s.method === 'GET').every((s) => s.headers.origin === undefined), true)
})

t.test('every error of the contract becomes a WebchatError with its details', async (t) => {
  const answers: Record<string, { status: number, body?: unknown, headers?: Record<string, string> }> = {
    'bad@x.y': { status: 400, body: { error: 'invalid_email', message: 'not an email' } },
    'out@x.y': { status: 403, body: { error: 'domain_not_allowed', message: 'domain' } },
    'fast@x.y': { status: 429, body: { error: 'rate_limited', message: 'later' }, headers: { 'retry-after': '42' } },
    'mail@x.y': { status: 503, body: { error: 'mail_unavailable', message: 'smtp down' } },
    'proxy@x.y': { status: 502, body: '<html>bad gateway</html>' },
    'odd@x.y': { status: 202, body: { resend: 1 } }
  }
  const { baseUrl } = await stub(t, (req) => {
    if (req.url === '/auth/code') return answers[JSON.parse(req.body).email]!
    const { code } = JSON.parse(req.body)
    if (code === '00000000') return { status: 401, body: { error: 'invalid_code', message: 'wrong', attemptsLeft: 3 } }
    if (code === '11111111') return { status: 410, body: { error: 'code_expired', message: 'expired' } }
    return { status: 429, body: { error: 'locked', message: 'locked', retryAfter: 600 }, headers: { 'retry-after': '600' } }
  })
  const auth = createAuthClient({ baseUrl })
  await t.rejects(auth.requestCode('bad@x.y'), { name: 'WebchatError', code: 'invalid_email', status: 400, message: 'not an email' })
  await t.rejects(auth.requestCode('out@x.y'), { code: 'domain_not_allowed', status: 403 })
  await t.rejects(auth.requestCode('fast@x.y'), { code: 'rate_limited', retryAfter: 42 })
  await t.rejects(auth.requestCode('mail@x.y'), { code: 'mail_unavailable', status: 503 })
  await t.rejects(auth.requestCode('proxy@x.y'), { code: 'unavailable', status: 502 })
  await t.rejects(auth.requestCode('odd@x.y'), { code: 'bad_response' })
  await t.rejects(auth.verify('a@x.y', '00000000'), { code: 'invalid_code', attemptsLeft: 3 })
  await t.rejects(auth.verify('a@x.y', '11111111'), { code: 'code_expired', status: 410 })
  await t.rejects(auth.verify('a@x.y', '222222'), { code: 'locked', retryAfter: 600 })
})

t.test('invitation(email): the ticket and its expiry, or the refusal with its details', async (t) => {
  const { seen, baseUrl } = await stub(t, (req) => {
    const { email } = JSON.parse(req.body) as { email: string }
    if (email === 'bob@example.com') return { status: 200, body: { ticket: 'h.p.s', expiresAt: '2030-01-01T00:10:00.000Z' } }
    if (email === 'many@example.com') return { status: 429, body: { error: 'rate_limited', message: 'later', retryAfter: 1800 }, headers: { 'retry-after': '1800' } }
    return { status: 200, body: { ticket: 'h.p.s' } }
  })
  const auth = createAuthClient({ baseUrl })
  t.same(await auth.invitation('bob@example.com'), { ticket: 'h.p.s', expiresAt: '2030-01-01T00:10:00.000Z' })
  t.match(seen[0], { method: 'POST', url: '/auth/invitations', headers: { 'content-type': 'application/json', origin: baseUrl } })
  t.same(JSON.parse(seen[0]!.body), { email: 'bob@example.com' })
  await t.rejects(auth.invitation('many@example.com'), { name: 'WebchatError', code: 'rate_limited', status: 429, retryAfter: 1800 })
  await t.rejects(auth.invitation('odd@example.com'), { code: 'bad_response' }, 'an answer without its expiry breaks the contract')
})

t.test('an unreachable server is a network error', async (t) => {
  const { baseUrl } = await stub(t, () => ({ status: 200 }))
  const auth = createAuthClient({ baseUrl: baseUrl.replace(/:\d+$/, ':1') })
  await t.rejects(auth.me(), { code: 'network' })
  const failing = createAuthClient({ baseUrl, fetch: async () => { throw new TypeError('fetch failed') } })
  await t.rejects(failing.token(), { code: 'network' })
})

t.test('mail while away: the choice is read and written; an answer off the contract is refused', async (t) => {
  let choice = 'all'
  const { seen, baseUrl } = await stub(t, (req) => {
    if (req.url !== '/auth/me/notifications') return { status: 404, body: { error: 'not_found', message: 'no' } }
    if (req.method === 'PUT') choice = (JSON.parse(req.body) as { email: string }).email
    return choice === 'bogus' ? { status: 200, body: { email: 'sometimes' } } : { status: 200, body: { email: choice } }
  })
  const auth = createAuthClient({ baseUrl })
  t.same(await auth.notifications(), { email: 'all' })
  t.same(await auth.setNotifications({ email: 'direct' }), { email: 'direct' })
  t.same(JSON.parse(seen.at(-1)!.body), { email: 'direct' })
  t.same(await auth.notifications(), { email: 'direct' })
  await t.rejects(auth.setNotifications({ email: 'bogus' as 'off' }), { code: 'bad_response' })
})
