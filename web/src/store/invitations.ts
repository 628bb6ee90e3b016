import type { Room } from '@webchat/shared'

/**
 * Inviting someone by email address, and starting a direct conversation with them: the auth
 * service turns the address into a short-lived ticket (the same answer whether or not the address
 * has an account), and the chat request carries the ticket instead of a user id. Written against
 * `auth.invitation(email)` and `conn.invite(room, { ticket })` / `conn.direct({ ticket })`.
 */
export interface InvitationAuth {
  invitation (email: string): Promise<{ ticket: string, expiresAt: string }>
}

export interface TicketRequests {
  invite (room: string, by: { ticket: string }): Promise<void>
  direct (by: { ticket: string }): Promise<Room>
}

export interface Invitations {
  invite (room: string, email: string): Promise<void>
  /** The direct room with that person (the same whoever starts it). */
  direct (email: string): Promise<Room>
}

export function createInvitations (auth: InvitationAuth, conn: TicketRequests): Invitations {
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
