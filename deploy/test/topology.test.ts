import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import { startTopology, type ChatInstance } from './helpers/topology.js'
import { connect, next, timesSeen, waitForAll, waitForCounts, within } from './helpers/users.js'
import { haveTools } from './helpers/tools.js'

/**
 * The compose topology on loopback, without containers: nginx (the one template) in front of auth
 * and two chat instances on one redis-server, an SMTP sink. Everything goes through nginx, as a
 * browser would; only the per-instance /metrics are read directly, to see where sockets landed.
 */

const ROOM = 'lobby'

if (haveTools(t, ['nginx', 'docker-compose'])) {
  t.test('through nginx: sign in, two sockets on two chat instances, messages cross, a rolling restart loses nothing', async (t) => {
    const started = Date.now()
    const topo = await startTopology(t, { chats: 2 })
    t.comment(`topology up in ${Date.now() - started} ms`)
    const [chatA, chatB] = topo.chats as [ChatInstance, ChatInstance]

    // The routes: the web app and auth's endpoints from auth, metrics never exposed.
    const config = await fetch(`${topo.origin}/config.json`)
    t.equal(config.status, 200, '/config.json through nginx')
    t.same(await config.json(), { chatUrl: '/ws' }, 'the web app is told to use /ws on the same origin')
    const jwks = await fetch(`${topo.origin}/.well-known/jwks.json`)
    t.equal(jwks.status, 200, '/.well-known goes to auth')
    t.ok(((await jwks.json()) as { keys: unknown[] }).keys.length > 0, 'the signing keys are published')
    const metrics = await fetch(`${topo.origin}/metrics`)
    t.equal(metrics.status, 404, '/metrics is not served through the entry point')
    t.same(await metrics.json(), { error: 'not_found', message: 'not found' })
    const page = await fetch(`${topo.origin}/`, { headers: { accept: 'text/html' } })
    t.equal(page.status, 200, '/ is served')
    t.match(page.headers.get('content-type'), /text\/html/, 'the web app page')
    await page.arrayBuffer()

    // Cross-site requests are refused: the Origin header reaches auth unchanged through nginx.
    const crossSite = await fetch(`${topo.origin}/auth/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ email: 'mallory@example.com' })
    })
    t.equal(crossSite.status, 403, 'a foreign Origin is refused')
    t.match(await crossSite.json(), { error: 'cross_site' })

    // Two users, each socket placed by nginx's least-connections balancing on its own instance.
    const ana = await connect(t, topo, 'ana@example.com', 'Ana', ROOM)
    const afterAna = await waitForCounts(topo.chats, [1, 0]).then(async (c) => c[0] === 1 ? c : await waitForCounts(topo.chats, [0, 1]))
    t.equal(afterAna.reduce((a, b) => a + b, 0), 1, 'Ana has one socket')
    const anaOn = afterAna[0] === 1 ? chatA : chatB
    const benOn = anaOn === chatA ? chatB : chatA
    const ben = await connect(t, topo, 'ben@example.com', 'Ben', ROOM)
    const placed = await waitForCounts(topo.chats, [1, 1])
    t.same(placed, [1, 1], 'the second socket landed on the other chat instance')
    t.comment(`Ana on ${anaOn.name}, Ben on ${benOn.name}`)

    // Messages cross between the instances, through Redis.
    const toBen = next(ben.conn, 'message', (m) => m.text === 'hello Ben')
    const idA = await ana.conn.send(ROOM, 'hello Ben')
    t.equal((await toBen).id, idA, 'Ben got Ana\'s message')
    const toAna = next(ana.conn, 'message', (m) => m.text === 'hi Ana')
    const idB = await ben.conn.send(ROOM, 'hi Ana')
    t.equal((await toAna).id, idB, 'Ana got Ben\'s message')

    // Rolling restart: SIGTERM Ben's instance while Ana keeps talking.
    const anaStatesBefore = ana.states.length
    const anaIds: string[] = []
    let talking = true
    let n = 0
    const anaTalks = (async () => {
      while (talking) {
        anaIds.push(await ana.conn.send(ROOM, `ana ${++n}`))
        await sleep(50)
      }
    })()
    await sleep(300)
    const benBack = next(ben.conn, 'joined', (j) => j.room === ROOM, 10_000)
    const killedAt = Date.now()
    process.kill(benOn.proc.pid, 'SIGTERM')
    const benDuring = ben.conn.send(ROOM, 'ben during the restart')
    const rejoined = await benBack
    const backInMs = Date.now() - killedAt
    t.ok(backInMs < 5000, `Ben is back in ${backInMs} ms (under 5 s)`)
    t.equal(rejoined.recovered, true, 'the rejoin resumed from since/epoch')
    t.ok(ben.closes.includes(1012), `Ben's socket was closed with 1012 (service restart): ${ben.closes.join(',')}`)
    const benIds = [await benDuring]
    for (let i = 1; i <= 3; i++) benIds.push(await ben.conn.send(ROOM, `ben after ${i}`))
    await sleep(500)
    talking = false
    await anaTalks

    const exit = await within(benOn.proc.exited, 25_000)
    t.same(exit, { code: 0, signal: null }, `${benOn.name} exited 0 on SIGTERM`)
    t.same(await waitForCounts([anaOn], [2]), [2], `both sockets are now on ${anaOn.name}`)

    await waitForAll(ben, ROOM, anaIds)
    await waitForAll(ana, ROOM, benIds)
    t.ok(anaIds.length >= 10, `Ana sent ${anaIds.length} messages across the restart`)
    t.same(anaIds.filter((id) => timesSeen(ben, ROOM, id) !== 1), [], 'Ben received each of Ana\'s messages exactly once')
    t.same(benIds.filter((id) => timesSeen(ana, ROOM, id) !== 1), [], 'Ana received each of Ben\'s messages exactly once, the one sent during the restart too')
    t.same(ana.seen.filter((m) => m.text === 'ben during the restart').length, 1, 'the message sent during the restart arrived once')
    t.notOk(ana.states.slice(anaStatesBefore).some((s) => s.state !== 'open'), 'Ana\'s socket, on the other instance, was never interrupted')
  })
}
