import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import websocket from '@fastify/websocket'
import { LIMITS, SUBPROTOCOL } from '@webchat/shared'
import { stopTakingUpgrades } from './upgrade-listener.js'

/**
 * WebSocket server limits: 16 KiB frames (larger ones close with 1009), at most 16 fragments a
 * message, no compression (it costs CPU per socket on fan-out and invites zip bombs). The
 * subprotocol `webchat.v1` is selected; a token offered beside it is never echoed.
 */
export const autoConfig = {
  options: {
    maxPayload: LIMITS.frameBytes,
    maxFragments: 16,
    perMessageDeflate: false,
    clientTracking: true,
    handleProtocols: (protocols: Set<string>) => protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false
  },
  // Protocol errors (oversized frames, bad UTF-8): ws already closes with the right code.
  errorHandler (error: Error, socket: WebSocket, request: FastifyRequest) {
    request.log.debug({ err: error }, 'websocket error')
    if (socket.readyState === socket.OPEN) socket.close(1011)
  },
  // On close, stop taking upgrades: later ones reach Fastify as plain requests (503 while closing).
  // Open sockets are closed with 1012 by the connections plugin's own preClose hook, which runs next.
  preClose: async function (this: FastifyInstance) {
    stopTakingUpgrades(this.server)
  }
}

export default websocket
