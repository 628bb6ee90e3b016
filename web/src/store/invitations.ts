import type { Room } from '@webchat/shared'
import type { AuthClient, Connection } from '@webchat/client'

/**
 * Inviting someone by email address, and starting a direct conversation with them: the auth
 * service turns the address into a short-lived ticket (the same answer whether or not the address
 * has an account), and the chat request carries the ticket instead of a user id.
 */
export interface Invitations {
  invite (room: string, email: string): Promise<void>
  /** The direct room with that person (the same whoever starts it). */
  direct (email: string): Promise<Room>
}

export function createInvitations (auth: Pick<AuthClient, 'invitation'>, conn: Pick<Connection, 'invite' | 'direct'>): Invitations {
  return {
    async invite (room, email) {
      const { ticket } = await auth.invitation(email)
      await conn.invite(room, { ticket })
    },
    async direct (email) {
      const { ticket } = await auth.invitation(email)
      return await conn.direct({ ticket })
    }
  }
}
