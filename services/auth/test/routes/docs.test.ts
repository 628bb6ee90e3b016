import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { build, tempDir } from '../helper.js'

/** /docs is served on the session cookie's origin, beside the web app (WEB_ROOT set, as in `npm start`). */
const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }

t.test('/docs: misses are JSON 404s, and nothing under it may be framed', async (t) => {
  const root = tempDir(t, 'web')
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>webchat</title>')
  const { app } = await build(t, 'memory', { env: { DOCS: 'true', WEB_ROOT: root } })

  for (const url of ['/docs/static/nope.html', '/docs/static/nope.js', '/docs/nope', '/docs/static/theme/nope.css', '/%64ocs/static/nope.html', '/d%6Fcs/nope']) {
    const res = await app.inject({ method: 'GET', url, headers: html })
    t.equal(res.statusCode, 404, `${url}: not found, not a 500 nor the app's page`)
    t.same(res.json(), { error: 'not_found', message: 'no such resource' })
    t.match(res.headers['content-security-policy'], /frame-ancestors 'none'/, `${url}: may not be framed`)
  }

  for (const url of ['/docs', '/docs/', '/docs/json', '/docs/yaml', '/docs/static/swagger-initializer.js', '/docs/static/swagger-ui.css', '/docs/static/index.html', '/%64ocs', '/%64ocs/json']) {
    const res = await app.inject({ method: 'GET', url, headers: html })
    t.ok(res.statusCode < 400, `${url}: ${res.statusCode}`)
    t.match(res.headers['content-security-policy'], /(^|; )frame-ancestors 'none'(;|$)/, `${url}: may not be framed`)
    t.match(res.headers['content-security-policy'], /(^|; )script-src 'self'(;|$)/, `${url}: runs only its own scripts`)
  }

  const page = await app.inject({ method: 'GET', url: '/rooms/general', headers: html })
  t.equal(page.statusCode, 200, 'elsewhere a page is still the app')
  t.notMatch(page.headers['content-security-policy'], /script-src-attr/, 'with the app\'s own CSP')
})
