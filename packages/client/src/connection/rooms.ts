import { isRoomName, LIMITS, NO_EPOCH, type ChatMessage, type LeftReason, type ServerFrameOf } from '@webchat/shared'
import { backoffDelay, type BackoffOptions } from '../backoff.js'
import type { WebchatError } from '../errors.js'
import { createRoomTrack, type RoomTrack } from '../room-track.js'
import type { Timers } from '../timers.js'
import type { Link } from './link.js'
import { fail, passing } from './refusal.js'
import { clearHandle } from './timer-slot.js'

export interface RoomHooks {
  /** A message or change the server holds, from a catch-up: perhaps one of our pending sends. */
  stored (message: Pick<ChatMessage, 'id' | 'user' | 'clientMsgId'>): void
  /** A room's `joined`, holding only the messages and changes not seen before, for listeners. */
  joined (frame: ServerFrameOf<'joined'>): void
  /** The room is joined on this socket (and still wanted): what waited for that may go. */
  usable (track: RoomTrack): void
  /** The room is no longer tracked (left, or its join refused for good): what waits on it fails with `err`. */
  forgotten (room: string, err: WebchatError): void
}

export interface RoomsDeps {
  timers: Timers
  backoff: BackoffOptions | undefined
  /** Rooms to join once connected (invalid names are skipped). */
  initial: string[] | undefined
  transmit: Link['transmit']
  hooks: RoomHooks
}

/** The rooms the connection wants to be in, joined again on every socket, and the callers waiting for a join. */
export interface Rooms {
  get (room: string): RoomTrack | undefined
  isJoined (room: string): boolean
  names (): string[]
  /** Tracks a room and joins it (now, or once connected); resolves with its `joined`. */
  join (room: string): Promise<ServerFrameOf<'joined'>>
  leave (room: string): void
  /**
   * The server ended the membership (`left` with a reason, `room_removed`): the room is dropped, so
   * it is not rejoined after a reconnect, and what waits on it fails. Whether it was tracked.
   */
  ended (room: string, reason: LeftReason): boolean
  /** A new socket is ready: every room is joined again, with `since`/`epoch`. */
  rejoinAll (): void
  /** The server's answer to a join. */
  answer (frame: ServerFrameOf<'joined'>): void
  /** Records a live message's id; false when it was seen already or the room is not tracked. */
  admit (room: string, id: string): boolean
  /**
   * A refusal about `room` while its join is unanswered (no other frame about the room goes out
   * meanwhile, so it refuses the join): a passing one is tried again later, any other drops the
   * room. Whether it was one.
   */
  refused (room: string, code: string, err: WebchatError): boolean
  /** The socket is gone: no room is joined any more. */
  reset (): void
  /** The connection ended: every join waiting fails with `err`. */
  rejectJoins (err: WebchatError): void
}

interface JoinWaiter { resolve: (frame: ServerFrameOf<'joined'>) => void, reject: (err: WebchatError) => void }

export function createRooms ({ timers, backoff, initial, transmit, hooks }: RoomsDeps): Rooms {
  const rooms = new Map<string, RoomTrack>()
  const joinWaiters = new Map<string, JoinWaiter[]>()
  for (const room of initial ?? []) if (isRoomName(room)) rooms.set(room, createRoomTrack(room))

  const sendJoin = (track: RoomTrack): void => {
    if (transmit(track.joinFrame())) track.joining = true
  }
  const stopTimers = (track: RoomTrack): void => {
    track.typingTimer = clearHandle(timers, track.typingTimer)
    track.rejoinTimer = clearHandle(timers, track.rejoinTimer)
  }
  const forget = (track: RoomTrack, err: WebchatError): void => {
    const { room } = track
    stopTimers(track)
    rooms.delete(room)
    for (const w of joinWaiters.get(room) ?? []) w.reject(err)
    joinWaiters.delete(room)
    hooks.forgotten(room, err)
  }

  return {
    get: (room) => rooms.get(room),
    isJoined: (room) => rooms.get(room)?.joined === true,
    names: () => [...rooms.keys()],
    join (room) {
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
    ended (room, reason) {
      const track = rooms.get(room)
      if (track === undefined) return false
      forget(track, fail('not_joined', `no longer in ${room} (${reason})`, room))
      return true
    },
    rejoinAll () { for (const track of rooms.values()) sendJoin(track) },
    answer (frame) {
      const track = rooms.get(frame.room)
      if (track === undefined) return
      // From NO_EPOCH (the room had no messages) to the epoch its first one made is no change of log.
      const changed = track.epoch !== undefined && track.epoch !== NO_EPOCH && track.epoch !== frame.epoch
      if (!frame.recovered || changed) track.reset()
      track.epoch = frame.epoch
      track.joining = false
      track.refusals = 0
      const fresh = frame.messages.filter((m) => track.admit(m.id))
      for (const m of frame.messages) hooks.stored(m)
      // Changes are entries of the log too: their ids move `since` on, and one seen live is not given again.
      const changes = frame.changes?.filter((c) => track.admit(c.id))
      for (const c of frame.changes ?? []) hooks.stored(c)
      track.joined = true
      track.sentRead = frame.lastRead ?? undefined
      const joined = { ...frame, messages: fresh, ...(changes === undefined ? {} : { changes }) }
      track.lastJoined = joined
      const waiters = joinWaiters.get(frame.room) ?? []
      joinWaiters.delete(frame.room)
      for (const w of waiters) w.resolve(joined)
      hooks.joined(joined)
      // A listener may have left the room meanwhile.
      if (rooms.get(frame.room) !== track || !track.joined) return
      hooks.usable(track)
    },
    admit: (room, id) => rooms.get(room)?.admit(id) === true,
    refused (room, code, err) {
      const track = rooms.get(room)
      if (track?.joining !== true || track.joined) return false
      track.joining = false
      if (passing(code)) {
        // Storage down or too fast: the same join again later (1, 2, 4 … 16 s), waiters still waiting.
        const inMs = backoffDelay(track.refusals++, backoff)
        track.rejoinTimer = timers.setTimeout(() => {
          track.rejoinTimer = undefined
          if (rooms.get(track.room) === track && !track.joined) sendJoin(track)
        }, inMs)
      } else {
        forget(track, err)
      }
      return true
    },
    reset () {
      for (const track of rooms.values()) {
        track.joined = false
        track.joining = false
        stopTimers(track)
      }
    },
    rejectJoins (err) {
      for (const waiters of joinWaiters.values()) for (const w of waiters) w.reject(err)
      joinWaiters.clear()
    }
  }
}
