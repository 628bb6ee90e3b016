/** The public face of a connection: its state, events, options and methods (exported by the package). */
import type { ChatMessage, Member, ServerFrameOf } from '@webchat/shared'
import type { BackoffOptions } from '../backoff.js'
import type { Listener } from '../emitter.js'
import type { SocketConstructor } from '../socket.js'
import type { NetworkStatus, Timers } from '../timers.js'
import type { TokenSource } from '../token.js'

export type EndReason = 'session_ended' | 'unauthorized' | 'closed'

/** The connection's state, for a banner: what it is doing and, when waiting, for how long. */
export type ConnectionState =
  | { state: 'connecting', attempt: number }
  | { state: 'open', user: Member }
  /** Waiting `inMs` (until `at`, local ms) before attempt `attempt`; `code` closed the last socket. */
  | { state: 'reconnecting', inMs: number, at: number, attempt: number, code: number }
  /** The device has no network; it connects again as soon as it has. */
  | { state: 'offline' }
  /** For good: the session ended (4001), the token was refused (401), or `close()` was called. */
  | { state: 'ended', reason: EndReason }

export interface ConnectionEvents {
  state: ConnectionState
  ready: ServerFrameOf<'ready'>
  /** A room (re)joined. On a rejoin `messages` holds only what was missed; `recovered: false` means start over. */
  joined: ServerFrameOf<'joined'>
  left: ServerFrameOf<'left'>
  /** A new message, each id at most once per room. */
  message: ServerFrameOf<'message'>
  ack: ServerFrameOf<'ack'>
  presence: ServerFrameOf<'presence'>
  typing: ServerFrameOf<'typing'>
  read: ServerFrameOf<'read'>
  history: ServerFrameOf<'history'>
  event: ServerFrameOf<'event'>
  refreshed: ServerFrameOf<'refreshed'>
  error: ServerFrameOf<'error'>
  /** Frames dropped because they broke the contract. */
  invalid: { count: number }
}

export interface ConnectionOptions {
  /** The chat WebSocket URL, or a function giving it (asked before every connect). */
  url: string | (() => string | Promise<string>)
  /** Called before every connect and refresh; throw a `WebchatError` with code `unauthorized` to end. */
  getToken: () => Promise<TokenSource>
  /** The WebSocket class; default `globalThis.WebSocket`. In Node 20 pass the `ws` package's. */
  WebSocket?: SocketConstructor
  /** Rooms to join once connected. */
  rooms?: string[]
  backoff?: BackoffOptions
  /** How long before a token's end to refresh it in-band (default a quarter of its life, at most 60 s). */
  refreshLeadMs?: number
  /** A socket that has not said `ready` by then is dropped and retried (default 10 s). */
  readyTimeoutMs?: number
  /** A sent message without an ack by then means a dead socket: it is dropped and retried (default 15 s). */
  ackTimeoutMs?: number
  /** How long `history()` waits for its page (default 15 s). */
  requestTimeoutMs?: number
  timers?: Timers
  /** Network status; default the browser's, none in Node. `null` turns it off. */
  network?: NetworkStatus | null
}

export interface SendOptions {
  /** Reuse an id (e.g. one the UI shows as pending); default `crypto.randomUUID()`. */
  clientMsgId?: string
}

export interface Connection {
  readonly state: ConnectionState
  /** The signed-in user, once the server said `ready`. */
  readonly user: Member | undefined
  on<K extends keyof ConnectionEvents>(event: K, listener: Listener<ConnectionEvents[K]>): () => void
  off<K extends keyof ConnectionEvents>(event: K, listener: Listener<ConnectionEvents[K]>): void
  once<K extends keyof ConnectionEvents>(event: K): Promise<ConnectionEvents[K]>
  /** Joins a room (now, or as soon as connected) and stays in it across reconnects. */
  join (room: string): Promise<ServerFrameOf<'joined'>>
  leave (room: string): void
  /** Sends a message; resolves with its id. Queued while offline and retried with the same `clientMsgId`. */
  send (room: string, text: string, options?: SendOptions): Promise<string>
  /**
   * Says "typing" in a room, at most about once per `LIMITS.typingIntervalMs`: a call within the
   * interval is held back and sent when it ends (a send cancels it). Returns whether it went out now.
   */
  typing (room: string): boolean
  /** Marks messages up to `id` read; kept and sent after a reconnect if offline. */
  read (room: string, id: string): void
  /** Older messages before `before`. */
  history (room: string, before: string, limit?: number): Promise<{ messages: ChatMessage[], more: boolean }>
  /** Rooms the connection is in or joining. */
  rooms (): string[]
  /** Messages not yet acknowledged, oldest first. */
  pending (room?: string): Array<{ room: string, text: string, clientMsgId: string }>
  /** Skips the wait of a pending reconnect. */
  reconnect (): void
  /** Fetches a token now and hands it to the server in-band (after a rename, so the new name shows). */
  refreshToken (): void
  /** Closes for good. */
  close (): void
}
