import {
  CloseCode, createTokenBucket, isRoomName, LIMITS, reconnectPolicy, SUBPROTOCOL,
  type ChatMessage, type ClientFrame, type Member, type ServerFrame, type ServerFrameOf
} from '@webchat/shared'
import { backoffDelay, type BackoffOptions } from './backoff.js'
import { decodePayload } from './decode.js'
import { createEmitter, type Listener } from './emitter.js'
import { WebchatError, type ClientErrorCode } from './errors.js'
import { compareIds, newerId } from './ids.js'
import { createOutbox, type OutboxEntry } from './outbox.js'
import { createRoomTrack, type RoomTrack } from './room-track.js'
import { OPEN, type SocketConstructor, type SocketLike } from './socket.js'
import { browserNetwork, realTimers, type NetworkStatus, type Timers } from './timers.js'
import { readToken, refreshDelay, type TokenSource } from './token.js'

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

interface HistoryWaiter {
  resolve: (page: { messages: ChatMessage[], more: boolean }) => void
  reject: (err: WebchatError) => void
  timer: unknown
}

interface JoinWaiter { resolve: (frame: ServerFrameOf<'joined'>) => void, reject: (err: WebchatError) => void }

const fail = (code: ClientErrorCode | ServerFrameOf<'error'>['code'], message: string, ref?: string): WebchatError =>
  new WebchatError(code, message, ref === undefined ? {} : { ref })

const utf8 = new TextEncoder()
/** How often a send refused with `rate_limited` or `unavailable` is tried again (1, 2, … 5 s apart) before it fails. */
const SEND_RETRIES = 5
/**
 * Sends are paced at the server's rate (LIMITS.sendsPerSecond) with a smaller burst than its
 * LIMITS.sendBurst, so that transit jitter bunching a few sends together never tips the server's
 * count into `rate_limited`.
 */
const PACE_BURST = LIMITS.sendBurst - 5
/** Refusals that pass: the same frame later may succeed. */
const passing = (code: string): boolean => code === 'rate_limited' || code === 'unavailable'
/** Typing signals a little slower than the server's limit, so that transit jitter never gets one dropped. */
const TYPING_EVERY_MS = LIMITS.typingIntervalMs + 250

/**
 * A chat connection that stays connected: a fresh token for every connect, jittered exponential
 * backoff after a drop (at once after 1012/4003, never after 4001), rooms rejoined with
 * `since`/`epoch`, messages deduplicated by id, tokens refreshed in-band, sends queued while offline
 * and retried with the same `clientMsgId`.
 */
export function createConnection (options: ConnectionOptions): Connection {
  const found = options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket
  if (found === undefined) throw new TypeError('no WebSocket class: pass options.WebSocket (in Node, the `ws` package)')
  const Ctor: SocketConstructor = found
  const timers = options.timers ?? realTimers
  const network = options.network === undefined ? browserNetwork() : options.network ?? undefined
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000
  const ackTimeoutMs = options.ackTimeoutMs ?? 15_000
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000
  const emitter = createEmitter<ConnectionEvents>()
  const rooms = new Map<string, RoomTrack>()
  const outbox = createOutbox()
  const joinWaiters = new Map<string, JoinWaiter[]>()
  const historyWaiters = new Map<string, HistoryWaiter[]>()

  let state: ConnectionState = { state: 'connecting', attempt: 0 }
  let user: Member | undefined
  let socket: SocketLike | undefined
  let generation = 0
  let attempt = 0
  let immediateRetries = 0
  let tokenLifetimeMs: number | undefined
  let refreshingLifetimeMs: number | undefined
  let reconnectTimer: unknown
  let readyTimer: unknown
  let refreshTimer: unknown
  let ackTimer: unknown
  let pumpTimer: unknown
  const pace = createTokenBucket(LIMITS.sendsPerSecond, PACE_BURST, () => timers.now())
  /** While the server refuses sends: the one refused send tried again; the other refused ones wait for its answer. */
  let probe: string | undefined

  for (const room of options.rooms ?? []) if (isRoomName(room)) rooms.set(room, createRoomTrack(room))

  const clear = (handle: unknown): undefined => {
    if (handle !== undefined) timers.clearTimeout(handle)
    return undefined
  }
  const setState = (next: ConnectionState): void => {
    state = next
    emitter.emit('state', next)
  }
  /** A function, so that TypeScript does not narrow `state` across awaits. */
  const ended = (): boolean => state.state === 'ended'
  const isOpen = (): boolean => state.state === 'open' && socket !== undefined && socket.readyState === OPEN
  const transmit = (frame: ClientFrame): boolean => {
    if (!isOpen()) return false
    socket!.send(JSON.stringify(frame))
    return true
  }

  // ---- connecting and reconnecting ------------------------------------------------------------

  async function connect (): Promise<void> {
    if (ended()) return
    reconnectTimer = clear(reconnectTimer)
    const gen = ++generation
    setState({ state: 'connecting', attempt })
    let token
    let url
    try {
      token = readToken(await options.getToken(), timers.now())
      url = typeof options.url === 'string' ? options.url : await options.url()
    } catch (err) {
      if (gen !== generation || ended()) return
      if (err instanceof WebchatError && err.code === 'unauthorized') end('unauthorized')
      else scheduleReconnect(1006)
      return
    }
    if (gen !== generation || ended()) return
    let ws: SocketLike
    try {
      ws = new Ctor(url, [SUBPROTOCOL, token.token])
    } catch {
      scheduleReconnect(1006)
      return
    }
    socket = ws
    tokenLifetimeMs = token.lifetimeMs
    readyTimer = timers.setTimeout(() => { if (socket === ws) drop(1006) }, readyTimeoutMs)
    ws.onmessage = (event: { data: unknown }) => {
      if (socket !== ws) return
      const { frames, dropped } = decodePayload(event.data)
      if (dropped > 0) emitter.emit('invalid', { count: dropped })
      for (const frame of frames) {
        if (socket !== ws) return
        handle(frame)
      }
    }
    ws.onclose = (event: { code: number }) => { if (socket === ws) drop(event.code) }
    ws.onerror = () => {}
  }

  /** The socket is gone (closed by the server, by the network, or abandoned by us). */
  function drop (code: number): void {
    const ws = socket
    socket = undefined
    if (ws !== undefined) {
      ws.onmessage = ws.onclose = ws.onerror = null
      try { ws.close(CloseCode.normal) } catch { /* already closing */ }
    }
    readyTimer = clear(readyTimer)
    refreshTimer = clear(refreshTimer)
    ackTimer = clear(ackTimer)
    pumpTimer = clear(pumpTimer)
    for (const track of rooms.values()) {
      track.joined = false
      track.joining = false
      track.typingTimer = clear(track.typingTimer)
      track.rejoinTimer = clear(track.rejoinTimer)
    }
    rejectHistory(undefined, fail('disconnected', 'the connection dropped'))
    outbox.unsend()
    if (state.state === 'ended') return
    const policy = reconnectPolicy(code)
    if (policy === 'never') end('session_ended')
    else if (policy === 'now' && immediateRetries === 0) {
      immediateRetries++
      void connect()
    } else scheduleReconnect(code)
  }

  function scheduleReconnect (code: number): void {
    if (network !== undefined && !network.online()) {
      setState({ state: 'offline' })
      return
    }
    const inMs = backoffDelay(attempt, options.backoff)
    attempt++
    setState({ state: 'reconnecting', inMs, at: timers.now() + inMs, attempt, code })
    reconnectTimer = timers.setTimeout(() => { reconnectTimer = undefined; void connect() }, inMs)
  }

  function end (reason: EndReason): void {
    if (state.state === 'ended') return
    state = { state: 'ended', reason }
    const err = endedError()
    outbox.rejectAll(() => true, err)
    for (const waiters of joinWaiters.values()) for (const w of waiters) w.reject(err)
    joinWaiters.clear()
    rejectHistory(undefined, err)
    if (socket !== undefined) drop(CloseCode.normal)
    reconnectTimer = clear(reconnectTimer)
    unsubscribeNetwork?.()
    setState(state)
  }

  const unsubscribeNetwork = network?.subscribe((online) => {
    if (online && (state.state === 'offline' || state.state === 'reconnecting')) void connect()
    else if (!online && socket !== undefined) drop(1006)
  })

  // ---- incoming frames ------------------------------------------------------------------------

  function handle (frame: ServerFrame): void {
    switch (frame.type) {
      case 'ready': return onReady(frame)
      case 'joined': return onJoined(frame)
      case 'message': return onMessage(frame)
      case 'ack':
        settle(frame.clientMsgId, frame.id)
        // A send got through: the server takes sends again.
        release()
        return emitter.emit('ack', frame)
      case 'history': {
        const waiter = historyWaiters.get(frame.room)?.shift()
        if (waiter !== undefined) {
          timers.clearTimeout(waiter.timer)
          waiter.resolve({ messages: frame.messages, more: frame.more })
        }
        return emitter.emit('history', frame)
      }
      case 'refreshed':
        tokenLifetimeMs = refreshingLifetimeMs ?? Math.max(0, Date.parse(frame.expiresAt) - timers.now())
        refreshingLifetimeMs = undefined
        scheduleRefresh()
        return emitter.emit('refreshed', frame)
      case 'error': return onError(frame)
      case 'left': return emitter.emit('left', frame)
      case 'presence': return emitter.emit('presence', frame)
      case 'typing': return emitter.emit('typing', frame)
      case 'read': return emitter.emit('read', frame)
      case 'event': return emitter.emit('event', frame)
    }
  }

  function onReady (frame: ServerFrameOf<'ready'>): void {
    readyTimer = clear(readyTimer)
    user = frame.user
    attempt = 0
    immediateRetries = 0
    setState({ state: 'open', user: frame.user })
    emitter.emit('ready', frame)
    scheduleRefresh()
    // A new socket, perhaps on a healthy instance: held sends go again once their rooms are joined.
    release()
    for (const track of rooms.values()) sendJoin(track)
  }

  function sendJoin (track: RoomTrack): void {
    if (transmit(track.joinFrame())) track.joining = true
  }

  function onJoined (frame: ServerFrameOf<'joined'>): void {
    const track = rooms.get(frame.room)
    if (track === undefined) return
    if (!frame.recovered || (track.epoch !== undefined && track.epoch !== frame.epoch)) track.reset()
    track.epoch = frame.epoch
    track.joining = false
    track.refusals = 0
    const fresh = frame.messages.filter((m) => track.admit(m.id))
    for (const m of frame.messages) settleOwn(m)
    track.joined = true
    track.sentRead = frame.lastRead ?? undefined
    const joined = { ...frame, messages: fresh }
    track.lastJoined = joined
    const waiters = joinWaiters.get(frame.room) ?? []
    joinWaiters.delete(frame.room)
    for (const w of waiters) w.resolve(joined)
    emitter.emit('joined', joined)
    if (rooms.get(frame.room) !== track || !track.joined) return
    pump()
    flushRead(track)
  }

  function onMessage (frame: ServerFrameOf<'message'>): void {
    const track = rooms.get(frame.room)
    if (track === undefined || !track.admit(frame.id)) return
    settleOwn(frame)
    emitter.emit('message', frame)
  }

  function onError (frame: ServerFrameOf<'error'>): void {
    const ref = frame.ref
    const entry = ref === undefined ? undefined : outbox.get(ref)
    const joining = ref === undefined ? undefined : rooms.get(ref)
    if (entry !== undefined) {
      if (passing(frame.code)) refused(entry, frame)
      else {
        outbox.reject(entry.clientMsgId, fail(frame.code, frame.message, ref))
        pump()
      }
    } else if (joining?.joining === true && !joining.joined) {
      // While a join is unanswered no other frame about that room goes out: this refuses the join.
      joining.joining = false
      if (passing(frame.code)) {
        // Storage down or too fast: the same join again later (1, 2, 4 … 16 s), waiters still waiting.
        const inMs = backoffDelay(joining.refusals++, options.backoff)
        joining.rejoinTimer = timers.setTimeout(() => {
          joining.rejoinTimer = undefined
          if (rooms.get(joining.room) === joining && !joining.joined) sendJoin(joining)
        }, inMs)
      } else {
        forget(joining, fail(frame.code, frame.message, ref))
      }
    } else if (ref !== undefined && (historyWaiters.get(ref)?.length ?? 0) > 0) {
      const waiter = historyWaiters.get(ref)!.shift()!
      timers.clearTimeout(waiter.timer)
      waiter.reject(fail(frame.code, frame.message, ref))
    } else if (frame.code === 'invalid_token' && refreshingLifetimeMs !== undefined) {
      refreshingLifetimeMs = undefined
      refreshTimer = clear(refreshTimer)
      refreshTimer = timers.setTimeout(() => { void refresh() }, 5000)
    }
    emitter.emit('error', frame)
  }

  // ---- sending --------------------------------------------------------------------------------

  /** Resolves a pending send; whether it was pending. */
  function settle (clientMsgId: string, id: string): boolean {
    const pending = outbox.get(clientMsgId) !== undefined
    outbox.resolve(clientMsgId, id)
    armAckTimer()
    return pending
  }

  function settleOwn (m: { clientMsgId?: string | undefined, user: Member, id: string }): void {
    if (m.clientMsgId !== undefined && user !== undefined && m.user.id === user.id && settle(m.clientMsgId, m.id)) release()
  }

  /** Sends are taken again: everything held goes now, in order, as new sends. */
  function release (): void {
    if (probe === undefined) return
    probe = undefined
    for (const held of outbox.entries()) {
      held.retries = 0
      held.retryAt = 0
    }
    pump()
  }

  /**
   * While sends are in flight, a socket that answers none of them for `ackTimeoutMs` is dead: the
   * timer restarts with every answer and stops when nothing is in flight.
   */
  function armAckTimer (): void {
    ackTimer = clear(ackTimer)
    if (outbox.inFlight() === 0) return
    const ws = socket
    ackTimer = timers.setTimeout(() => {
      ackTimer = undefined
      if (socket === ws && outbox.inFlight() > 0) drop(1006)
    }, ackTimeoutMs)
  }

  /**
   * A passing refusal (`rate_limited`, `unavailable`): the send is tried again with the same
   * clientMsgId. While the server refuses, only the oldest refused send (the probe) is tried again,
   * 1, 2, … 5 s apart, and the others refused wait for its answer, so an outage costs one retry at a
   * time rather than one per message, and never adds up past the send limit. New sends still go out
   * (each gets its answer). An ack ends the wait; a probe refused a sixth time fails, and every send
   * held behind it fails with it.
   */
  function refused (entry: OutboxEntry, frame: ServerFrameOf<'error'>): void {
    entry.sent = false
    entry.retries++
    armAckTimer()
    probe ??= entry.clientMsgId
    if (entry.clientMsgId === probe && entry.retries > SEND_RETRIES) {
      probe = undefined
      for (const held of outbox.entries()) {
        if (held.retries > 0 && !held.sent) outbox.reject(held.clientMsgId, fail(frame.code, frame.message, held.clientMsgId))
      }
    } else if (entry.clientMsgId === probe) {
      entry.retryAt = timers.now() + 1000 * entry.retries
    }
    pump()
  }

  /** Writes the sends that may go now, oldest first and paced, and wakes itself for the rest. */
  function pump (): void {
    pumpTimer = clear(pumpTimer)
    if (!isOpen()) return
    const joined = (e: OutboxEntry): boolean => rooms.get(e.room)?.joined === true
    const current = probe === undefined ? undefined : outbox.get(probe)
    if (probe !== undefined && (current === undefined || (!current.sent && !joined(current)))) {
      // The probe is gone (failed, or left with its room) or cannot go (its room is not joined):
      // the next refused send that can go takes its place.
      probe = outbox.entries().find((e) => e.retries > 0 && !e.sent && joined(e))?.clientMsgId
    }
    const now = timers.now()
    let wakeIn = Infinity
    for (const entry of outbox.entries()) {
      if (entry.sent || !joined(entry)) continue
      if (entry.retries > 0 && probe !== undefined && entry.clientMsgId !== probe) continue
      if (entry.retryAt > now) {
        wakeIn = Math.min(wakeIn, entry.retryAt - now)
        continue
      }
      const wait = pace.waitMs()
      if (wait > 0) {
        wakeIn = Math.min(wakeIn, wait)
        break
      }
      pace.take()
      sendEntry(entry)
    }
    if (wakeIn !== Infinity) pumpTimer = timers.setTimeout(() => { pumpTimer = undefined; pump() }, wakeIn)
  }

  function sendEntry (entry: OutboxEntry): void {
    if (!transmit({ type: 'send', room: entry.room, text: entry.text, clientMsgId: entry.clientMsgId })) return
    entry.sent = true
    if (ackTimer === undefined) armAckTimer()
  }

  function flushRead (track: RoomTrack): void {
    const id = track.wantRead
    if (id === undefined || !track.joined) return
    if (track.sentRead !== undefined && compareIds(id, track.sentRead) <= 0) return
    if (transmit({ type: 'read', room: track.room, id })) track.sentRead = id
  }

  /** Stops tracking a room (left, or its join refused for good): what waits on it fails with `err`. */
  function forget (track: RoomTrack, err: WebchatError): void {
    const { room } = track
    track.typingTimer = clear(track.typingTimer)
    track.rejoinTimer = clear(track.rejoinTimer)
    rooms.delete(room)
    for (const w of joinWaiters.get(room) ?? []) w.reject(err)
    joinWaiters.delete(room)
    outbox.rejectAll((e) => e.room === room, err)
    rejectHistory(room, err)
    // A probe of this room may be gone: sends of other rooms held behind it go on.
    pump()
  }

  function rejectHistory (room: string | undefined, err: WebchatError): void {
    for (const [name, waiters] of historyWaiters) {
      if (room !== undefined && name !== room) continue
      for (const w of waiters) {
        timers.clearTimeout(w.timer)
        w.reject(err)
      }
      historyWaiters.delete(name)
    }
  }

  // ---- token refresh --------------------------------------------------------------------------

  function scheduleRefresh (): void {
    refreshTimer = clear(refreshTimer)
    if (tokenLifetimeMs === undefined) return
    refreshTimer = timers.setTimeout(() => { void refresh() }, refreshDelay(tokenLifetimeMs, options.refreshLeadMs))
  }

  async function refresh (): Promise<void> {
    refreshTimer = undefined
    const ws = socket
    if (ws === undefined || !isOpen()) return
    let token
    try {
      token = readToken(await options.getToken(), timers.now())
    } catch (err) {
      if (err instanceof WebchatError && err.code === 'unauthorized') end('unauthorized')
      else if (socket === ws) refreshTimer = timers.setTimeout(() => { void refresh() }, 5000)
      return
    }
    if (socket !== ws) return
    refreshingLifetimeMs = token.lifetimeMs
    transmit({ type: 'refresh', token: token.token })
  }

  // ---- the public object ----------------------------------------------------------------------

  function endedError (): WebchatError {
    const reason = state.state === 'ended' ? state.reason : 'closed'
    return fail(reason, reason === 'closed' ? 'the connection was closed' : 'the session ended')
  }

  queueMicrotask(() => { void connect() })

  return {
    get state () { return state },
    get user () { return user },
    on: emitter.on,
    off: emitter.off,
    once: emitter.once,

    join (room) {
      if (state.state === 'ended') return Promise.reject(endedError())
      if (!isRoomName(room)) return Promise.reject(fail('invalid_room', 'room names are 1 to 64 of a-z, 0-9, _ and -', room))
      let track = rooms.get(room)
      if (track?.joined === true && track.lastJoined !== undefined) return Promise.resolve(track.lastJoined)
      if (track === undefined) {
        if (rooms.size >= LIMITS.roomsPerConnection) return Promise.reject(fail('too_many_rooms', `at most ${LIMITS.roomsPerConnection} rooms`, room))
        track = createRoomTrack(room)
        rooms.set(room, track)
        sendJoin(track)
      }
      return new Promise((resolve, reject) => {
        const waiters = joinWaiters.get(room) ?? []
        waiters.push({ resolve, reject })
        joinWaiters.set(room, waiters)
      })
    },

    leave (room) {
      const track = rooms.get(room)
      if (track === undefined) return
      forget(track, fail('not_joined', `left ${room}`, room))
      transmit({ type: 'leave', room })
    },

    send (room, text, sendOptions = {}) {
      if (state.state === 'ended') return Promise.reject(endedError())
      if (!rooms.has(room)) return Promise.reject(fail('not_joined', `not in ${room}`, room))
      const chars = [...text].length
      if (chars === 0) return Promise.reject(fail('bad_request', 'the message is empty'))
      if (chars > LIMITS.textChars) return Promise.reject(fail('text_too_long', `at most ${LIMITS.textChars} characters`))
      const clientMsgId = sendOptions.clientMsgId ?? crypto.randomUUID()
      const bytes = utf8.encode(JSON.stringify({ type: 'send', room, text, clientMsgId })).byteLength
      if (bytes > LIMITS.frameBytes) return Promise.reject(fail('payload_too_large', 'the message is too large'))
      const track = rooms.get(room)!
      track.typingTimer = clear(track.typingTimer)
      const { promise } = outbox.add(room, text, clientMsgId)
      pump()
      return promise
    },

    typing (room) {
      const track = rooms.get(room)
      if (track?.joined !== true || !isOpen()) return false
      const wait = track.lastTypingAt + TYPING_EVERY_MS - timers.now()
      if (wait > 0) {
        // Keep the last signal of a burst: it goes out when the interval ends (unless a send comes first).
        track.typingTimer ??= timers.setTimeout(() => {
          track.typingTimer = undefined
          if (rooms.get(room) === track && track.joined && transmit({ type: 'typing', room })) track.lastTypingAt = timers.now()
        }, wait)
        return false
      }
      if (!transmit({ type: 'typing', room })) return false
      track.lastTypingAt = timers.now()
      return true
    },

    read (room, id) {
      const track = rooms.get(room)
      if (track === undefined) return
      track.wantRead = newerId(track.wantRead, id)
      flushRead(track)
    },

    history (room, before, limit) {
      if (!isOpen() || rooms.get(room)?.joined !== true) return Promise.reject(fail('not_connected', `not connected to ${room}`, room))
      return new Promise((resolve, reject) => {
        const waiters = historyWaiters.get(room) ?? []
        const waiter: HistoryWaiter = {
          resolve,
          reject,
          timer: timers.setTimeout(() => {
            const list = historyWaiters.get(room)
            const at = list?.indexOf(waiter) ?? -1
            if (at >= 0) list!.splice(at, 1)
            reject(fail('timeout', 'no history page in time', room))
          }, requestTimeoutMs)
        }
        waiters.push(waiter)
        historyWaiters.set(room, waiters)
        transmit({ type: 'history', room, before, ...(limit === undefined ? {} : { limit }) })
      })
    },

    rooms: () => [...rooms.keys()],
    pending: (room) => outbox.entries(room).map(({ room, text, clientMsgId }) => ({ room, text, clientMsgId })),

    reconnect () {
      if (state.state === 'reconnecting' || state.state === 'offline') void connect()
    },

    refreshToken () {
      if (!isOpen()) return
      refreshTimer = clear(refreshTimer)
      void refresh()
    },

    close () { end('closed') }
  }
}
