import t from 'tap'
import { WebSocket } from 'ws'
import { stopTakingUpgrades } from '../../../src/plugins/external/upgrade-listener.js'
import { autoConfig } from '../../../src/plugins/external/websocket.js'
import { startWsApp } from '../../helpers/ws-app.js'

// What plugins/external/upgrade-listener.ts relies on in @fastify/websocket, checked on the real
// thing: a failure here after an upgrade of it means upgrades must be stopped another way.

/** Opens a socket; resolves with 'open' or the status of the plain HTTP answer. */
async function attempt (url: string): Promise<'open' | number> {
  const client = new WebSocket(url)
  return await new Promise((resolve, reject) => {
    client.once('open', () => { client.terminate(); resolve('open') })
    client.once('unexpected-response', (_request, response) => { resolve(response.statusCode ?? 0); client.terminate() })
    client.once('error', reject)
  })
}

t.test('@fastify/websocket\'s upgrade listener is found by its name and removed', async (t) => {
  const server = await startWsApp(t, { plugin: autoConfig })
  const named = server.app.server.listeners('upgrade').filter((listener) => listener.name === 'onUpgrade')
  t.equal(named.length, 1, 'one `upgrade` listener named onUpgrade')
  t.equal(await attempt(server.url), 'open', 'upgrades are taken')

  t.equal(stopTakingUpgrades(server.app.server), 1, 'it is removed')
  t.equal(server.app.server.listenerCount('upgrade'), 0, 'no upgrade listener is left')
  t.equal(await attempt(server.url), 426, 'an upgrade is now a plain request, answered by the route')
})

t.test('closing the app stops upgrades through the service\'s preClose', async (t) => {
  const server = await startWsApp(t, { plugin: autoConfig })
  await server.app.close()
  t.equal(server.app.server.listeners('upgrade').filter((listener) => listener.name === 'onUpgrade').length, 0)
})
