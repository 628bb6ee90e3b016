import type { WebSocket } from 'ws'

/**
 * Puts `listener` in place of @fastify/websocket's `error` listener. Theirs is a closure over the
 * upgrade's request and reply, which would live as long as the socket; errors need no more than
 * the connection (ws has already closed the socket with the right code). This leans on
 * @fastify/websocket adding that one listener before it calls the route's wsHandler, and on ws
 * adding none of its own to the WebSocket, so that removing every `error` listener there removes
 * just theirs. test/connection/error-listener.test.ts checks both on a real server.
 */
export function replaceErrorListener (ws: WebSocket, listener: (err: Error) => void): void {
  ws.removeAllListeners('error')
  ws.on('error', listener)
}
