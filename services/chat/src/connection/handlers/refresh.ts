import type { ClientFrameOf } from '@webchat/shared'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

/** A new token of the same user and session extends the connection's life, and its ticket's. */
export async function refresh (deps: ChatDeps, conn: Connection, { token }: ClientFrameOf<'refresh'>): Promise<void> {
  const claims = await deps.tokens.verify(token)
  if (claims.sub !== conn.user.id || claims.sid !== conn.sid) {
    conn.error('session_mismatch', 'the new token belongs to another user or session')
    conn.strike()
    return
  }
  await deps.tokens.consume(claims)
  conn.expiresAt = claims.exp * 1000
  conn.onTicket = false
  conn.user = { id: claims.sub, name: claims.name }
  const ticket = await deps.reconnectTickets.issue(conn)
  conn.sendFrame({ type: 'refreshed', expiresAt: new Date(conn.expiresAt).toISOString(), ...(ticket === undefined ? {} : { ticket }) })
}
