import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SUBPROTOCOL, type TokenClaims } from '@webchat/shared'
import type { ChatDeps } from '../../connection/deps.js'
import type { Connection } from '../../connection/connection.js'
import { applyNotice, resync } from '../../connection/notices.js'
import { names } from '../../names.js'
import { bucketOf } from '../../user-events.js'
import { openConnection } from '../../connection/open.js'
import { holdUpgrade, releaseUpgrade, upgradedSocket } from '../../connection/upgrade-socket.js'
import { checkUpgrade } from './upgrade.js'

declare module 'fastify' {
  interface FastifyRequest {
    chatClaims: TokenClaims | null
    /** Gives back the user's socket slot taken before the upgrade. */
    releaseSocketSlot: (() => void) | null
  }
}

/** Logs the path only: the query may hold a token. */
const safeRequest = (request: FastifyRequest): Record<string, unknown> => ({
  method: request.method,
  url: request.url.split('?')[0],
  remoteAddress: request.ip
})

/** `GET /ws`: the WebSocket endpoint; a plain GET gets 426 with a hint. */
const wsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const deps: ChatDeps = {
    config: fastify.chatConfig,
    engine: fastify.engine,
    tokens: fastify.tokens,
    reconnectTickets: fastify.reconnectTickets,
    tickets: fastify.tickets,
    rooms: fastify.rooms,
    presence: fastify.presence,
    messages: fastify.messages,
    reader: fastify.reader,
    changes: fastify.changes,
    connections: fastify.connections,
    metrics: fastify.chatMetrics,
    outbox: fastify.outbox,
    allowances: fastify.allowances,
    membership: fastify.membership,
    inbox: fastify.inbox,
    beforeSend: fastify.beforeSend,
    activity: fastify.activity,
    notifier: fastify.notifier,
    log: fastify.log
  }
  fastify.connections.onNotice((connections, notice) => {
    applyNotice(deps, connections, notice).catch((err: unknown) => { deps.log.warn({ err }, 'room notice not applied') })
  })
  // After a loss of every channel, every membership is checked; after a cluster shard's, those
  // whose notices (the user's event bucket) or room (its record lives with its channel) it held.
  const stopResync = fastify.engine.pubsub.onResume((scope) => {
    const only = scope === undefined
      ? undefined
      : (conn: Connection, room: string) => scope.has(names.userEvents(bucketOf(conn.user.id))) || scope.has(names.roomChannel(room))
    resync(deps, deps.connections.each(), only).catch((err: unknown) => { deps.log.warn({ err }, 'memberships not checked after the outage') })
  })
  fastify.addHook('onClose', async () => { stopResync() })
  fastify.decorateRequest('chatClaims', null)
  fastify.decorateRequest('releaseSocketSlot', null)

  fastify.route({
    method: 'GET',
    url: '/ws',
    schema: { hide: true },
    logSerializers: { req: safeRequest },
    preValidation: async (request, reply) => {
      if (!request.ws) return
      const { claims, release } = await checkUpgrade(request, deps, deps.connections.closing)
      request.releaseSocketSlot = release
      request.chatClaims = claims
      // Accepted: ws answers the upgrade on the socket itself, the 101 together with `ready`.
      holdUpgrade(request, reply)
    },
    handler: async (_request, reply) => {
      return await reply.code(426).header('upgrade', 'websocket').send({
        error: 'upgrade_required',
        message: `open a WebSocket here with the subprotocol ${SUBPROTOCOL} and a chat token`
      })
    },
    wsHandler: (socket, request) => {
      const release = request.releaseSocketSlot
      if (release !== null) socket.once('close', release)
      const claims = request.chatClaims
      // The upgraded TCP socket: frames are written to it ready-made.
      const raw = upgradedSocket(request)
      if (claims === null) {
        if (raw !== null) releaseUpgrade(raw)
        socket.close(1011, 'internal error')
        return
      }
      openConnection(deps, socket, raw, claims)
    }
  })
}

export default wsRoutes
