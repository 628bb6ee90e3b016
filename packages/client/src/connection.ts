import type { ServerFrame, ServerFrameOf } from '@webchat/shared'
import { createEmitter } from './emitter.js'
import { createHistoryWaiters } from './connection/history.js'
import { createInboxTracker } from './connection/inbox.js'
import { createLink } from './connection/link.js'
import { createRefresher } from './connection/refresher.js'
import { fail } from './connection/refusal.js'
import { createRequests } from './connection/requests.js'
import { createRoomRequests } from './connection/room-requests.js'
import { createRooms } from './connection/rooms.js'
import { createSends } from './connection/sends.js'
import { createSignals } from './connection/signals.js'
import type { Connection, ConnectionEvents, ConnectionOptions, MessageChanges } from './connection/types.js'
import type { SocketConstructor } from './socket.js'
import { browserNetwork, realTimers } from './timers.js'

export type {
  ChangeOptions, Connection, ConnectionEvents, ConnectionOptions, ConnectionState, EndReason, Invitee, MessageChanges,
  ReactOptions, RoomRequests, SendOptions
} from './connection/types.js'

/**
 * A chat connection that stays connected: a fresh token for every connect, jittered exponential
 * backoff after a drop (at once after 1012/4003, never after 4001), rooms rejoined with
 * `since`/`epoch`, messages deduplicated by id, tokens refreshed in-band, sends queued while offline
 * and retried with the same `clientMsgId`; requests about rooms and members matched to their answers.
 *
 * Each of those lives in its own part under `connection/`; this wires them together and routes the
 * server's frames to them.
 */
export function createConnection (options: ConnectionOptions): Connection {
  const found = options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket
  if (found === undefined) throw new TypeError('no WebSocket class: pass options.WebSocket (in Node, the `ws` package)')
  const timers = options.timers ?? realTimers
  const emitter = createEmitter<ConnectionEvents>()

  const link = createLink({
    url: options.url,
    getToken: options.getToken,
    WebSocket: found,
    timers,
    network: options.network === undefined ? browserNetwork() : options.network ?? undefined,
    backoff: options.backoff,
    readyTimeoutMs: options.readyTimeoutMs ?? 10_000,
    reconnectTickets: options.reconnectTickets ?? true,
    emit: emitter.emit,
    hooks: {
      offered: (lifetimeMs) => refresher.offered(lifetimeMs),
      frame: (frame) => route(frame),
      dropped () {
        refresher.stop()
        sends.stop()
        rooms.reset()
        history.rejectAll(undefined, fail('disconnected', 'the connection dropped'))
        requests.dropped()
      },
      ending (err) {
        sends.reject(undefined, err)
        rooms.rejectJoins(err)
        history.rejectAll(undefined, err)
        requests.rejectAll(err)
      }
    }
  })
  const refresher = createRefresher({ timers, getToken: options.getToken, refreshLeadMs: options.refreshLeadMs, link })
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000
  const history = createHistoryWaiters(timers, requestTimeoutMs)
  const requests = createRequests({ timers, timeoutMs: requestTimeoutMs, link })
  const rooms = createRooms({
    timers,
    backoff: options.backoff,
    initial: options.rooms,
    transmit: link.transmit,
    hooks: {
      stored: (message) => sends.settleOwn(message),
      joined (frame) {
        for (const m of frame.messages) inbox.message(m)
        emitter.emit('joined', frame)
        for (const c of frame.changes ?? []) changed({ type: 'change', ...c })
      },
      usable (track) {
        sends.pump()
        signals.flushRead(track)
      },
      forgotten (room, err) {
        sends.reject(room, err)
        history.rejectAll(room, err)
        // A probe of this room may be gone: sends of other rooms held behind it go on.
        sends.pump()
      }
    }
  })
  const signals = createSignals({ timers, rooms, link })
  const inbox = createInboxTracker({
    me: () => link.user?.id,
    joined: (room) => rooms.isJoined(room),
    changed: (room, entry) => emitter.emit('inbox', { room, inbox: entry })
  })
  const changed = (frame: ServerFrameOf<'change'>): void => {
    inbox.change(frame)
    emitter.emit('change', frame)
  }
  const sends = createSends({
    timers,
    ackTimeoutMs: options.ackTimeoutMs ?? 15_000,
    link,
    inRoom: (room) => rooms.get(room) !== undefined,
    joined: (room) => rooms.isJoined(room),
    sending: (room) => signals.cancelTyping(room)
  })

  function route (frame: ServerFrame): void {
    switch (frame.type) {
      case 'ready':
        link.ready(frame.user, frame.ticket)
        emitter.emit('ready', frame)
        refresher.schedule(frame.expiresAt)
        sends.release()
        rooms.rejoinAll()
        return requests.flush()
      case 'joined': return rooms.answer(frame)
      case 'message':
        if (!rooms.admit(frame.room, frame.id)) return
        sends.settleOwn(frame)
        // Counted before listeners hear of it: one that reads the room reads it up to this message.
        inbox.message(frame)
        return emitter.emit('message', frame)
      case 'change':
        if (!rooms.admit(frame.room, frame.id)) return
        sends.settleOwn(frame)
        return changed(frame)
      case 'ack':
        sends.ack(frame)
        return emitter.emit('ack', frame)
      case 'history':
        history.page(frame)
        return emitter.emit('history', frame)
      case 'refreshed':
        link.renewTicket(frame.ticket)
        refresher.refreshed(frame)
        return emitter.emit('refreshed', frame)
      case 'error': return refused(frame)
      case 'left':
        // With a reason the server closed the room for good: it is not rejoined.
        if (frame.reason !== undefined) rooms.ended(frame.room, frame.reason)
        return emitter.emit('left', frame)
      case 'done':
      case 'members':
        requests.answer(frame)
        return
      case 'rooms':
        requests.answer(frame)
        inbox.list(frame.rooms)
        return emitter.emit('rooms', frame)
      case 'room':
        inbox.set(frame.entry.room.id, frame.entry.inbox)
        return emitter.emit('room', frame)
      case 'inbox': return inbox.set(frame.room, frame.inbox)
      case 'room_removed':
        rooms.ended(frame.room, frame.reason)
        inbox.drop(frame.room)
        return emitter.emit('room_removed', frame)
      case 'room_updated': return emitter.emit('room_updated', frame)
      case 'member': return emitter.emit('member', frame)
      case 'presence': return emitter.emit('presence', frame)
      case 'typing': return emitter.emit('typing', frame)
      case 'read': return emitter.emit('read', frame)
      case 'event': return emitter.emit('event', frame)
    }
  }

  /** An error frame is about a request, a send, a join or a history request (by `ref`), or a refreshed token. */
  function refused (frame: ServerFrameOf<'error'>): void {
    const { ref } = frame
    const err = fail(frame.code, frame.message, ref)
    const answered = ref !== undefined && (requests.refuse(ref, err) || sends.refused(ref, frame) || rooms.refused(ref, frame.code, err) || history.refuse(ref, err))
    if (!answered && frame.code === 'invalid_token') refresher.refused()
    emitter.emit('error', frame)
  }

  const whenLive = <T>(act: () => Promise<T>): Promise<T> => link.ended() ? Promise.reject(link.endedError()) : act()
  const messageChanges: MessageChanges = {
    edit: (room, id, text, o = {}) => whenLive(() => sends.change(room, { type: 'edit', id, text }, o)),
    delete: (room, id, o = {}) => whenLive(() => sends.change(room, { type: 'delete', id }, o)),
    react: (room, id, emoji, o = {}) => whenLive(() => sends.change(room, { type: 'react', id, emoji, ...(o.remove === true ? { remove: true } : {}) }, o))
  }
  const roomRequests = createRoomRequests((type, fields) => link.ended() ? Promise.reject(link.endedError()) : requests.ask(type, fields))

  link.start()

  return {
    get state () { return link.state },
    get user () { return link.user },
    on: emitter.on,
    off: emitter.off,
    once: emitter.once,
    join: (room) => link.ended() ? Promise.reject(link.endedError()) : rooms.join(room),
    leave: (room) => rooms.leave(room),
    send: (room, text, sendOptions = {}) => link.ended() ? Promise.reject(link.endedError()) : sends.send(room, text, sendOptions),
    typing: (room) => signals.typing(room),
    read (room, id) {
      signals.read(room, id)
      inbox.read(room, id)
    },
    history (room, before, limit) {
      if (!link.isOpen() || !rooms.isJoined(room)) return Promise.reject(fail('not_connected', `not connected to ${room}`, room))
      const page = history.wait(room)
      link.transmit({ type: 'history', room, before, ...(limit === undefined ? {} : { limit }) })
      return page
    },
    rooms: () => rooms.names(),
    inbox: () => inbox.entries(),
    totals: () => inbox.totals(),
    ...messageChanges,
    pending: (room) => sends.pending(room),
    reconnect: () => link.reconnect(),
    refreshToken: () => refresher.now(),
    close: () => link.end('closed'),
    ...roomRequests
  }
}
