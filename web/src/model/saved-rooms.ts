import { isRoomName } from '@webchat/shared'

/** The rooms a user keeps in the sidebar, remembered per user in this browser. */
export interface RoomsStorage {
  load (userId: string): string[]
  save (userId: string, rooms: readonly string[]): void
}

const key = (userId: string): string => `webchat:rooms:${userId}`

export const DEFAULT_ROOMS = ['general']

export function createRoomsStorage (storage: Pick<Storage, 'getItem' | 'setItem'> | undefined): RoomsStorage {
  return {
    load (userId) {
      try {
        const value: unknown = JSON.parse(storage?.getItem(key(userId)) ?? 'null')
        if (Array.isArray(value)) {
          const rooms = [...new Set(value.filter(isRoomName))]
          if (rooms.length > 0) return rooms
        }
      } catch { /* unreadable: start over */ }
      return [...DEFAULT_ROOMS]
    },
    save (userId, rooms) {
      try { storage?.setItem(key(userId), JSON.stringify(rooms)) } catch { /* full or disabled */ }
    }
  }
}

/** Turns what someone typed ("Team Chat", "#dev") into a room name, or null. */
export function toRoomName (input: string): string | null {
  const name = input.trim().replace(/^#/, '').toLowerCase().replace(/\s+/g, '-')
  return isRoomName(name) ? name : null
}
