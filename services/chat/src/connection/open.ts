import type { Writable } from 'node:stream'
import { WebSocket } from 'ws'
import { CloseCode, emptyInbox, type TokenClaims } from '@webchat/shared'
import * as hold from '../delivery/hold.js'
import { Connection } from './connection.js'
import type { ChatDeps } from './deps.js'
import { dispatch } from './dispatcher.js'
import { replaceErrorListener } from './error-listener.js'
import { releaseUpgrade } from './upgrade-socket.js'

/**
 * Serves one accepted socket. Listeners are attached before anything is awaited, so no frame is
 * lost; frames wait for `ready` (sent once the connection is registered).
 */
export function openConnection (deps: ChatDeps, ws: WebSocket, socket: Writable | null, claims: TokenClaims, onTicket = false): Connection {
  const conn = new Connection(ws, claims, deps, socket)
  conn.onTicket = onTicket
  const about = (fields: Record<string, unknown>): Record<string, unknown> => ({ connectionId: conn.id, userId: conn.user.id, ...fields })

  replaceErrorListener(ws, (err) => {
    deps.log.debug(about({ err }), 'socket error')
    if (ws.readyState === WebSocket.OPEN) ws.close(1011)
  })
  ws.on('message', (data, isBinary) => dispatch(deps, conn, data, isBinary))
  ws.on('pong', (data) => { conn.pong(data) })
  ws.once('close', (code) => {
    deps.log.debug(about({ code }), 'socket closed')
    deps.connections.remove(conn)
    deps.reconnectTickets.ended(conn)
    deps.inbox.live.close(conn)
    if (!conn.hasRooms()) return
    for (const [room, membership] of conn.rooms) {
      // A join under way sees `left` and undoes its own steps.
      if (!hold.leave(membership)) continue
      deps.rooms.detach(room, conn)
      if (!deps.connections.closing) {
        deps.presence.exit(room, conn.user).catch((err: unknown) => deps.log.warn(about({ err, room }), 'presence leave failed'))
      }
    }
    conn.rooms.clear()
  })

  // A connection without a ticket still works: its client fetches a token to reconnect.
  conn.ready = Promise.all([deps.connections.add(conn), deps.reconnectTickets.issue(conn)]).then(([, ticket]) => {
    conn.sendFrame({
      type: 'ready',
      user: { id: conn.user.id, name: conn.user.name },
      connectionId: conn.id,
      editWindowMs: deps.config.editWindowMinutes * 60_000,
      expiresAt: new Date(conn.expiresAt).toISOString(),
      ...(ticket === undefined ? {} : { ticket })
    })
    // The user's rooms follow `ready` when they are read; frames do not wait for them. Their
    // counts then follow live while the socket is open (inbox/live.ts).
    deps.membership.list(conn.user.id).then(async (list) => await deps.inbox.list(conn.user.id, list)).then(
      ({ rooms, totals }) => {
        if (ws.readyState !== WebSocket.OPEN) return
        conn.sendFrame({ type: 'rooms', rooms, totals })
        deps.inbox.live.open(conn, new Map(rooms.map((entry) => [entry.room.id, entry.inbox ?? emptyInbox()])))
      },
      (err: unknown) => { deps.log.warn(about({ err }), 'room list not sent') })
  })
  conn.ready.catch((err: unknown) => {
    deps.log.error(about({ err }), 'cannot register the connection')
    conn.close(CloseCode.internal, 'internal error')
  }).finally(() => {
    // The upgrade corked the socket: the 101 and `ready` (or the close) go out together.
    if (socket === null) return
    deps.outbox.flushConnection(conn)
    releaseUpgrade(socket)
  })
  return conn
}
