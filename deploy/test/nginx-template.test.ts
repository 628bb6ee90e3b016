import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import {
  PLACEHOLDERS, loopbackNginxConf, loopbackValues, nginxArgs, readTemplate, renderTemplate, type TemplateValues
} from '../src/nginx-config.js'
import { requireTool } from './helpers/tools.js'

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
  const result = spawnSync(nginx, ['-t', ...nginxArgs(dir)], { encoding: 'utf8', timeout: 10_000 })
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
