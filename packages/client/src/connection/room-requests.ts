import type { Room } from '@webchat/shared'
import { fail } from './refusal.js'
import type { Requests } from './requests.js'
import type { Invitee, RoomRequests } from './types.js'

/** How a frame names the other person: `user` (an id) or `ticket`. */
const named = (who: Invitee): { user: string } | { ticket: string } => typeof who === 'string' ? { user: who } : { ticket: who.ticket }

/** The connection's methods about rooms and members, each one request and its answer. */
export function createRoomRequests (ask: Requests['ask']): RoomRequests {
  const made = (answer: { ref: string, room?: Room | undefined }): Room => {
    if (answer.room === undefined) throw fail('bad_response', 'the answer names no room', answer.ref)
    return answer.room
  }
  return {
    createRoom: async ({ title, topic }) => made(await ask('create', topic === undefined ? { title } : { title, topic })),
    direct: async (user) => made(await ask('direct', named(user))),
    async invite (room, user) { await ask('invite', { room, ...named(user) }) },
    async remove (room, user) { await ask('remove', { room, user }) },
    async ban (room, user) { await ask('ban', { room, user }) },
    async unban (room, user) { await ask('unban', { room, user }) },
    async setRole (room, user, role) { await ask('set_role', { room, user, role }) },
    async mute (room, user, minutes) { await ask('mute', minutes === undefined ? { room, user } : { room, user, minutes }) },
    async unmute (room, user) { await ask('unmute', { room, user }) },
    async updateRoom (room, { title, topic }) {
      await ask('update_room', { room, ...(title === undefined ? {} : { title }), ...(topic === undefined ? {} : { topic }) })
    },
    async leaveRoom (room) { await ask('leave_room', { room }) },
    listRooms: async () => (await ask('list_rooms', {})).rooms,
    listMembers: async (room) => (await ask('list_members', { room })).members
  }
}
