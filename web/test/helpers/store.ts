import type { NotificationSettings, User } from '@webchat/shared'
import { WebchatError } from '@webchat/client'
import { createRoomsStorage } from '../../src/model/saved-rooms.js'
import { createChatStore, type ChatStore } from '../../src/store/chat-store.js'
import { fakeConnection, memoryStorage } from './fake-connection.js'

export const ME: User = { id: 'me', name: 'Me', email: 'me@example.com', createdAt: '2030-01-01T00:00:00.000Z' }

/** A chat store on a fake connection, with the rooms it remembers in a memory storage. */
export function storeWith (options: { rooms?: string[], initialRoom?: string, renameFails?: boolean, mailFails?: boolean } = {}) {
  const fake = fakeConnection()
  const storage = memoryStorage(options.rooms === undefined ? {} : { [`webchat:rooms:${ME.id}`]: JSON.stringify(options.rooms) })
  const auth = {
    logouts: 0,
    invitations: [] as string[],
    async invitation (email: string): Promise<{ ticket: string, expiresAt: string }> {
      auth.invitations.push(email)
      return { ticket: `ticket-for-${email}`, expiresAt: '2030-01-01T00:10:00.000Z' }
    },
    async rename (name: string): Promise<User> {
      if (options.renameFails === true) throw new WebchatError('invalid_name', 'no')
      return { ...ME, name }
    },
    mail: { email: 'all' } as NotificationSettings,
    async notifications (): Promise<NotificationSettings> {
      return auth.mail
    },
    async setNotifications (settings: NotificationSettings): Promise<NotificationSettings> {
      if (options.mailFails === true) throw new WebchatError('network', 'offline')
      auth.mail = settings
      return settings
    },
    async logout (): Promise<void> {
      auth.logouts++
      throw new WebchatError('network', 'offline')
    }
  }
  let ids = 0
  const store: ChatStore = createChatStore({
    user: ME,
    auth,
    saved: createRoomsStorage(storage),
    initialRoom: options.initialRoom,
    connect: fake.connect,
    newId: () => `c${++ids}`,
    now: () => 1000
  })
  const saved = (): unknown => JSON.parse(storage.getItem(`webchat:rooms:${ME.id}`) ?? 'null')
  return { store, fake, storage, auth, saved }
}
