import type { Writable } from 'node:stream'
import t from 'tap'
import { holdUpgrade, releaseUpgrade, upgradedSocket } from '../../src/connection/upgrade-socket.js'
import { rawUpgrade } from '../helpers/raw-upgrade.js'
import { internals, startWsApp } from '../helpers/ws-app.js'

// What connection/upgrade-socket.ts relies on in @fastify/websocket and ws, checked on the real
// thing: a failure here after an upgrade of either means the corked upgrade must be reworked.

t.test('the 101 waits in the corked socket through the handshake and leaves with the first frame', async (t) => {
  let seen: { socket: Writable | null, wsSocket: unknown, corked: number, waiting: number } | undefined
  const server = await startWsApp(t, {
    preValidation: holdUpgrade,
    onSocket: (ws, request) => {
      const socket = upgradedSocket(request)
      seen = { socket, wsSocket: internals(ws)._socket, corked: socket?.writableCorked ?? 0, waiting: socket?.writableLength ?? 0 }
      ws.send('{"type":"ready"}')
      if (socket !== null) releaseUpgrade(socket)
    }
  })
  const { text } = await rawUpgrade(t, server.port, [])
  t.ok(seen !== undefined, 'the handshake reached wsHandler')
  t.equal(seen!.wsSocket, seen!.socket, '@fastify/websocket gave ws the request\'s own socket')
  t.equal(seen!.corked, 1, 'ws left the cork alone')
  t.ok(seen!.waiting > 0, `the 101 waited in the socket (${seen!.waiting} bytes)`)
  t.equal(seen!.socket!.writableCorked, 0, 'released')
  t.match(text, /^HTTP\/1\.1 101 /, 'switching protocols')
  const body = text.slice(text.indexOf('\r\n\r\n') + 4)
  t.equal(body.charCodeAt(0), 0x81, 'a text frame follows the 101 in the same read')
  t.match(body, /"type":"ready"/)
})

t.test('a handshake ws refuses is not held back by the cork', async (t) => {
  let corked = false
  let handled = false
  const server = await startWsApp(t, {
    preValidation: (request, reply) => {
      holdUpgrade(request, reply)
      corked = (upgradedSocket(request)?.writableCorked ?? 0) > 0
    },
    onSocket: () => { handled = true }
  })
  const { text } = await rawUpgrade(t, server.port, [], 'not-a-key')
  t.ok(corked, 'the socket was corked before the handshake')
  t.match(text, /^HTTP\/1\.1 400 /, 'the refusal arrives')
  t.notOk(handled, 'no socket was made')
})

t.test('injected sockets have no upgraded socket: nothing is corked', async (t) => {
  let socket: Writable | null | undefined
  const server = await startWsApp(t, {
    preValidation: holdUpgrade,
    onSocket: (_ws, request) => { socket = upgradedSocket(request) }
  })
  const client = await server.app.injectWS('/ws')
  t.teardown(() => client.terminate())
  await server.accepted()
  t.equal(socket, null)
})
