import { randomBytes } from 'node:crypto'
import type { Socket } from 'node:net'
import t from 'tap'
import { ENGINES, eventually, startCluster } from '../../helpers/cluster.js'

for (const kind of ENGINES) {
  t.test(`${kind}: a socket that misses a pong is terminated; live ones stay`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 1, env: { PING_INTERVAL_MS: 150 } })
    const alive = await cluster.connect(0, { sub: 'alive', sid: 'a' })
    const silent = await cluster.connect(0, { sub: 'silent', sid: 's' })
    await cluster.join(silent, 'ping')
    const socket = (silent.ws as unknown as { _socket: Socket })._socket
    socket.pause() // reads nothing, so answers no ping
    const metrics = async (): Promise<string> => await (await fetch(`${cluster.httpUrl(0)}/metrics`)).text()
    await eventually(async () => /webchat_chat_connections 1\b/.test(await metrics()), 5000, 'the silent socket is dropped')
    socket.resume()
    t.equal((await silent.closed).code, 1006, 'terminated, no close frame')
    await new Promise((resolve) => setTimeout(resolve, 500))
    t.equal(alive.ws.readyState, alive.ws.OPEN, 'a socket that answers pings stays open')
    const res = await fetch(`${cluster.httpUrl(0)}/api/rooms/ping/presence`, { headers: { authorization: `Bearer ${await cluster.auth.mint()}` } })
    t.same(await res.json(), { room: 'ping', members: [] }, 'its presence is gone')
  })
}

for (const kind of ENGINES) {
  t.test(`${kind}: pongs nobody asked for do not keep a socket that reads nothing alive`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 1, env: { PING_INTERVAL_MS: 150 } })
    const alive = await cluster.connect(0, { sub: 'alive', sid: 'a' })
    const faker = await cluster.connect(0, { sub: 'faker', sid: 'f' })
    const socket = (faker.ws as unknown as { _socket: Socket })._socket
    socket.pause() // reads no ping, so can only guess at the payload
    let n = 0
    const pongs = setInterval(() => { faker.ws.pong(++n % 2 === 0 ? randomBytes(6) : undefined) }, 30)
    t.teardown(() => clearInterval(pongs))
    const metrics = async (): Promise<string> => await (await fetch(`${cluster.httpUrl(0)}/metrics`)).text()
    await eventually(async () => /webchat_chat_connections 1\b/.test(await metrics()), 5000, 'the socket is dropped despite its pongs')
    clearInterval(pongs)
    t.ok(n >= 3, `${n} unsolicited pongs sent, several in each ping interval`)
    socket.resume()
    t.equal((await faker.closed).code, 1006, 'terminated')
    t.equal(alive.ws.readyState, alive.ws.OPEN, 'a socket whose pongs echo the pings stays open')
  })
}

for (const kind of ENGINES) {
  t.test(`${kind}: sockets that vanish mid-join leave nothing behind`, async (t) => {
    const cluster = await startCluster(t, kind, { instances: 1 })
    const { connect } = await import('../../helpers/client.js')
    for (let i = 0; i < 10; i++) {
      const c = await connect(cluster.wsUrl(0), await cluster.auth.mint({ sub: `ghost${i}`, sid: `g${i}` }))
      c.send({ type: 'join', room: 'haunted' })
      c.send({ type: 'join', room: `haunted-${i}` })
      if (i % 2 === 0) c.ws.terminate()
      else setTimeout(() => c.ws.terminate(), i * 3)
    }
    const metrics = async (): Promise<string> => await (await fetch(`${cluster.httpUrl(0)}/metrics`)).text()
    await eventually(async () => {
      const text = await metrics()
      return /webchat_chat_connections 0\b/.test(text) && /webchat_chat_rooms 0\b/.test(text)
    }, 5000, 'no connection and no room subscription left')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const res = await fetch(`${cluster.httpUrl(0)}/api/rooms/haunted/presence`, { headers: { authorization: `Bearer ${await cluster.auth.mint()}` } })
    t.same(await res.json(), { room: 'haunted', members: [] })
  })
}
