import { createServer, type Socket } from 'node:net'
import t, { type Test } from 'tap'
import { freePort } from '@webchat/testkit'
import { percentile, report } from '../src/figures.js'
import { http, type HttpAnswer } from '../src/http.js'
import { PUBLIC_ORIGIN, startStack } from '../src/stack.js'

/** An SMTP server that accepts connections and never says a word. */
async function silentSmtp (t: Test): Promise<string> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  })
  const address = server.address()
  return `smtp://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`
}

/** Requests codes for 10 addresses at once while probing the service; answers and probe latencies. */
async function underMailFailure (t: Test, scenario: string, smtpUrl: string): Promise<void> {
  // Ready although mail is down: readiness is Redis's (and shutdown's), mail is only reported.
  const stack = await startStack(t, { chats: 0, smtpUrl })
  const url = stack.auth.url
  const probes: number[] = []
  const readiness: HttpAnswer[] = []
  let probing = true
  const probe = (async () => {
    while (probing) {
      for (const path of ['/healthz', '/.well-known/jwks.json']) probes.push((await http(`${url}${path}`)).ms)
      readiness.push(await http(`${url}/readyz`, { timeoutMs: 30_000 }))
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  const codes = await Promise.all(Array.from({ length: 10 }, async (_, i) =>
    await http(`${url}/auth/code`, { body: { email: `mail-${i}@example.com` }, headers: { origin: PUBLIC_ORIGIN }, timeoutMs: 30_000 })))
  // Meanwhile a signed-in user keeps working: sessions do not need mail.
  const again = await http(`${url}/auth/code`, { body: { email: 'mail-0@example.com' }, headers: { origin: PUBLIC_ORIGIN }, timeoutMs: 30_000 })
  readiness.push(await http(`${url}/readyz`, { timeoutMs: 30_000 }))
  probing = false
  await probe

  t.same(codes.map((c) => [c.status, (c.json as { error?: string }).error]), codes.map(() => [503, 'mail_unavailable']), '10 concurrent POST /auth/code: 503 mail_unavailable')
  const slowest = Math.max(...codes.map((c) => c.ms))
  t.ok(slowest <= 10_000, `every POST /auth/code answered 503 within 10 s (slowest ${slowest} ms)`)
  t.equal(again.status, 503, 'a retry right after is not rate limited (the failed send gave its limits back)')
  t.ok(readiness.length >= 2, `${readiness.length} readiness probes`)
  t.same(readiness.map((r) => [r.status, r.json]), readiness.map(() => [200, { status: 'ok', checks: { engine: true, mail: false } }]),
    'ready throughout, mail reported down')
  const readyzMaxMs = Math.max(...readiness.map((r) => r.ms))
  t.ok(readyzMaxMs < 500, `/readyz answered within 500 ms (slowest ${readyzMaxMs} ms)`)
  t.ok(probes.length >= 2, `${probes.length} probes meanwhile`)
  t.ok(percentile(probes, 99) < 250, `the service stayed responsive (probe p99 ${percentile(probes, 99)} ms, max ${Math.max(...probes)} ms)`)
  t.equal(stack.auth.proc.exit, undefined, 'auth still running')
  report(t, scenario, {
    codeAnswerMaxMs: slowest,
    readyzProbes: readiness.length,
    readyzMaxMs,
    probes: probes.length,
    probeP99Ms: percentile(probes, 99),
    probeMaxMs: Math.max(...probes)
  })
}

t.test('SMTP down (connection refused)', async (t) => {
  await underMailFailure(t, 'smtp-refused', `smtp://127.0.0.1:${await freePort()}`)
})

t.test('an SMTP server that never greets', async (t) => {
  await underMailFailure(t, 'smtp-silent', await silentSmtp(t))
})
