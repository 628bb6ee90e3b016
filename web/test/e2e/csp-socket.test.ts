import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { chromium } from 'playwright-core'
import { freePort } from '@webchat/testkit'
import { buildStandalone, loadConfig } from '../../../services/standalone/src/index.js'
import { CHROMIUM_MISSING, chromiumPath } from './harness.js'

/**
 * The app's CSP names no `ws:`/`wss:` wildcard: with the default chat URL (`/ws`, same origin, as
 * `npm start` and compose serve it) `connect-src 'self'` must still let Chromium open the socket,
 * and must stop one to any other host. One process serves the page (auth's CSP) and /ws.
 */
t.test('connect-src \'self\' lets the page open its own origin\'s socket, and no other', async (t) => {
  const executablePath = chromiumPath()
  if (executablePath === undefined) { t.fail(CHROMIUM_MISSING); return }
  const dir = mkdtempSync(join(tmpdir(), 'webchat-csp-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>csp</title>')
  const port = await freePort()
  const { fastify } = await buildStandalone(loadConfig({ PORT: String(port), LOG_LEVEL: 'silent', DATA_DIR: join(dir, 'data'), WEB_ROOT: dir }))
  t.teardown(async () => { await fastify.close() })
  const upgrades: string[] = []
  fastify.server.on('upgrade', (request: { url?: string }) => { upgrades.push(request.url ?? '') })
  await fastify.listen({ host: '127.0.0.1', port })

  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
  t.teardown(async () => { await browser.close() })
  const page = await browser.newPage()
  const response = await page.goto(`http://127.0.0.1:${port}/`)
  t.match(response?.headers()['content-security-policy'], /connect-src 'self';/, 'the page\'s CSP: its own origin only')

  /** Opens a socket from the page; resolves with the CSP violations it caused and whether it opened. */
  const attempt = async (url: string) => await page.evaluate(async (url) => await new Promise<{ violations: string[], opened: boolean }>((resolve) => {
    const violations: string[] = []
    // A socket the CSP blocks reports the violation and then neither opens nor closes (Chromium).
    document.addEventListener('securitypolicyviolation', (e) => {
      violations.push(`${e.effectiveDirective} ${e.blockedURI}`)
      resolve({ violations, opened: false })
    })
    let ws: WebSocket
    try {
      ws = new WebSocket(url, ['webchat.v1'])
    } catch (err) {
      resolve({ violations: [...violations, String(err)], opened: false })
      return
    }
    ws.onopen = () => { ws.close(); resolve({ violations, opened: true }) }
    ws.onclose = () => { setTimeout(() => resolve({ violations, opened: false }), 100) }
    setTimeout(() => resolve({ violations: [...violations, 'no open nor close within 5 s'], opened: false }), 5000)
  }), url)

  const own = await attempt(`ws://127.0.0.1:${port}/ws`)
  t.same(own.violations, [], 'no CSP violation for the own origin\'s ws:')
  t.ok(upgrades.includes('/ws'), 'the upgrade reached the server (refused there for want of a token, not by the browser)')
  const other = await attempt(`ws://localhost:${port}/ws`)
  t.match(other.violations, [/connect-src/], 'another host is blocked by the CSP')
  t.equal(other.opened, false)
  t.equal(upgrades.length, 1, 'and never reached the server')
})
