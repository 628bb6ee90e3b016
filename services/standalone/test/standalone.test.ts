import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import WebSocket from 'ws'
import { freePort, startSmtpSink } from '@webchat/testkit'
import { buildStandalone, loadConfig } from '../src/index.js'

t.test('auth, chat and the web config in one process on the memory engine', async (t) => {
  const sink = await startSmtpSink()
  t.teardown(() => sink.close())
  const port = await freePort()
  const origin = `http://localhost:${port}`
  const { fastify, engine } = await buildStandalone(loadConfig({
    PORT: String(port), MAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url, LOG_LEVEL: 'silent', DATA_DIR: t.testdir()
  }))
  t.teardown(() => fastify.close())
  await fastify.listen({ host: '127.0.0.1', port })
  t.equal(engine.kind, 'memory')

  const post = async (url: string, body: unknown, cookie?: string): Promise<Response> => await fetch(`http://127.0.0.1:${port}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, ...(cookie !== undefined ? { cookie } : {}) },
    body: JSON.stringify(body)
  })
  // What a browser sends back: the `name=value` of each cookie an answer set.
  const cookiesOf = (res: Response, name?: string): string => res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '')
    .filter((c) => name === undefined || c.startsWith(`${name}=`)).join('; ')
  const requested = await post('/auth/code', { email: 'ana@example.com' })
  t.equal(requested.status, 202)
  const verified = await post('/auth/verify', { email: 'ana@example.com', code: await sink.codeFor('ana@example.com') }, cookiesOf(requested))
  t.equal(verified.status, 200)
  const cookie = cookiesOf(verified, 'webchat_session')
  const minted = await post('/auth/token', {}, cookie)
  t.equal(minted.status, 200)
  const { token } = await minted.json() as { token: string }

  const config = await (await fetch(`http://127.0.0.1:${port}/config.json`)).json() as { chatUrl: string }
  t.equal(config.chatUrl, '/ws', 'the page finds chat on its own origin')
  for (const path of ['/healthz', '/readyz', '/metrics']) t.equal((await fetch(`http://127.0.0.1:${port}${path}`)).status, 200, path)
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  t.match(metrics, /webchat_auth_/, 'auth metrics')
  t.match(metrics, /webchat_chat_/, 'chat metrics')

  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, ['webchat.v1', token], { origin })
  const frames: Array<Record<string, unknown>> = []
  ws.on('message', (data) => {
    const parsed = JSON.parse(String(data)) as Record<string, unknown> | Array<Record<string, unknown>>
    frames.push(...(Array.isArray(parsed) ? parsed : [parsed]))
  })
  const waitFor = async (type: string): Promise<Record<string, unknown>> => {
    for (let i = 0; i < 200; i++) {
      const frame = frames.find((f) => f.type === type)
      if (frame !== undefined) return frame
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error(`no ${type} frame`)
  }
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
  t.equal(ws.protocol, 'webchat.v1')
  await waitFor('ready')
  ws.send(JSON.stringify({ type: 'join', room: 'lobby' }))
  await waitFor('joined')
  ws.send(JSON.stringify({ type: 'send', room: 'lobby', text: 'hello from one process', clientMsgId: 'm1' }))
  const ack = await waitFor('ack')
  const message = await waitFor('message')
  t.equal(message.text, 'hello from one process')
  t.equal(message.id, ack.id)

  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
  t.equal((await post('/auth/logout', {}, cookie)).status, 204)
  t.equal(await closed, 4001, 'logout closes the socket of the session')
})

t.test('Redis settings pass through to both services, checked by their own config', async (t) => {
  const config = loadConfig({ REDIS_CLUSTER_NODES: 'r1:7000,r2:7001' })
  t.same([config.auth.redisClusterNodes, config.chat.redisClusterNodes], [['r1:7000', 'r2:7001'], ['r1:7000', 'r2:7001']])
  t.same([config.auth.engine, config.chat.engine], ['memory', 'memory'], 'the all-in-one process stays on memory unless ENGINE says otherwise')
  t.throws(() => loadConfig({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r1:7000' }), /not both/)
})

t.test('npm start: a miss under /docs is a JSON 404, and nothing there may be framed', async (t) => {
  const web = join(t.testdir(), 'web')
  mkdirSync(web)
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>webchat</title>')
  const { fastify } = await buildStandalone(loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: join(t.testdir(), 'data'), WEB_ROOT: web }))
  t.teardown(() => fastify.close())
  const miss = await fastify.inject({ method: 'GET', url: '/docs/static/nope.html', headers: { accept: 'text/html' } })
  t.equal(miss.statusCode, 404, 'not a 500')
  t.same(miss.json(), { error: 'not_found', message: 'no such resource' })
  for (const response of [miss, await fastify.inject({ method: 'GET', url: '/docs/json' })]) {
    t.match(response.headers['content-security-policy'], /frame-ancestors 'none'/)
  }
})

t.test('the README config table and docs/openapi match the code', async (t) => {
  const { execFile } = await import('node:child_process')
  const script = new URL('../../../scripts/docs.mjs', import.meta.url).pathname
  const result = await new Promise<{ code: number | null, stderr: string }>((resolve) => {
    execFile(process.execPath, [script, '--check'], { timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ code: err === null ? 0 : (err as { code?: number }).code ?? 1, stderr })
    })
  })
  t.equal(result.code, 0, result.stderr === '' ? 'docs are current' : result.stderr)
})
