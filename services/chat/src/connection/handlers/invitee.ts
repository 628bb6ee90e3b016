import type { ClientFrameOf } from '@webchat/shared'
import { errors } from '../../errors.js'
import type { Invitee } from '../../tickets.js'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

/**
 * The other person of an `invite` or `direct` frame: by user id, or by an invitation ticket the
 * sender was given for an address (its invitee and the name from the address).
 */
export async function inviteeOf (deps: ChatDeps, conn: Connection, { user, ticket }: Pick<ClientFrameOf<'invite'>, 'user' | 'ticket'>): Promise<{ id: string, name?: string } | Invitee> {
  if (user !== undefined && ticket === undefined) return { id: user }
  if (ticket !== undefined && user === undefined) return await deps.tickets.read(ticket, conn.user.id)
  throw new errors.BadRequest('name the person by exactly one of user (their id) or ticket (from POST /auth/invitations)')
}
