import { CloseCode, reconnectPolicy, SUBPROTOCOL, type ClientFrame, type Member, type ServerFrame } from '@webchat/shared'
import { backoffDelay, type BackoffOptions } from '../backoff.js'
import { decodePayload } from '../decode.js'
import type { Emitter } from '../emitter.js'
import { WebchatError } from '../errors.js'
import { OPEN, type SocketConstructor, type SocketLike } from '../socket.js'
import type { NetworkStatus, Timers } from '../timers.js'
import { readToken } from '../token.js'
import { fail } from './refusal.js'
import { createTicketSlot } from './ticket.js'
import { createTimerSlot } from './timer-slot.js'
import type { ConnectionEvents, ConnectionOptions, ConnectionState, EndReason } from './types.js'

/** What the rest of the connection does when the socket changes. */
export interface LinkHooks {
  /** A new socket was offered a token of this lifetime (undefined: unknown). */
  offered (tokenLifetimeMs: number | undefined): void
  /** A valid frame on the current socket. */
  frame (frame: ServerFrame): void
  /** The socket is gone: what belonged to it stops. */
  dropped (): void
  /** The connection ends for good: what waits fails with `err` (before the socket is closed). */
  ending (err: WebchatError): void
}

export interface LinkDeps {
  url: ConnectionOptions['url']
  getToken: ConnectionOptions['getToken']
  WebSocket: SocketConstructor
  timers: Timers
  network: NetworkStatus | undefined
  backoff: BackoffOptions | undefined
  readyTimeoutMs: number
  /** Offer the server's reconnect ticket before fetching a token (default on). */
  reconnectTickets: boolean
  emit: Emitter<ConnectionEvents>['emit']
  hooks: LinkHooks
}

/** The socket's life: connecting, the state, reconnects with backoff, the network, the end. */
export interface Link {
  readonly state: ConnectionState
  /** The signed-in user, once the server said `ready`. */
  readonly user: Member | undefined
  ended (): boolean
  isOpen (): boolean
  /** The current socket, to tell after a wait whether it is still the same one. */
  socket (): SocketLike | undefined
  /** Writes a frame if the socket is open; whether it did. */
  transmit (frame: ClientFrame): boolean
  /** Connects on the next microtask, so that listeners added right after creation see every state. */
  start (): void
  /** The server said `ready`: the socket is open and the backoff starts over. */
  ready (user: Member, ticket: string | undefined): void
  /** A `refreshed` frame's new reconnect ticket. */
  renewTicket (ticket: string | undefined): void
  /** The socket is gone (closed by the server, by the network, or abandoned by us). */
  drop (code: number): void
  end (reason: EndReason): void
  /** Skips the wait of a pending reconnect. */
  reconnect (): void
  /** The error for what is asked after the end. */
  endedError (): WebchatError
}

export function createLink (deps: LinkDeps): Link {
  const { timers, network, hooks } = deps
  let state: ConnectionState = { state: 'connecting', attempt: 0 }
  let user: Member | undefined
  let socket: SocketLike | undefined
  let generation = 0
  let attempt = 0
  let immediateRetries = 0
  const ticket = createTicketSlot(deps.reconnectTickets)
  /** The current socket was offered a ticket and is not ready yet. */
  let onTicket = false
  const reconnectTimer = createTimerSlot(timers)
  const readyTimer = createTimerSlot(timers)

  const setState = (next: ConnectionState): void => {
    state = next
    deps.emit('state', next)
  }
  /** A function, so that TypeScript does not narrow `state` across awaits. */
  const ended = (): boolean => state.state === 'ended'
  const isOpen = (): boolean => state.state === 'open' && socket !== undefined && socket.readyState === OPEN

  async function connect (): Promise<void> {
    if (ended()) return
    reconnectTimer.clear()
    const gen = ++generation
    setState({ state: 'connecting', attempt })
    // A ticket stands for a token without asking the token endpoint; the lifetime then comes with `ready`.
    const offeredTicket = ticket.take(timers.now())
    let token
    let url
    try {
      token = offeredTicket !== undefined ? { token: offeredTicket, lifetimeMs: undefined } : readToken(await deps.getToken(), timers.now())
      url = typeof deps.url === 'string' ? deps.url : await deps.url()
    } catch (err) {
      if (gen !== generation || ended()) return
      if (err instanceof WebchatError && err.code === 'unauthorized') end('unauthorized')
      else scheduleReconnect(1006)
      return
    }
    if (gen !== generation || ended()) return
    let ws: SocketLike
    try {
      ws = new deps.WebSocket(url, [SUBPROTOCOL, token.token])
    } catch {
      scheduleReconnect(1006)
      return
    }
    socket = ws
    onTicket = offeredTicket !== undefined
    hooks.offered(token.lifetimeMs)
    readyTimer.set(() => { if (socket === ws) drop(1006) }, deps.readyTimeoutMs)
    ws.onmessage = (event: { data: unknown }) => {
      if (socket !== ws) return
      const { frames, dropped } = decodePayload(event.data)
      if (dropped > 0) deps.emit('invalid', { count: dropped })
      for (const frame of frames) {
        if (socket !== ws) return
        hooks.frame(frame)
      }
    }
    ws.onclose = (event: { code: number }) => { if (socket === ws) drop(event.code) }
    ws.onerror = () => {}
  }

  function drop (code: number): void {
    const ws = socket
    socket = undefined
    if (ws !== undefined) {
      ws.onmessage = ws.onclose = ws.onerror = null
      try { ws.close(CloseCode.normal) } catch { /* already closing */ }
    }
    readyTimer.clear()
    hooks.dropped()
    if (state.state === 'ended') return
    ticket.dropped(code, timers.now())
    const policy = reconnectPolicy(code)
    if (policy === 'never') end('session_ended')
    else if (onTicket) {
      // The ticket was refused (used, expired, or its session ended): a token is asked for at once.
      onTicket = false
      void connect()
    }
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
    const inMs = backoffDelay(attempt, deps.backoff)
    attempt++
    setState({ state: 'reconnecting', inMs, at: timers.now() + inMs, attempt, code })
    reconnectTimer.set(() => { void connect() }, inMs)
  }

  function end (reason: EndReason): void {
    if (state.state === 'ended') return
    state = { state: 'ended', reason }
    ticket.clear()
    hooks.ending(endedError())
    if (socket !== undefined) drop(CloseCode.normal)
    reconnectTimer.clear()
    unsubscribeNetwork?.()
    setState(state)
  }

  function endedError (): WebchatError {
    const reason = state.state === 'ended' ? state.reason : 'closed'
    return fail(reason, reason === 'closed' ? 'the connection was closed' : 'the session ended')
  }

  const unsubscribeNetwork = network?.subscribe((online) => {
    if (online && (state.state === 'offline' || state.state === 'reconnecting')) void connect()
    else if (!online && socket !== undefined) drop(1006)
  })

  return {
    get state () { return state },
    get user () { return user },
    ended,
    isOpen,
    socket: () => socket,
    transmit (frame) {
      if (!isOpen()) return false
      socket!.send(JSON.stringify(frame))
      return true
    },
    start () { queueMicrotask(() => { void connect() }) },
    ready (signedIn, given) {
      readyTimer.clear()
      onTicket = false
      ticket.keep(given)
      user = signedIn
      attempt = 0
      immediateRetries = 0
      setState({ state: 'open', user: signedIn })
    },
    renewTicket: (given) => { ticket.keep(given) },
    drop,
    end,
    reconnect () {
      if (state.state === 'reconnecting' || state.state === 'offline') void connect()
    },
    endedError
  }
}
