import { spawnSync } from 'node:child_process'
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { freePort } from '@webchat/testkit'
import {
  PLACEHOLDERS, loopbackNginxConf, loopbackValues, nginxArgs, readTemplate, renderTemplate, type TemplateValues
} from '../src/nginx-config.js'
import { startNginx } from './helpers/nginx.js'
import { waitForHttp } from './helpers/processes.js'
import { haveTools, requireTool } from './helpers/tools.js'

const template = readTemplate()
const loopback = loopbackValues({ listen: 18080, auth: [13001], chat: [13002, 13003] })

/** The blocks `name ... { ... }` of a rendered config, with their bodies (no nesting inside). */
function blocks (config: string, name: string): Array<{ head: string, body: string }> {
  const found: Array<{ head: string, body: string }> = []
  const re = new RegExp(`^\\s*(${name}\\b[^{]*)\\{([^}]*)\\}`, 'gm')
  for (const m of config.matchAll(re)) found.push({ head: m[1]!.trim(), body: m[2]! })
  return found
}

const withoutComments = (config: string): string => config.split('\n').map((l) => l.replace(/#.*$/, '')).join('\n')

if (haveTools(t, ['nginx'])) {
  t.test('the template uses exactly the documented placeholders, and no other upper-case $NAME', async (t) => {
    const used = new Set([...template.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]))
    t.same([...used].sort(), [...PLACEHOLDERS].sort())
    // envsubst also replaces $NAME without braces; nginx's own variables are lower-case.
    t.same([...template.matchAll(/\$([A-Z_][A-Z0-9_]*)/g)].map((m) => m[0]), [])
    t.throws(() => renderTemplate('${NOPE}', loopback), /NOPE/, 'an unknown placeholder is an error')
  })

  t.test('rendered for loopback, Debian\'s nginx accepts the configuration (nginx -t)', async (t) => {
    const nginx = requireTool('nginx')
    const dir = mkdtempSync(join(tmpdir(), 'webchat-nginx-t-'))
    t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
    chmodSync(dir, 0o755)
    const serverConf = join(dir, 'webchat.conf')
    const rendered = renderTemplate(template, loopback)
    writeFileSync(serverConf, rendered)
    writeFileSync(join(dir, 'nginx.conf'), loopbackNginxConf(dir, serverConf))
    const stdout = openSync(join(dir, 'stdout.log'), 'a')
    t.teardown(() => { closeSync(stdout) })
    const result = spawnSync(nginx, ['-t', ...nginxArgs(dir)], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', stdout, 'pipe'] })
    t.equal(result.status, 0, result.stderr)
    t.notMatch(rendered, /\$\{/, 'nothing left unrendered')
    t.notMatch(withoutComments(rendered), /\bresolve\b|resolver/, 'no resolve parameter (nginx < 1.27.3 has none)')
    t.match(rendered, /server 127\.0\.0\.1:13002;\s+server 127\.0\.0\.1:13003;/, 'static chat servers')
  })

  t.test('rendered as compose does: every upstream server is re-resolved through Docker\'s DNS', async (t) => {
    const values: TemplateValues = {
      LISTEN: '8080',
      SERVER_EXTRA: '',
      RESOLVER: 'resolver 127.0.0.11 valid=5s ipv6=off;',
      AUTH_SERVERS: 'server auth:3001 resolve;',
      CHAT_SERVERS: 'server chat:3002 resolve;'
    }
    const rendered = withoutComments(renderTemplate(template, values))
    t.match(rendered, /^resolver 127\.0\.0\.11 /m, 'a resolver at http level')
    const upstreams = blocks(rendered, 'upstream')
    t.same(upstreams.map((u) => u.head), ['upstream webchat_auth', 'upstream webchat_chat'])
    for (const upstream of upstreams) {
      t.match(upstream.body, /\bzone \w+ \d+k;/, `${upstream.head} has a shared zone (needed by resolve)`)
      for (const server of upstream.body.matchAll(/^\s*server ([^;]*);/gm)) t.match(server[1], / resolve$/, `${upstream.head}: ${server[1]}`)
    }
    const chat = upstreams[1]!.body
    t.ok(chat.indexOf('least_conn') >= 0 && chat.indexOf('least_conn') < chat.indexOf('keepalive'), 'least connections, declared before keepalive')
  })

  t.test('routing: /ws and /api/ to chat with upgrade headers and long timeouts, the rest to auth', async (t) => {
    const rendered = withoutComments(renderTemplate(template, loopback))
    const locations = blocks(rendered, 'location')
    const byPath = new Map(locations.map((l) => [l.head.replace(/^location\s+/, '').trim(), l.body]))
    t.match(byPath.get('/ws'), /proxy_pass http:\/\/webchat_chat;/)
    t.match(byPath.get('/ws'), /proxy_read_timeout 1h;/)
    t.match(byPath.get('/api/'), /proxy_pass http:\/\/webchat_chat;/)
    t.match(byPath.get('/'), /proxy_pass http:\/\/webchat_auth;/)
    t.match(byPath.get('= /metrics'), /return 404/)
    // A location with any proxy_set_header inherits none of the server's (Host, X-Forwarded-*,
    // Upgrade): so they are all set once, at server level, and never in a location.
    t.same(locations.filter((l) => /proxy_set_header/.test(l.body)).map((l) => l.head), [], 'no proxy_set_header inside a location')
    const server = rendered.slice(rendered.indexOf('server {'))
    for (const header of ['Host $http_host', 'X-Forwarded-For $proxy_add_x_forwarded_for', 'X-Forwarded-Proto $scheme', 'X-Forwarded-Host $http_host', 'Upgrade $http_upgrade', 'Connection $webchat_connection']) {
      t.match(server, `proxy_set_header ${header};`, header)
    }
    t.match(server, /proxy_http_version 1\.1;/)
    t.match(server, /proxy_next_upstream error timeout http_502 http_503;/, 'a replica that is shutting down (503) is skipped')
  })

  interface Seen { upstream: string, method: string, url: string, headers: IncomingHttpHeaders }

  /** An upstream that answers `status` (200 by default) with JSON and records what reached it. */
  async function echo (name: string, seen: Seen[]): Promise<{ port: number, status: number, close: () => Promise<void> }> {
    const state = { port: 0, status: 200, close: async () => {} }
    const server = createServer((request, response) => {
      request.resume()
      request.on('end', () => {
        seen.push({ upstream: name, method: request.method ?? '', url: request.url ?? '', headers: request.headers })
        response.writeHead(state.status, { 'content-type': 'application/json' }).end(JSON.stringify({ upstream: name }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    state.port = (server.address() as AddressInfo).port
    state.close = async () => { server.closeAllConnections(); await new Promise<void>((resolve) => server.close(() => resolve())) }
    return state
  }

  t.test('through nginx: routes, forwarded headers a client cannot forge, JSON errors, 503 skipped', async (t) => {
    const seen: Seen[] = []
    const auth = await echo('auth', seen)
    const chatA = await echo('chat-a', seen)
    const chatB = await echo('chat-b', seen)
    const listen = await freePort()
    const nginx = startNginx(loopbackValues({ listen, auth: [auth.port], chat: [chatA.port, chatB.port] }))
    t.teardown(async () => {
      if (!t.passing()) t.comment(nginx.errorLog())
      await nginx.stop()
      await Promise.all([auth.close(), chatA.close(), chatB.close()])
    })
    const origin = `http://127.0.0.1:${listen}`
    await waitForHttp(`${origin}/healthz`, { proc: nginx.proc })

    const upstreamOf = async (path: string, init: RequestInit = {}): Promise<string> => {
      const response = await fetch(origin + path, init)
      return ((await response.json()) as { upstream: string }).upstream
    }
    t.equal(await upstreamOf('/'), 'auth')
    t.equal(await upstreamOf('/auth/me'), 'auth')
    t.equal(await upstreamOf('/.well-known/jwks.json'), 'auth')
    t.equal(await upstreamOf('/config.json'), 'auth')
    t.match(await upstreamOf('/api/rooms/lobby/messages'), /^chat-/)
    t.match(await upstreamOf('/ws'), /^chat-/)

    seen.length = 0
    await upstreamOf('/auth/me', { headers: { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } })
    const headers = seen[0]!.headers
    t.equal(headers.host, `127.0.0.1:${listen}`, 'Host is the one the client used')
    t.equal(headers['x-forwarded-host'], `127.0.0.1:${listen}`, 'a forged X-Forwarded-Host is replaced')
    t.equal(headers['x-forwarded-proto'], 'http', 'a forged X-Forwarded-Proto is replaced')
    t.equal(headers['x-forwarded-for'], '6.6.6.6, 127.0.0.1', 'the client address is appended: auth, trusting nginx only, takes the last one')
    t.equal(headers.connection, undefined, 'no Connection: close, so upstream connections are kept alive')
    t.equal(headers.upgrade, undefined)

    await upstreamOf('/ws?token=secret-token-123')
    await upstreamOf('/auth/me?code=123456')
    t.match(nginx.accessLog(), /"GET \/ws HTTP\/1\.1" 200/, 'requests are logged')
    t.notMatch(nginx.accessLog(), /secret-token-123|123456/, 'without their query strings')

    const metrics = await fetch(`${origin}/metrics`)
    t.equal(metrics.status, 404)
    t.same(await metrics.json(), { error: 'not_found', message: 'not found' })
    const tooLarge = await fetch(`${origin}/auth/code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(200 * 1024) })
    t.equal(tooLarge.status, 413)
    t.same(await tooLarge.json(), { error: 'payload_too_large', message: 'the request body is too large' })

    // A chat replica that is shutting down answers 503: nginx tries the other one.
    chatA.status = 503
    seen.length = 0
    const answers = await Promise.all(Array.from({ length: 4 }, async () => await fetch(`${origin}/ws`).then(async (r) => ({ status: r.status, body: await r.json() as { upstream: string } }))))
    t.same(answers.map((a) => a.status), [200, 200, 200, 200], 'every request answered')
    t.same(new Set(answers.map((a) => a.body.upstream)), new Set(['chat-b']), 'by the replica that is up')
    t.ok(seen.some((s) => s.upstream === 'chat-a'), 'after the 503 of the one shutting down')

    await auth.close()
    const down = await fetch(`${origin}/auth/me`)
    t.equal(down.status, 503, 'auth down: 503')
    t.same(await down.json(), { error: 'unavailable', message: 'the service is unavailable: try again shortly' })
  })

  const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0

  t.test('TLS at nginx (LISTEN "... ssl" and the certificate in SERVER_EXTRA): upstreams are told https', {
    skip: hasOpenssl ? false : 'openssl is not installed: cannot make a test certificate'
  }, async (t) => {
    const seen: Seen[] = []
    const auth = await echo('auth', seen)
    const certDir = mkdtempSync(join(tmpdir(), 'webchat-cert-'))
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore', timeout: 30_000 })
    t.equal(made.status, 0, 'a self-signed certificate')
    const listen = await freePort()
    const nginx = startNginx({
      ...loopbackValues({ listen, auth: [auth.port], chat: [auth.port] }),
      LISTEN: `127.0.0.1:${listen} ssl`,
      SERVER_EXTRA: `ssl_certificate ${join(certDir, 'cert.pem')}; ssl_certificate_key ${join(certDir, 'key.pem')};`
    })
    t.teardown(async () => {
      if (!t.passing()) t.comment(nginx.errorLog())
      await nginx.stop()
      await auth.close()
      rmSync(certDir, { recursive: true, force: true })
    })
    const status = await new Promise<number>((resolve, reject) => {
      const deadline = Date.now() + 10_000
      const attempt = (): void => {
        const request = httpsRequest({ host: '127.0.0.1', port: listen, path: '/auth/me', rejectUnauthorized: false }, (response) => {
          response.resume()
          response.on('end', () => resolve(response.statusCode ?? 0))
        })
        request.on('error', (err) => { if (Date.now() < deadline) setTimeout(attempt, 100); else reject(err) })
        request.end()
      }
      attempt()
    })
    t.equal(status, 200)
    t.equal(seen.at(-1)?.headers['x-forwarded-proto'], 'https', 'so auth marks session cookies Secure')
  })
}
