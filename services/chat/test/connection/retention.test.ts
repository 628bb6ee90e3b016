import type { Socket } from 'node:net'
import t from 'tap'
import { startCluster } from '../helpers/cluster.js'

// An idle connection should cost what its socket costs: the HTTP response of the upgrade (and
// through it the request with its headers and token, Fastify's request and reply) must not live
// on with it. `_httpMessage` is Node's link from a socket to its current response.
t.test('an open connection does not keep the upgrade response alive', async (t) => {
  const cluster = await startCluster(t, 'memory')
  let upgraded: (Socket & { _httpMessage?: unknown }) | undefined
  cluster.apps[0]!.server.once('upgrade', (_request, socket: Socket) => { upgraded = socket })
  await cluster.connect(0, { sub: 'keeps-little' })
  t.ok(upgraded !== undefined, 'saw the upgrade')
  t.equal(upgraded!._httpMessage, null, 'the response is detached from the socket')
})
