import { compareIds, LIMITS, newerId } from '@webchat/shared'
import type { RoomTrack } from '../room-track.js'
import type { Timers } from '../timers.js'
import type { Link } from './link.js'
import type { Rooms } from './rooms.js'
import { clearHandle } from './timer-slot.js'

/** Typing signals a little slower than the server's limit, so that transit jitter never gets one dropped. */
const TYPING_EVERY_MS = LIMITS.typingIntervalMs + 250

export interface SignalsDeps {
  timers: Timers
  rooms: Pick<Rooms, 'get'>
  link: Pick<Link, 'isOpen' | 'transmit'>
}

/** What a room hears besides messages: "typing", throttled, and read markers, kept until the server has them. */
export interface Signals {
  /** Says "typing" now, or holds it back until the interval ends; whether it went out now. */
  typing (room: string): boolean
  /** A send to `room`: a typing signal held back there is dropped. */
  cancelTyping (room: string): void
  /** Marks messages up to `id` read, now or once the room is joined again. */
  read (room: string, id: string): void
  /** Sends the room's read marker if the server does not have it yet. */
  flushRead (track: RoomTrack): void
}

export function createSignals ({ timers, rooms, link }: SignalsDeps): Signals {
  const flushRead = (track: RoomTrack): void => {
    const id = track.wantRead
    if (id === undefined || !track.joined) return
    if (track.sentRead !== undefined && compareIds(id, track.sentRead) <= 0) return
    if (link.transmit({ type: 'read', room: track.room, id })) track.sentRead = id
  }
  return {
    typing (room) {
      const track = rooms.get(room)
      if (track?.joined !== true || !link.isOpen()) return false
      const wait = track.lastTypingAt + TYPING_EVERY_MS - timers.now()
      if (wait > 0) {
        // Keep the last signal of a burst: it goes out when the interval ends (unless a send comes first).
        track.typingTimer ??= timers.setTimeout(() => {
          track.typingTimer = undefined
          if (rooms.get(room) === track && track.joined && link.transmit({ type: 'typing', room })) track.lastTypingAt = timers.now()
        }, wait)
        return false
      }
      if (!link.transmit({ type: 'typing', room })) return false
      track.lastTypingAt = timers.now()
      return true
    },
    cancelTyping (room) {
      const track = rooms.get(room)
      if (track !== undefined) track.typingTimer = clearHandle(timers, track.typingTimer)
    },
    read (room, id) {
      const track = rooms.get(room)
      if (track === undefined) return
      track.wantRead = newerId(track.wantRead, id)
      flushRead(track)
    },
    flushRead
  }
}
