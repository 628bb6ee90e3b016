import { execFileSync } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { freePort } from '@webchat/testkit'
import { loopbackValues } from '../src/nginx-config.js'
import { startNginx } from './helpers/nginx.js'
import { startTopology, type Topology } from './helpers/topology.js'
import { haveTools, requireTool } from './helpers/tools.js'

/**
 * TRUST_PROXY as compose sets it (nginx's address, moved to loopback), through real nginx: each
 * client keeps its own address behind it, and nginx's https scheme reaches auth. Clients bind
 * their own loopback addresses (127.0.0.2, 127.0.0.3), so nginx really sees two clients.
 */

interface Answer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** One request with node's own client: `localAddress` picks the client's address; the test's own certificate is not checked. */
async function call (url: string, options: { method?: string, body?: string, headers?: Record<string, string>, localAddress?: string } = {}): Promise<Answer> {
  const target = new URL(url)
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  return await new Promise((resolve, reject) => {
    const req = send(target, { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer`)))
    req.on('error', reject)
    req.end(options.body)
  })
}

/** `fetch` over `call` (so over TLS with the test's certificate), for the auth client; every Set-Cookie is kept in `cookies`. */
function fetchKeeping (cookies: string[]): typeof fetch {
  return async (input, init) => {
    const answer = await call(String(input), { method: init?.method, headers: init?.headers as Record<string, string>, body: init?.body as string | undefined })
    const headers = new Headers()
    for (const [name, value] of Object.entries(answer.headers)) for (const one of ([] as string[]).concat(value ?? [])) headers.append(name, one)
    cookies.push(...headers.getSetCookie())
    return new Response(answer.body === '' ? null : answer.body, { status: answer.status, headers })
  }
}

/** nginx with TLS in front of the topology's auth and chat, on its own port, with a certificate made for the test. */
async function startTlsNginx (t: Test, topo: Topology): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'webchat-tls-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')]
  execFileSync(requireTool('openssl'), ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' })
  const port = await freePort()
  const nginx = startNginx({
    ...loopbackValues({ listen: port, auth: [Number(topo.env.auth.PORT)], chat: topo.chats.map((chat) => chat.port) }),
    LISTEN: `127.0.0.1:${port} ssl`,
    SERVER_EXTRA: `ssl_certificate ${cert}; ssl_certificate_key ${key};`
  })
  t.teardown(async () => { await nginx.stop() })
  const origin = `https://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (nginx.proc.done) throw new Error(`nginx with TLS exited:\n${nginx.errorLog()}`)
    if ((await call(`${origin}/healthz`).catch(() => undefined))?.status === 200) return origin
    await sleep(100)
  }
  throw new Error(`nginx with TLS did not answer:\n${nginx.errorLog()}`)
}

if (haveTools(t, ['nginx', 'docker-compose', 'openssl'])) {
  t.test('behind nginx, with compose\'s TRUST_PROXY', async (t) => {
    const topo = await startTopology(t, { chats: 1, authEnv: { IP_CODE_MAX: '2' } })
    let n = 0
    const requestCode = async (from: string, headers: Record<string, string> = {}): Promise<number> => (await call(`${topo.origin}/auth/code`, {
      method: 'POST',
      body: JSON.stringify({ email: `client${++n}@example.com` }),
      headers: { 'content-type': 'application/json', origin: topo.origin, ...headers },
      localAddress: from
    })).status

    t.test('two client addresses get two per-IP limits; a forged X-Forwarded-For gets none', async (t) => {
      t.not(await requestCode('127.0.0.2'), 429, 'first client, first request')
      t.not(await requestCode('127.0.0.2'), 429, 'first client, second request')
      t.equal(await requestCode('127.0.0.2'), 429, 'first client, over IP_CODE_MAX')
      t.equal(await requestCode('127.0.0.2', { 'x-forwarded-for': '203.0.113.50' }), 429, 'an address the client writes itself is not believed')
      t.not(await requestCode('127.0.0.3'), 429, 'the second client has its own limit, not nginx\'s shared one')
    })

    t.test('over HTTPS the session cookie is Secure; over plain HTTP it is not', async (t) => {
      const plain: string[] = []
      await topo.signIn('plain@example.com', 'Plain', { origin: topo.origin, fetch: fetchKeeping(plain) })
      t.match(plain.join('\n'), /^webchat_session=/m, 'signed in through nginx over HTTP')
      t.notMatch(plain.join('\n'), /;\s*Secure/i, 'over plain HTTP: not Secure')
      const tls = await startTlsNginx(t, topo)
      const secure: string[] = []
      const client = await topo.signIn('tls@example.com', 'Tls', { origin: tls, fetch: fetchKeeping(secure) })
      t.equal((await client.me())?.name, 'Tls', 'signed in through nginx with TLS')
      const sessionCookies = secure.filter((c) => c.startsWith('webchat_session='))
      t.ok(sessionCookies.length > 0, 'the session cookie was set')
      t.same(sessionCookies.filter((c) => !/;\s*Secure(;|$)/i.test(c)), [], 'each one Secure: auth believed nginx\'s X-Forwarded-Proto: https')
    })
  })
}
