import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { openCrowd } from '../src/crowd.js'
import { report } from '../src/figures.js'
import { eventually, http, waitForStatus } from '../src/http.js'
import { createRedisServer } from '../src/redis-server.js'
import { PUBLIC_ORIGIN, startStack } from '../src/stack.js'

t.test('Redis down when the services start: alive, not ready, 503s; ready once Redis is', async (t) => {
  const redis = await createRedisServer({ persistence: 'aof' })
  const stack = await startStack(t, { redis, skipReady: true })
  const services = [stack.auth, ...stack.chats]
  const pids = services.map((s) => s.proc.pid)

  for (const svc of services) {
    t.equal((await http(`${svc.url}/healthz`)).status, 200, `${svc.name} live`)
    const ready = await http(`${svc.url}/readyz`)
    t.equal(ready.status, 503, `${svc.name} not ready`)
    t.match(ready.json, { status: 'unavailable', checks: { engine: false } })
  }
  const code = await http(`${stack.auth.url}/auth/code`, { body: { email: 'early@example.com' }, headers: { origin: PUBLIC_ORIGIN } })
  t.equal(code.status, 503, 'POST /auth/code answers 503')
  t.match(code.json, { error: 'unavailable' })
  t.ok(code.ms <= 2000, `within 2 s (${code.ms} ms)`)

  // Several retry periods of the Redis clients: still the same processes.
  await sleep(3000)
  t.same(services.map((s) => s.proc.exit), services.map(() => undefined), 'no process exited')
  t.same(services.map((s) => s.proc.pid), pids, 'no restart (no crash loop)')

  await redis.start()
  const readyMs = await Promise.all(services.map(async (svc) => await waitForStatus(`${svc.url}/readyz`, 200, 15_000)))
  for (const [i, svc] of services.entries()) t.ok(readyMs[i]! <= 7000, `${svc.name} ready ${readyMs[i]} ms after Redis started`)

  // Fully working: sign-in by mailed code, and a message across the two instances.
  const [a, b] = await openCrowd(t, stack, { size: 2, rooms: ['late'], label: 'late' })
  const id = await a!.conn.send('late', 'works')
  await sleep(300)
  t.ok(b!.shown.some((s) => s.id === id), 'a message crosses instances')
  // Revocations reach chat too (its subscription was made once Redis came): logout closes with 4001.
  const loggedOutAt = Date.now()
  await b!.session.logout()
  await eventually(() => b!.closes.includes(4001), 3000, 'closed with 4001')
  t.pass(`logout closed the socket with 4001 after ${Date.now() - loggedOutAt} ms`)
  t.same(services.map((s) => s.proc.pid), pids, 'still the first processes')
  report(t, 'redis-down-at-start', {
    codeAnswerMs: code.ms,
    authReadyMs: readyMs[0]!,
    chatReadyMaxMs: Math.max(...readyMs.slice(1)),
    exits: services.filter((s) => s.proc.exit !== undefined).length
  })
})
