import type { ChatMessage } from '@webchat/shared'
import type { ConnectionEvents, Listener, SendOptions } from '@webchat/client'
import type { ChatConnection } from '../../src/store/connection-feed.js'

export interface Deferred<T> { promise: Promise<T>, resolve (value: T): void, reject (err: unknown): void }

export function deferred<T> (): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (err: unknown) => void
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej })
  return { promise, resolve, reject }
}

type Page = { messages: ChatMessage[], more: boolean }

/** A request about rooms and members, as the store made it, answered when the test says. */
export interface RoomRequest { method: string, args: unknown[], reply: Deferred<unknown> }

const ROOM_METHODS = ['createRoom', 'direct', 'invite', 'remove', 'ban', 'unban', 'setRole', 'mute', 'unmute', 'updateRoom', 'leaveRoom', 'listMembers'] as const

/**
 * A chat connection the test drives: it records what the store asked for, answers when the test
 * says, and emits the server's events.
 */
export function fakeConnection () {
  const listeners = new Map<keyof ConnectionEvents, Set<Listener<never>>>()
  const log = {
    rooms: [] as string[],
    joins: [] as Array<{ room: string, reply: Deferred<ConnectionEvents['joined']> }>,
    leaves: [] as string[],
    sends: [] as Array<{ room: string, text: string, clientMsgId: string | undefined, options: SendOptions | undefined, reply: Deferred<string> }>,
    /** Edits, deletions and reactions, as the frames they would be. */
    changes: [] as Array<{ type: 'edit' | 'delete' | 'react', room: string, id: string, text?: string, emoji?: string, remove?: boolean, reply: Deferred<string> }>,
    reads: [] as Array<[string, string]>,
    typing: [] as string[],
    history: [] as Array<{ room: string, before: string, reply: Deferred<Page> }>,
    requests: [] as RoomRequest[],
    reconnects: 0,
    refreshes: 0,
    closed: false
  }
  const roomRequests = Object.fromEntries(ROOM_METHODS.map((method) => [method, async (...args: unknown[]) => {
    const reply = deferred<unknown>()
    log.requests.push({ method, args, reply })
    return await reply.promise
  }])) as unknown as Pick<ChatConnection, typeof ROOM_METHODS[number]>
  const change = async (frame: Omit<typeof log.changes[number], 'reply'>): Promise<string> => {
    const reply = deferred<string>()
    log.changes.push({ ...frame, reply })
    return await reply.promise
  }
  const conn: ChatConnection = {
    ...roomRequests,
    on (event, listener) {
      const set = listeners.get(event) ?? new Set()
      listeners.set(event, set.add(listener as Listener<never>))
      return () => set.delete(listener as Listener<never>)
    },
    async join (room) {
      const reply = deferred<ConnectionEvents['joined']>()
      log.joins.push({ room, reply })
      return await reply.promise
    },
    leave (room) { log.leaves.push(room) },
    async send (room, text, options) {
      const reply = deferred<string>()
      log.sends.push({ room, text, clientMsgId: options?.clientMsgId, options, reply })
      return await reply.promise
    },
    async edit (room, id, text) { return await change({ type: 'edit', room, id, text }) },
    async delete (room, id) { return await change({ type: 'delete', room, id }) },
    async react (room, id, emoji, options) { return await change({ type: 'react', room, id, emoji, ...(options?.remove === true ? { remove: true } : {}) }) },
    typing (room) { log.typing.push(room); return true },
    read (room, id) { log.reads.push([room, id]) },
    async history (room, before) {
      const reply = deferred<Page>()
      log.history.push({ room, before, reply })
      return await reply.promise
    },
    reconnect () { log.reconnects++ },
    refreshToken () { log.refreshes++ },
    close () { log.closed = true }
  }
  return {
    /** Opens it: the store passes the rooms to join. */
    connect (rooms: string[]): ChatConnection {
      log.rooms = rooms
      return conn
    },
    log,
    emit<K extends keyof ConnectionEvents> (event: K, value: ConnectionEvents[K]): void {
      for (const listener of listeners.get(event) ?? []) (listener as Listener<ConnectionEvents[K]>)(value)
    }
  }
}

export const message = (room: string, id: string, user: string, extra: Partial<ChatMessage> = {}): ConnectionEvents['message'] =>
  ({ type: 'message', room, id, user: { id: user, name: user.toUpperCase() }, text: `text ${id}`, ts: 1, ...extra })

export const joined = (room: string, messages: ChatMessage[], extra: Partial<ConnectionEvents['joined']> = {}): ConnectionEvents['joined'] =>
  ({ type: 'joined', room, epoch: 'e1', members: [], messages, recovered: false, lastRead: null, ...extra })

/** A `localStorage` stand-in that counts writes. */
export function memoryStorage (initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial))
  const storage = {
    writes: 0,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => { storage.writes++; items.set(key, value) }
  }
  return storage
}
