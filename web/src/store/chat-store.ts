import { computed, effect, type ReadonlySignal, type Signal } from '@preact/signals'
import type { EmailNotificationChoice, User } from '@webchat/shared'
import type { AuthClient } from '@webchat/client'
import type { RoomsStorage } from '../model/saved-rooms.js'
import { createActiveRoom, type ActiveRoom } from './active-room.js'
import { createChatActions, type ChatActions } from './chat-actions.js'
import { createChatState, type ChatState } from './chat-state.js'
import { feedConnection, type ChatConnection } from './connection-feed.js'
import { createInvitations } from './invitations.js'
import { createMessageActions, type MessageActions } from './message-actions.js'
import { createRoomActions, type RoomActions } from './room-actions.js'
import { feedRooms } from './rooms-feed.js'

export interface ChatStoreOptions {
  user: User
  auth: Pick<AuthClient, 'rename' | 'logout' | 'invitation' | 'notifications' | 'setNotifications'>
  /** The rooms kept for this user in this browser. */
  saved: RoomsStorage
  /** The room the address names: opened first, and kept. */
  initialRoom?: string | undefined
  /** Opens the chat connection, joining these rooms. */
  connect (rooms: string[]): ChatConnection
  newId?: () => string
  now?: () => number
}

/** The state as the views see it: they read it, and change it only through the actions. */
type ReadOnly<T> = { readonly [K in keyof T]: T[K] extends Signal<infer V> ? ReadonlySignal<V> : T[K] }

/** The one store of the chat screen: its state, the open room's parts, and the actions. */
export type ChatStore = ReadOnly<ChatState> & { readonly view: ActiveRoom } & ChatActions & RoomActions & MessageActions & {
  /** Logs out on the server (the session ends here whatever it answers), then closes. */
  logout (): Promise<void>
  /** Which mails I get while away (kept by the auth service). */
  mailChoice (): Promise<EmailNotificationChoice>
  /** Resolves with what went wrong, if anything. */
  saveMailChoice (choice: EmailNotificationChoice): Promise<string | undefined>
  /** Closes the connection and stops remembering rooms. */
  dispose (): void
}

export function createChatStore (options: ChatStoreOptions): ChatStore {
  const { user, saved } = options
  const names = saved.load(user.id)
  const first = options.initialRoom ?? names[0]!
  if (!names.includes(first)) names.push(first)
  const now = options.now ?? Date.now
  const state = createChatState(user, names, first)
  const conn = options.connect(names)
  const joining = new Set<string>()
  const actions = createChatActions(state, conn, { auth: options.auth, newId: options.newId ?? (() => crypto.randomUUID()), now, joining })
  feedConnection(state, conn, actions.readIfSeen, now)
  const rooms = feedRooms(state, conn, { select: actions.select, joining })
  const invitations = createInvitations(options.auth, conn)
  const roomActions = createRoomActions(state, conn, { invitations, select: actions.select, leaveHere: actions.leave })

  // Computed values compare by identity: as one string (room names have no spaces) the list of
  // public rooms changes only when one is added or removed, not with every message, and so is
  // saved. Private and direct rooms are not kept here: the server lists them on every connect.
  const roomList = computed(() => [...state.rooms.value.values()].filter((r) => r.info.kind === 'public').map((r) => r.name).join(' '))
  const stopSaving = effect(() => saved.save(user.id, roomList.value === '' ? [] : roomList.value.split(' ')))
  // The open room's roster, when it has one: asked for when it opens, and again after a rejoin.
  const stopRoster = effect(() => rooms.loadRoster(state.room.value.name))

  let closed = false
  function dispose (): void {
    if (closed) return
    closed = true
    stopSaving()
    stopRoster()
    conn.close()
  }

  return {
    ...state,
    view: createActiveRoom(state),
    ...actions,
    ...roomActions,
    ...createMessageActions(state, conn),
    async mailChoice () {
      return (await options.auth.notifications()).email
    },
    async saveMailChoice (choice) {
      try {
        await options.auth.setNotifications({ email: choice })
        return undefined
      } catch {
        return 'Could not save: try again.'
      }
    },
    async logout () {
      try { await options.auth.logout() } catch { /* the session is ended here either way */ }
      dispose()
    },
    dispose
  }
}
