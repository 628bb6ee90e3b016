import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t, { type Test } from 'tap'
import { validate } from '@webchat/shared'
import { loadConfig } from '../../src/config.js'
import { ENGINES, build, tempDir } from '../helper.js'

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
const INDEX = '<!doctype html><title>webchat</title><script type="module" src="/assets/app-1a2b.js"></script>'

function webRoot (t: Test): string {
  const root = tempDir(t, 'web')
  mkdirSync(join(root, 'assets'))
  writeFileSync(join(root, 'index.html'), INDEX)
  writeFileSync(join(root, 'assets', 'app-1a2b.js'), 'console.log("hi")')
  return root
}

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }

for (const kind of ENGINES) {
  t.test(`the web app on ${kind}`, async (t) => {
    const { app } = await build(t, kind, { env: { WEB_ROOT: webRoot(t) } })

    const index = await app.inject({ method: 'GET', url: '/', headers: html })
    t.equal(index.statusCode, 200)
    t.equal(index.body, INDEX)
    t.match(index.headers['content-type'], /^text\/html/)
    t.equal(index.headers['content-security-policy'], CSP)
    t.equal(index.headers['x-content-type-options'], 'nosniff')
    t.equal(index.headers['referrer-policy'], 'same-origin')
    t.equal(index.headers['cache-control'], 'no-cache')

    const asset = await app.inject({ method: 'GET', url: '/assets/app-1a2b.js' })
    t.equal(asset.statusCode, 200)
    t.match(asset.headers['content-type'], /javascript/)
    t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable')
    t.equal(asset.headers['x-content-type-options'], 'nosniff')

    for (const url of ['/rooms/general', '/signin', '/auth/whatever']) {
      const page = await app.inject({ method: 'GET', url, headers: html })
      t.equal(page.statusCode, 200, `${url}: the app routes on the client`)
      t.equal(page.body, INDEX)
      t.equal(page.headers['content-security-policy'], CSP)
    }
    const head = await app.inject({ method: 'HEAD', url: '/rooms/general', headers: html })
    t.equal(head.statusCode, 200)

    for (const [method, url, headers] of [['GET', '/missing.js', {}], ['GET', '/assets/nope.css', {}], ['POST', '/rooms/general', html]] as const) {
      const res = await app.inject({ method, url, headers })
      t.equal(res.statusCode, 404, `${method} ${url}`)
      t.same(res.json(), { error: 'not_found', message: 'no such resource' })
    }
    t.equal((await app.inject({ method: 'GET', url: '/../../etc/passwd', headers: html })).body, INDEX, 'no way out of the web root')

    const config = await app.inject({ method: 'GET', url: '/config.json' })
    t.equal(config.statusCode, 200)
    t.same(config.json(), { chatUrl: '/ws' })
    t.ok(validate.webConfig(config.json()))
  })
}

t.test('an absolute chat URL is allowed in connect-src, alone, and given to the app', async (t) => {
  const { app } = await build(t, 'memory', { env: { WEB_ROOT: webRoot(t), CHAT_PUBLIC_URL: 'wss://chat.example.com/ws' } })
  const index = await app.inject({ method: 'GET', url: '/', headers: html })
  t.match(index.headers['content-security-policy'], /connect-src 'self' wss:\/\/chat\.example\.com;/, 'that host only: no ws:/wss: wildcard')
  t.same((await app.inject({ method: 'GET', url: '/config.json' })).json(), { chatUrl: 'wss://chat.example.com/ws' })
})

t.test('without a built web app: JSON 404s, config.json still served', async (t) => {
  const { app } = await build(t, 'memory', { env: { WEB_ROOT: tempDir(t, 'empty') } })
  const res = await app.inject({ method: 'GET', url: '/', headers: html })
  t.equal(res.statusCode, 404)
  t.equal(res.json().error, 'not_found')
  t.equal((await app.inject({ method: 'GET', url: '/config.json' })).statusCode, 200)
})

t.test('WEB_ROOT defaults to the web workspace build when there is one', async (t) => {
  const dist = fileURLToPath(new URL('../../../../web/dist', import.meta.url))
  t.equal(loadConfig({}).webRoot, existsSync(dist) ? dist : '')
  t.equal(loadConfig({ WEB_ROOT: '/srv/web' }).webRoot, '/srv/web')
})
