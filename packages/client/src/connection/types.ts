/** The public face of a connection: its state, events, options and methods (exported by the package). */
import type { ChatMessage, InboxEntry, InboxTotals, Member, Role, Room, RoomListEntry, RosterEntry, ServerFrameOf } from '@webchat/shared'
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
  /**
   * The connection no longer receives a room: the answer to `leave()`, or (with a `reason`) the
   * membership ended (removed, banned, left on any device, archived) and the room is not rejoined.
   */
  left: ServerFrameOf<'left'>
  /** A new message, each id at most once per room. */
  message: ServerFrameOf<'message'>
  /**
   * A change to a message (edit, delete, reaction), each id at most once per room: live, and after
   * a resume those of `joined.changes`, in order, right after that `joined` (whose messages hold
   * their current state already). Each carries the message's resulting state: apply it to the
   * message `target` if it is held.
   */
  change: ServerFrameOf<'change'>
  /**
   * Where the user now stands in a room of their list (counts, read marker, last message): from the
   * server's `rooms`, `room` and `inbox` frames, and counted here from the messages of rooms this
   * connection has joined (the server sends no `inbox` for those). `inbox` undefined: the room left
   * the list.
   */
  inbox: { room: string, inbox: InboxEntry | undefined }
  ack: ServerFrameOf<'ack'>
  /** Who came or went: one change, or several that happened together (`presenceChanges(frame)` lists them in order). */
  presence: ServerFrameOf<'presence'>
  typing: ServerFrameOf<'typing'>
  read: ServerFrameOf<'read'>
  history: ServerFrameOf<'history'>
  event: ServerFrameOf<'event'>
  refreshed: ServerFrameOf<'refreshed'>
  /** The user's private and direct rooms: after every `ready`, and as the answer to `listRooms()` (with its `ref`). */
  rooms: ServerFrameOf<'rooms'>
  /** A room added to the user's list, or their role or mute in it changed, on any device. */
  room: ServerFrameOf<'room'>
  /** A room gone from the user's list (left, removed, banned): it is not rejoined. */
  room_removed: ServerFrameOf<'room_removed'>
  /** A room's title, topic or archived state changed (to everyone in the room). */
  room_updated: ServerFrameOf<'room_updated'>
  /** A roster change in a room the connection is in: added, removed, banned, role, muted, … */
  member: ServerFrameOf<'member'>
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
  /**
   * Reconnect with the ticket the server gave the last socket (default true): no call to
   * `getToken`, and no signature to check on the server. Refused (used, expired, logged out), it
   * falls back to a fresh token at once.
   */
  reconnectTickets?: boolean
  /** A sent message without an ack by then means a dead socket: it is dropped and retried (default 15 s). */
  ackTimeoutMs?: number
  /**
   * How long `history()` waits for its page, and a request about rooms and members for its answer,
   * counted from the call (a request made while disconnected waits for the socket meanwhile); default 15 s.
   */
  requestTimeoutMs?: number
  timers?: Timers
  /** Network status; default the browser's, none in Node. `null` turns it off. */
  network?: NetworkStatus | null
}

export interface ChangeOptions {
  /** Reuse an id (e.g. one the UI shows as pending); default `crypto.randomUUID()`. */
  clientMsgId?: string
}

export interface SendOptions extends ChangeOptions {
  /** A message of the same room this one answers (`not_found` otherwise). */
  replyTo?: string
  /** Ids of members of the room the message mentions (others: `bad_request`); at most LIMITS.mentionsPerMessage. */
  mentions?: string[]
  /** `@room`: mentions everyone (owners and moderators only by default: `forbidden` otherwise). */
  mentionsRoom?: boolean
}

export interface ReactOptions extends ChangeOptions {
  /** Takes the user's own reaction away instead of adding it. */
  remove?: boolean
}

/**
 * Changes to messages. Like sends they are queued while offline, paced, resent across reconnects
 * with the same `clientMsgId` (the server applies each once) and resolve with the id the change
 * got in the room's log. Refusals reject with a `WebchatError`: `forbidden` (someone else's
 * message; a deletion by a member who is neither its author nor a moderator), `edit_window_passed`
 * (after `ready.editWindowMs`), `not_found` (no such message in that room, or deleted),
 * `invalid_reaction` (not one emoji; checked here first), `too_many_reactions` (past
 * LIMITS.reactionsPerMessage emoji on the message or LIMITS.reactionsPerUser of the user's).
 */
export interface MessageChanges {
  /** Replaces the text of the user's own message. */
  edit (room: string, id: string, text: string, options?: ChangeOptions): Promise<string>
  /** Deletes a message (own, or anyone's for moderators and owners): its text is gone for good. */
  delete (room: string, id: string, options?: ChangeOptions): Promise<string>
  /** Adds an emoji reaction, or with `remove` takes the user's own away. */
  react (room: string, id: string, emoji: string, options?: ReactOptions): Promise<string>
}

/** The other person of `direct` and `invite`: a user id, or an invitation ticket for an address. */
export type Invitee = string | { ticket: string }

/**
 * Requests about rooms and members. Each is sent once (never again after a drop: one in flight then
 * fails with a passing `unavailable`, as it may or may not have been done); one made while
 * disconnected waits for the socket. A refusal is a `WebchatError` with the server's code
 * (`forbidden`, `not_found`, `banned`, `room_full`, …).
 */
export interface RoomRequests {
  /** Makes a private room; the caller is its owner. */
  createRoom (details: { title: string, topic?: string }): Promise<Room>
  /**
   * The direct room of the caller and another person (the same whoever starts it): their user id,
   * or `{ ticket }` from `AuthClient.invitation(email)` for someone known by address.
   */
  direct (user: Invitee): Promise<Room>
  /** Adds someone to a room: their user id, or `{ ticket }` as for `direct`. */
  invite (room: string, user: Invitee): Promise<void>
  /** Ends a member's membership: their sockets get `left {reason: 'removed'}`. */
  remove (room: string, userId: string): Promise<void>
  /** Removes a member and keeps them out until `unban`. */
  ban (room: string, userId: string): Promise<void>
  unban (room: string, userId: string): Promise<void>
  /** `owner` hands the room over (the old owner becomes a moderator). */
  setRole (room: string, userId: string, role: Role): Promise<void>
  /** A muted member reads but cannot send (`muted`), for `minutes` or until `unmute`. */
  mute (room: string, userId: string, minutes?: number): Promise<void>
  unmute (room: string, userId: string): Promise<void>
  updateRoom (room: string, changes: { title?: string, topic?: string }): Promise<void>
  /** Ends the caller's own membership (`leave()` only stops this connection receiving the room). */
  leaveRoom (room: string): Promise<void>
  /** The caller's private and direct rooms. */
  listRooms (): Promise<RoomListEntry[]>
  listMembers (room: string): Promise<RosterEntry[]>
}

export interface Connection extends RoomRequests, MessageChanges {
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
  /** Where the user stands in each room of their list (see the `inbox` event), and the sums. */
  inbox (): ReadonlyMap<string, InboxEntry>
  totals (): InboxTotals
  /** Messages not yet acknowledged, oldest first. */
  pending (room?: string): Array<{ room: string, text: string, clientMsgId: string }>
  /** Skips the wait of a pending reconnect. */
  reconnect (): void
  /** Fetches a token now and hands it to the server in-band (after a rename, so the new name shows). */
  refreshToken (): void
  /** Closes for good. */
  close (): void
}
