import t from 'tap'
import { WebSocket } from 'ws'
import { rawSocketOf, writeFrame } from '../../src/delivery/raw-socket.js'
import { frameText } from '../../src/delivery/ws-frame.js'
import { upgradedSocket } from '../../src/connection/upgrade-socket.js'
import { autoConfig } from '../../src/plugins/external/websocket.js'
import { internals, startWsApp } from '../helpers/ws-app.js'

// What delivery/raw-socket.ts relies on in ws, checked on the real thing: a failure here after
// an upgrade of ws or @fastify/websocket means raw writes must go (or be reworked) first.

const open = async (url: string, extensions = false): Promise<{ client: WebSocket, events: string[] }> => {
  const client = new WebSocket(url, { perMessageDeflate: extensions })
  const events: string[] = []
  client.on('message', (data) => events.push(String(data)))
  client.on('ping', () => events.push('ping'))
  client.on('close', (code) => events.push(`close ${code}`))
  await new Promise((resolve, reject) => { client.once('open', resolve); client.once('error', reject) })
  return { client, events }
}

t.test('ws writes to the upgrade request\'s own socket: the one raw frames go to', async (t) => {
  const server = await startWsApp(t, { plugin: autoConfig })
  const { client } = await open(server.url)
  t.teardown(() => client.terminate())
  const { ws, request } = await server.accepted()
  const socket = upgradedSocket(request)
  t.ok(socket !== null, 'a real upgrade has a socket')
  t.equal(internals(ws)._socket, socket, 'ws._socket is request.raw.socket')
  t.equal(ws.extensions, '', 'no extension with the service\'s options')
  t.equal(rawSocketOf(ws, socket), socket, 'so frames are written to it')
})

t.test('raw frames and ws\'s own (messages, pings, the close) leave in call order', async (t) => {
  const server = await startWsApp(t, { plugin: autoConfig })
  const { client, events } = await open(server.url)
  t.teardown(() => client.terminate())
  const { ws, request } = await server.accepted()
  const raw = rawSocketOf(ws, upgradedSocket(request))!
  writeFrame(ws, raw, frameText('1'))
  ws.send('2')
  writeFrame(ws, raw, frameText('3'))
  ws.ping()
  writeFrame(ws, raw, frameText('4'.repeat(70_000)))
  ws.send('5')
  ws.close(1000)
  await new Promise((resolve) => client.once('close', resolve))
  t.same(events, ['1', '2', '3', 'ping', '4'.repeat(70_000), '5', 'close 1000'])
})

t.test('ws.bufferedAmount counts raw bytes waiting in the socket (the slow-consumer check)', async (t) => {
  const server = await startWsApp(t, { plugin: autoConfig })
  const { client } = await open(server.url)
  t.teardown(() => client.terminate())
  const { ws, request } = await server.accepted()
  const raw = rawSocketOf(ws, upgradedSocket(request))!
  raw.cork()
  const before = ws.bufferedAmount
  const frame = frameText('x'.repeat(1000))
  raw.write(frame)
  t.equal(ws.bufferedAmount - before, frame.length, 'the frame is counted')
  raw.uncork()
})

t.test('with an extension negotiated, frames go through ws.send', async (t) => {
  const server = await startWsApp(t, { plugin: { options: { perMessageDeflate: true } } })
  const { client, events } = await open(server.url, true)
  t.teardown(() => client.terminate())
  const { ws, request } = await server.accepted()
  t.not(ws.extensions, '', 'permessage-deflate is in use')
  const raw = rawSocketOf(ws, upgradedSocket(request))
  t.equal(raw, null)
  writeFrame(ws, raw, frameText('z'.repeat(300)))
  ws.close(1000)
  await new Promise((resolve) => client.once('close', resolve))
  t.same(events, ['z'.repeat(300), 'close 1000'], 'the payload arrives, compressed by ws')
})
