import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { verifyAccessSignature } from '@webchat/client'
import { SIGNATURE_HEADER } from '@webchat/shared'
import { type AccessHookOptions, createAccessHook, type HookCall, parseAnswer } from '../../src/membership/access-hook.js'
import { HOOK_SECRET, type HookServer, startHookServer } from '../helpers/hook-server.js'

const ann = { id: 'ann', name: 'Ann' }

/** A hook on `server` with a clock the test moves, recording each call's outcome. */
function hookOn (server: Pick<HookServer, 'url'>, options: Partial<AccessHookOptions> = {}) {
  let clock = Date.now()
  const calls: HookCall[] = []
  const hook = createAccessHook({
    url: server.url, secret: HOOK_SECRET, timeoutMs: 1500, allowCacheMs: 60_000, denyCacheMs: 10_000, maxEntries: 100,
    now: () => clock, observe: (call) => calls.push(call), ...options
  })
  return { hook, calls, advance: (ms: number) => { clock += ms } }
}

t.test('answers: yes with a role, no, and everything else is no', async (t) => {
  t.equal(parseAnswer('{"allow":true}'), 'member', 'a yes without a role admits as a member')
  t.equal(parseAnswer('{"allow":true,"role":"moderator"}'), 'moderator')
  t.equal(parseAnswer('{"allow":true,"extra":[1]}'), 'member', 'fields it does not know are ignored')
  t.equal(parseAnswer('{"allow":false}'), null)
  for (const body of ['', 'yes', 'null', '[]', '{}', '{"allow":"true"}', '{"allow":1}', '{"allow":true,"role":"owner"}', '{"allow":true,"role":7}', '{"allow":false,"role":"boss"}']) {
    t.equal(parseAnswer(body), undefined, `${JSON.stringify(body)} is no answer`)
  }
})

t.test('a signed POST of the room and user, answered over real HTTP', async (t) => {
  const server = await startHookServer(t, ({ user }) => ({ body: { allow: user.id === 'ann', role: 'moderator' } }))
  const { hook, calls } = hookOn(server)
  t.equal(await hook.ask('p-project-42', ann), 'moderator')
  t.equal(await hook.ask('p-project-42', { id: 'bob', name: 'Bob' }), null)
  t.match(calls, [{ outcome: 'allow', room: 'p-project-42', userId: 'ann', status: 200 }, { outcome: 'deny', userId: 'bob' }])
  const [request] = server.requests
  t.match(request?.json.id, /^[A-Za-z0-9_-]{22}$/, 'a random request id')
  t.same(request?.json, { id: request?.json.id, room: 'p-project-42', user: { id: 'ann', name: 'Ann' } })
  t.equal(request?.headers['content-type'], 'application/json')
  const header = request?.headers[SIGNATURE_HEADER] as string
  t.match(header, /^t=\d+,v1=[0-9a-f]{64}$/)
  const body = request?.body ?? ''
  t.equal(await verifyAccessSignature({ header, body, secret: HOOK_SECRET }), true, 'the verifier host products use accepts it')
  t.equal(await verifyAccessSignature({ header, body, secret: `${HOOK_SECRET}x` }), false, 'not with another secret')
  t.equal(await verifyAccessSignature({ header, body: body.replace('ann', 'eve'), secret: HOOK_SECRET }), false, 'not for an altered body')
  t.equal(await verifyAccessSignature({ header, body, secret: HOOK_SECRET, now: Date.now() + 301_000 }), false, 'not 5 minutes later (a replay)')
})

t.test('two requests with the same question in the same second differ: a receiver that keeps the v1s it saw refuses only replays', async (t) => {
  const server = await startHookServer(t, () => ({ body: { allow: true } }))
  // Nothing kept, the clock still: as two instances, or a retry after an error, asking at once.
  const { hook } = hookOn(server, { allowCacheMs: 0, denyCacheMs: 0 })
  await hook.ask('p-x', ann)
  await hook.ask('p-x', ann)
  const [first, second] = server.requests.map((r) => ({ header: r.headers[SIGNATURE_HEADER] as string, body: r.body }))
  t.not(first?.header, second?.header, 'not the same signature')
  for (const r of [first, second]) t.equal(await verifyAccessSignature({ ...r!, secret: HOOK_SECRET }), true, 'each verifies')
  t.not(JSON.parse(first!.body).id, JSON.parse(second!.body).id, 'each has its own id')
})

t.test('an answer is kept: a yes for ROOM_ACCESS_CACHE_MS, a no for the shorter deny time', async (t) => {
  const server = await startHookServer(t, ({ user }) => ({ body: { allow: user.id === 'ann' } }))
  const { hook, advance } = hookOn(server)
  const bob = { id: 'bob', name: 'Bob' }
  for (let i = 0; i < 3; i++) {
    t.equal(await hook.ask('p-x', ann), 'member')
    t.equal(await hook.ask('p-x', bob), null)
  }
  t.equal(server.requests.length, 2, 'asked once each')
  advance(10_001)
  await hook.ask('p-x', ann)
  await hook.ask('p-x', bob)
  t.same([server.about('ann').length, server.about('bob').length], [1, 2], 'the no is asked again after 10 s, the yes is not')
  advance(50_000)
  await hook.ask('p-x', ann)
  t.equal(server.about('ann').length, 2, 'the yes after 60 s')
  await hook.ask('p-y', ann)
  t.equal(server.about('ann').length, 3, 'per room')
  hook.forget('p-x', 'ann')
  await hook.ask('p-x', ann)
  t.equal(server.about('ann').length, 4, 'forgotten (a removal): asked again')
})

t.test('joins at once share one request; a forget meanwhile keeps its answer out of the cache', async (t) => {
  const server = await startHookServer(t, () => ({ body: { allow: true }, delayMs: 100 }))
  const { hook } = hookOn(server)
  t.same(await Promise.all(Array.from({ length: 5 }, async () => await hook.ask('p-x', ann))), Array(5).fill('member'))
  t.equal(server.requests.length, 1)
  hook.forget('p-x', 'ann')
  const asked = hook.ask('p-x', ann)
  await new Promise((resolve) => setTimeout(resolve, 30))
  hook.forget('p-x', 'ann')
  t.equal(await asked, 'member', 'the join that asked gets its answer')
  await hook.ask('p-x', ann)
  t.equal(server.requests.length, 3, 'but it was not kept')
})

t.test('kept answers are bounded: the oldest go first', async (t) => {
  const server = await startHookServer(t, () => ({ body: { allow: true } }))
  const { hook } = hookOn(server, { maxEntries: 2 })
  for (const room of ['p-1', 'p-2', 'p-3', 'p-3', 'p-2']) await hook.ask(room, ann)
  t.equal(server.requests.length, 3, 'the two newest were kept')
  await hook.ask('p-1', ann)
  t.equal(server.requests.length, 4, 'the oldest was dropped')
})

t.test('it fails closed, and within the timeout', async (t) => {
  let reply = {}
  const server = await startHookServer(t, () => reply)
  const { hook, calls } = hookOn(server, { timeoutMs: 300 })
  const cases: Array<[string, object, string]> = [
    ['a 500', { status: 500, body: { allow: true } }, 'error'],
    ['a 201', { status: 201, body: { allow: true } }, 'error'],
    ['a redirect', { status: 307, body: { allow: true } }, 'error'],
    ['bad JSON', { raw: '{"allow": tru' }, 'error'],
    ['a wrong type', { body: { allow: 'yes' } }, 'error'],
    ['an answer too late', { body: { allow: true }, delayMs: 1000 }, 'timeout'],
    ['no answer at all', { hang: true }, 'timeout']
  ]
  for (const [what, answer, outcome] of cases) {
    reply = answer
    const started = performance.now()
    t.equal(await hook.ask(`p-${what}`, ann), null, `${what}: no`)
    const ms = performance.now() - started
    t.ok(ms < 300 + 150, `${what}: answered in ${Math.round(ms)} ms`)
    t.equal(calls.at(-1)?.outcome, outcome)
  }
  reply = { body: { allow: true } }
  t.equal(await hook.ask('p-a 500', ann), 'member', 'an error is not kept: the next join asks again')
  const closed = await startHookServer(t)
  await closed.close()
  const { hook: unreachable, calls: refused } = hookOn(closed)
  t.equal(await unreachable.ask('p-x', ann), null, 'nobody listening: no')
  t.match(refused, [{ outcome: 'error', reason: 'ECONNREFUSED' }])
})

/** A hook that answers 200 at once, then writes its body with `write` (which must end the response when done). */
async function streamingHook (t: Test, write: (res: ServerResponse) => void): Promise<{ url: string, closedEarly: () => boolean }> {
  let closedEarly = false
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.on('close', () => { if (!res.writableFinished) closedEarly = true })
      write(res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/access`, closedEarly: () => closedEarly }
}

t.test('a body too big to be an answer is no answer, and is not read to its end', async (t) => {
  // A yes padded to 64 MiB, sent as fast as the socket takes it: read whole it would cost chat
  // hundreds of MB per join (a gzip bomb far more), and past V8's string limit it blocks the
  // event loop beyond the timeout.
  const pad = Buffer.alloc(1 << 20, 0x20)
  const hook = await streamingHook(t, (res) => {
    res.write('{"allow":true,"pad":"')
    let sent = 0
    const pump = (): void => {
      while (sent < 64) {
        sent++
        if (!res.write(pad)) { res.once('drain', pump); return }
      }
      res.end('"}')
    }
    pump()
  })
  const { hook: big, calls } = hookOn(hook, { timeoutMs: 5000 })
  const started = performance.now()
  t.equal(await big.ask('p-x', ann), null, 'no')
  t.ok(performance.now() - started < 2000, `refused early (${Math.round(performance.now() - started)} ms)`)
  t.match(calls, [{ outcome: 'error', status: 200, reason: 'size' }])
  for (let i = 0; i < 50 && !hook.closedEarly(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  t.ok(hook.closedEarly(), 'chat hung up before the body ended')
})

t.test('a body that trickles in is cut off at the timeout', async (t) => {
  const hook = await streamingHook(t, (res) => {
    res.write('{"allow":')
    const drip = setInterval(() => res.write(' '), 20)
    res.on('close', () => clearInterval(drip))
  })
  const { hook: slow, calls } = hookOn(hook, { timeoutMs: 300 })
  const started = performance.now()
  t.equal(await slow.ask('p-x', ann), null)
  const ms = performance.now() - started
  t.ok(ms >= 290 && ms < 300 + 150, `answered in ${Math.round(ms)} ms`)
  t.match(calls, [{ outcome: 'timeout' }])
})
