import { type ClientFrameOf, compareIds, newerId, type ServerFrameOf } from '@webchat/shared'

const SEEN_MAX = 2000

/**
 * What the connection remembers about one room it wants to be in: the epoch and newest message id
 * (to rejoin with `since`/`epoch`), the ids seen (to drop duplicates), read markers and typing time.
 */
export interface RoomTrack {
  readonly room: string
  epoch: string | undefined
  lastId: string | undefined
  /** True between our `joined` and the next drop or leave. */
  joined: boolean
  /** A `join` went out on this socket and has not been answered yet. */
  joining: boolean
  /** A join refused for a passing reason, waiting to be tried again. */
  rejoinTimer: unknown
  /** Joins refused for a passing reason in a row. */
  refusals: number
  /** The last `joined` frame, as given to listeners. */
  lastJoined: ServerFrameOf<'joined'> | undefined
  /** Our newest read marker, and the newest the server is known to hold. */
  wantRead: string | undefined
  sentRead: string | undefined
  lastTypingAt: number
  /** A typing signal held back by the interval, to go out when it ends. */
  typingTimer: unknown
  /** Records a message id; false when it was seen already. */
  admit (id: string): boolean
  /** Forgets every id (a new epoch, or a gap the server could not fill). */
  reset (): void
  joinFrame (): ClientFrameOf<'join'>
}

export function createRoomTrack (room: string): RoomTrack {
  let seen = new Set<string>()
  /** Ids at or below this were seen and then evicted from `seen`. */
  let floor: string | undefined
  const track: RoomTrack = {
    room,
    epoch: undefined,
    lastId: undefined,
    joined: false,
    joining: false,
    rejoinTimer: undefined,
    refusals: 0,
    lastJoined: undefined,
    wantRead: undefined,
    sentRead: undefined,
    lastTypingAt: -Infinity,
    typingTimer: undefined,
    admit (id) {
      if (seen.has(id) || (floor !== undefined && compareIds(id, floor) <= 0)) return false
      seen.add(id)
      track.lastId = newerId(track.lastId, id)
      if (seen.size > SEEN_MAX) {
        const sorted = [...seen].sort(compareIds)
        const evicted = sorted.slice(0, sorted.length - SEEN_MAX / 2)
        floor = newerId(floor, evicted[evicted.length - 1]!)
        seen = new Set(sorted.slice(evicted.length))
      }
      return true
    },
    reset () {
      seen = new Set()
      floor = undefined
      track.lastId = undefined
    },
    joinFrame () {
      return {
        type: 'join',
        room,
        ...(track.lastId === undefined ? {} : { since: track.lastId }),
        ...(track.epoch === undefined ? {} : { epoch: track.epoch })
      }
    }
  }
  return track
}
