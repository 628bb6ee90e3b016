import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import websocket, { type WebsocketPluginOptions } from '@fastify/websocket'
import type { WebSocket } from 'ws'

interface Teardown { teardown (fn: () => unknown): void }

export interface WsAppOptions {
  /** @fastify/websocket's options (default: none). */
  plugin?: WebsocketPluginOptions
  preValidation?: (request: FastifyRequest, reply: FastifyReply) => void
  /** Called in the route's wsHandler, before anything else. */
  onSocket?: (ws: WebSocket, request: FastifyRequest) => void
}

export interface WsApp {
  app: FastifyInstance
  port: number
  url: string
  /** The server side of the next socket accepted. */
  accepted (): Promise<{ ws: WebSocket, request: FastifyRequest }>
}

/**
 * Fastify and the real @fastify/websocket (with ws) on 127.0.0.1:0 with one route, `GET /ws`: an
 * upgrade is accepted, a plain GET gets 426. For tests of what the service relies on in them.
 */
export async function startWsApp (t: Teardown, options: WsAppOptions = {}): Promise<WsApp> {
  const app = Fastify({ logger: false })
  t.teardown(async () => await app.close())
  await app.register(websocket, options.plugin ?? {})
  const sockets: Array<{ ws: WebSocket, request: FastifyRequest }> = []
  const waiters: Array<(accepted: { ws: WebSocket, request: FastifyRequest }) => void> = []
  app.route({
    method: 'GET',
    url: '/ws',
    preValidation: async (request, reply) => { if (request.ws) options.preValidation?.(request, reply) },
    handler: async (_request, reply) => await reply.code(426).send({ error: 'upgrade_required' }),
    wsHandler: (ws, request) => {
      options.onSocket?.(ws, request)
      const waiter = waiters.shift()
      if (waiter === undefined) sockets.push({ ws, request })
      else waiter({ ws, request })
    }
  })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  return {
    app,
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    accepted: async () => sockets.shift() ?? await new Promise((resolve) => waiters.push(resolve))
  }
}

/** ws's private fields the service relies on. */
export const internals = (ws: WebSocket): { _socket: unknown } => ws as unknown as { _socket: unknown }
