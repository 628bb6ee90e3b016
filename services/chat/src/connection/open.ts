import type { Writable } from 'node:stream'
import type { WebSocket } from 'ws'
import { CloseCode, type TokenClaims } from '@webchat/shared'
import { createConnection, type Connection } from './connection.js'
import type { ChatDeps } from './deps.js'
import { dispatch } from './dispatcher.js'

/**
 * Serves one accepted socket. Listeners are attached before anything is awaited, so no frame is
 * lost; frames wait for `ready` (sent once the connection is registered).
 */
export function openConnection (deps: ChatDeps, ws: WebSocket, socket: Writable | null, claims: TokenClaims): Connection {
  const conn = createConnection(ws, claims, deps.config, deps.metrics, { socket, outbox: deps.outbox })
  const log = deps.log.child({ connectionId: conn.id, userId: conn.user.id })

  ws.on('message', (data, isBinary) => dispatch(deps, conn, data, isBinary))
  ws.on('pong', () => { conn.alive = true })
  ws.on('error', (err) => log.debug({ err }, 'socket error'))
  ws.once('close', (code) => {
    log.debug({ code }, 'socket closed')
    conn.dispose()
    deps.connections.remove(conn)
    for (const [room, membership] of conn.rooms) {
      const wasJoined = membership.state === 'joined'
      // A join under way sees `left` and undoes its own steps.
      membership.state = 'left'
      membership.buffer = null
      if (!wasJoined) continue
      deps.rooms.detach(room, conn)
      if (!deps.connections.closing) {
        deps.presence.exit(room, conn.user).catch((err: unknown) => log.warn({ err, room }, 'presence leave failed'))
      }
    }
    conn.rooms.clear()
  })

  conn.armExpiry()
  conn.ready = deps.connections.add(conn).then(() => {
    conn.sendFrame({ type: 'ready', user: { id: conn.user.id, name: conn.user.name }, connectionId: conn.id })
  })
  conn.ready.catch((err: unknown) => {
    log.error({ err }, 'cannot register the connection')
    conn.close(CloseCode.internal, 'internal error')
  })
  return conn
}
