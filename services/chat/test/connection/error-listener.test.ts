import t from 'tap'
import { WebSocket } from 'ws'
import { replaceErrorListener } from '../../src/connection/error-listener.js'
import { startWsApp } from '../helpers/ws-app.js'

// What connection/error-listener.ts relies on in @fastify/websocket and ws, checked on the real
// thing: a failure here after an upgrade of either means the listener must be replaced otherwise.

t.test('@fastify/websocket\'s error listener is the only one, and a closure over the request', async (t) => {
  const handled: unknown[][] = []
  let found: Array<(...args: unknown[]) => void> = []
  const server = await startWsApp(t, {
    plugin: { errorHandler: (...args: unknown[]) => { handled.push(args) } },
    onSocket: (ws) => { found = ws.listeners('error') as Array<(...args: unknown[]) => void> }
  })
  const client = await server.app.injectWS('/ws')
  t.teardown(() => client.terminate())
  const { ws, request } = await server.accepted()
  t.equal(found.length, 1, 'one error listener when wsHandler runs')
  const err = new Error('probe')
  found[0]!(err)
  t.equal(handled.length, 1, 'it is the plugin\'s: it calls the errorHandler')
  t.equal(handled[0]![0], err)
  t.equal(handled[0]![1], ws)
  t.equal(handled[0]![2], request, 'with the upgrade request it holds')

  const mine: Error[] = []
  replaceErrorListener(ws, (e) => { mine.push(e) })
  t.same(ws.listeners('error').length, 1, 'replaced, not added')
  ws.emit('error', err)
  t.same(mine, [err], 'errors reach the new listener')
  t.equal(handled.length, 1, 'and no longer the plugin\'s')
})

t.test('ws closes with the right code itself, then reports the error to the listener', async (t) => {
  const errors: Error[] = []
  const server = await startWsApp(t, {
    plugin: { options: { maxPayload: 16 } },
    onSocket: (ws) => { replaceErrorListener(ws, (err) => { errors.push(err) }) }
  })
  const client = new WebSocket(server.url)
  t.teardown(() => client.terminate())
  await new Promise((resolve, reject) => { client.once('open', resolve); client.once('error', reject) })
  const { ws } = await server.accepted()
  t.equal(ws.listenerCount('error'), 1, 'ws added none of its own after the handler')
  const closed = new Promise<number>((resolve) => client.once('close', resolve))
  client.send('x'.repeat(100))
  t.equal(await closed, 1009, 'too big: closed with 1009')
  t.equal(errors.length, 1, 'the error went to the one listener')
  t.match(errors[0], { code: 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' })
})
