import { createConnection, type Connection, type TokenSource } from '@webchat/client'
import type { Stack } from './stack.js'

export interface TokenIssuer { token (): Promise<TokenSource> }

/** A message as one client displayed it (live, or in a `joined` catch-up). */
export interface Shown {
  /** The client that showed it. */
  reader: string
  room: string
  id: string
  epoch: string | undefined
  userId: string
  clientMsgId: string | undefined
  text: string
  at: number
}

export interface FrameError { code: string, ref: string | undefined, at: number }

/** A reconnecting client (@webchat/client) that records what it sees, for the checks of a fault. */
export interface ChatClient {
  readonly name: string
  /** Where its tokens come from (an AuthClient, or anything with `token()`). */
  readonly auth: TokenIssuer
  readonly conn: Connection
  readonly userId: () => string | undefined
  /** Close codes of every socket it had, in order. */
  readonly closes: number[]
  readonly shown: Shown[]
  readonly errors: FrameError[]
  readonly joins: Array<{ room: string, epoch: string, recovered: boolean, count: number, at: number }>
  /** Each `ready`, with the instance it came from. */
  readonly readies: Array<{ at: number, url: string }>
  /** The chat URL of the newest socket. */
  readonly url: () => string
  /** Resolves with the joined frame once the room is joined. */
  join (room: string): Promise<void>
  close (): void
}

export interface ClientOptions {
  name: string
  auth: TokenIssuer
  /** Chat URLs tried in turn, one per connect (a DNS round robin without health checks). */
  urls: string[]
  /** Per-message hook, e.g. for latency. */
  onShown?: (shown: Shown) => void
}

/** Opens a client; resolves once it is `ready`. Closed in teardown by the caller's `clients` list. */
export async function openClient (stack: Stack, options: ClientOptions): Promise<ChatClient> {
  const closes: number[] = []
  const shown: Shown[] = []
  const errors: FrameError[] = []
  const joins: ChatClient['joins'] = []
  const readies: ChatClient['readies'] = []
  const epochs = new Map<string, string>()
  let turn = 0
  let current = options.urls[0]!
  const conn = createConnection({
    url: () => {
      current = options.urls[turn++ % options.urls.length]!
      return current
    },
    getToken: async () => await options.auth.token(),
    WebSocket: stack.socketClass(closes),
    network: null
  })
  const record = (room: string, m: { id: string, user: { id: string }, clientMsgId?: string | undefined, text: string }): void => {
    const entry: Shown = { reader: options.name, room, id: m.id, epoch: epochs.get(room), userId: m.user.id, clientMsgId: m.clientMsgId, text: m.text, at: Date.now() }
    shown.push(entry)
    options.onShown?.(entry)
  }
  conn.on('ready', () => { readies.push({ at: Date.now(), url: current }) })
  conn.on('joined', (frame) => {
    epochs.set(frame.room, frame.epoch)
    joins.push({ room: frame.room, epoch: frame.epoch, recovered: frame.recovered, count: frame.messages.length, at: Date.now() })
    for (const m of frame.messages) record(frame.room, m)
  })
  conn.on('message', (m) => { record(m.room, m) })
  conn.on('error', (frame) => { errors.push({ code: frame.code, ref: frame.ref, at: Date.now() }) })
  const client: ChatClient = {
    name: options.name,
    auth: options.auth,
    conn,
    userId: () => conn.user?.id,
    closes,
    shown,
    errors,
    joins,
    readies,
    url: () => current,
    async join (room) {
      await conn.join(room)
    },
    close () { conn.close() }
  }
  await conn.once('ready')
  return client
}
