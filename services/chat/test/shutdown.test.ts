import t from 'tap'
import { ENGINES, startCluster } from './helpers/cluster.js'
import { UpgradeRefused, connect } from './helpers/client.js'

for (const kind of ENGINES) {
  t.test(`${kind}: closing an instance closes every socket with 1012 and refuses new ones`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 2 })
    const clients = await Promise.all([0, 0, 0, 1].map(async (i, n) => await cluster.connect(i, { sub: `u${n}`, sid: `s${n}` })))
    for (const c of clients) await cluster.join(c, 'bye')
    const app = cluster.apps[0]!
    const url = cluster.wsUrl(0)
    const closing = app.close()
    const codes = await Promise.all(clients.slice(0, 3).map(async (c) => (await c.closed).code))
    t.same(codes, [1012, 1012, 1012])
    await closing
    await t.rejects(connect(url, await cluster.auth.mint()), 'no new connections')
    // The other instance serves on.
    const other = clients[3]!
    other.send({ type: 'send', room: 'bye', text: 'still here', clientMsgId: 'still' })
    await other.waitFor((f) => f.type === 'message' && f.text === 'still here')
    t.equal(other.ws.readyState, other.ws.OPEN)
  })
}

t.test('readiness turns 503 and upgrades are refused while closing', async (t) => {
  const cluster = await startCluster(t, 'memory', { env: { SOCKET_CLOSE_GRACE_MS: 1500 } })
  const c = await cluster.connect(0)
  // A client that never answers the close handshake keeps the instance in its closing phase.
  ;(c.ws as unknown as { _socket: { pause (): void } })._socket.pause()
  const closing = cluster.apps[0]!.close()
  await new Promise((resolve) => setTimeout(resolve, 100))
  const ready = await fetch(`${cluster.httpUrl(0)}/readyz`).catch(() => null)
  t.ok(ready === null || ready.status === 503, `readiness ${ready?.status ?? 'refused'}`)
  const refused = await connect(cluster.wsUrl(0), await cluster.auth.mint()).then(() => null, (err: unknown) => err)
  t.ok(refused instanceof UpgradeRefused ? refused.status === 503 : refused instanceof Error, 'upgrade refused')
  const started = Date.now()
  await closing
  t.ok(Date.now() - started < 3000, 'stragglers are terminated after the grace')
})
