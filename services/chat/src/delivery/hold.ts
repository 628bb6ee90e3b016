import { compareIds } from '@webchat/shared'
import { entryIdOf } from './message-frame.js'
import type { Recipient } from './outbox.js'
import { type FeedItem, sendItems } from './presence-relay.js'

/**
 * Holding live frames while a room's log is read, and letting them go once it was. A live frame
 * can overtake the read (it was published after the log position was taken) or fall behind it
 * (published before, relayed after): so frames are held from before the read starts, and once it
 * is done only those it did not cover go out, in order. Two things hold, one per level:
 *
 * A membership (one socket in one room) while its `joined` snapshot is read:
 *
 * | state       | state, buffer | on                            | next                        |
 * |-------------|---------------|-------------------------------|-----------------------------|
 * | JOINING     | joining, []   | live frame                    | JOINING (frame held)        |
 * |             |               | snapshot sent (`release`)     | JOINED, held frames sent ¹  |
 * |             |               | leave or close (`leave`)      | LEFT: the join undoes itself|
 * |             |               | join failed (`abandon`)       | LEFT                        |
 * | JOINED      | joined, null  | join again (`refresh`)        | REFRESHING                  |
 * |             |               | leave or close                | LEFT                        |
 * | REFRESHING  | joined, []    | live frame                    | REFRESHING (frame held)     |
 * |             |               | snapshot sent (`release`)     | JOINED, held frames sent ¹  |
 * |             |               | snapshot failed (`settle`)    | JOINED, held non-messages ² |
 * |             |               | leave or close                | LEFT                        |
 * | LEFT        | left, null    | (final)                       |                             |
 *
 * ¹ Messages only when newer than the snapshot's cutoff (it already holds the older ones); other
 *   frames (typing, read) always; presence changes newer than the snapshot's members
 *   (`presenceAt`), merged into one frame. ² The messages were to follow the snapshot, and the
 *   client, told its join failed, has none to put them after.
 * A room's feed flushes a batch per turn: a membership that left JOINING/REFRESHING during the
 * batch had its first frames held (up to `heldUpTo`, the feed's sequence number) and gets the
 * rest of the batch alone (`sendRest`); the others get the batch's shared bytes.
 *
 * A local room while pub/sub is lost (the engine's onInterrupt, then onResume):
 *
 * | state       | pending, catchingUp, again | on                  | next                          |
 * |-------------|----------------------------|---------------------|-------------------------------|
 * | LIVE        | null, false, false         | pub/sub lost        | HOLDING                       |
 * | HOLDING     | [], false, false           | message relayed     | HOLDING (message held)        |
 * |             |                            | pub/sub back        | CATCHING_UP (reads the log)   |
 * | CATCHING_UP | [], true, false            | pub/sub back again  | AGAIN                         |
 * |             |                            | log read, still up  | LIVE, held messages relayed ⁴ |
 * |             |                            | log read, lost again| HOLDING                       |
 * | AGAIN       | [], true, true             | log read            | CATCHING_UP (reads once more) |
 *
 * ⁴ Through the room's relay, which drops what the log read already delivered. A message relayed
 * after the reconnect but before the log was read would otherwise move the room's last id past
 * the ones the outage swallowed. A read that fails for good (five tries) ends the same way, and
 * a room whose subscription failed drops what it held (the room is gone).
 */

/** A connection's place in one room (see the first table). */
export interface Membership {
  state: 'joining' | 'joined' | 'left'
  buffer: FeedItem[] | null
  /** The version of the presence set the last `joined` listed (presence-relay.ts): older changes are not sent. */
  presenceAt: number
  /** The room feed's sequence number of the last frame put in `buffer` (0: none). */
  heldUpTo: number
}

/** JOINING or REFRESHING: live frames go to the buffer, not to the socket. */
export const isHolding = (membership: Membership): boolean => membership.buffer !== null

/** Left JOINING or REFRESHING during the batch that starts at the feed's frame `first`. */
export const joinedDuring = (membership: Membership, first: number): boolean => membership.heldUpTo >= first

/** LEFT: a join under way undoes its own steps when it sees this. */
export const hasLeft = (membership: Membership): boolean => membership.state === 'left'

/** A new JOINING membership: it holds from before the room is attached. */
export const joining = (): Membership => ({ state: 'joining', buffer: [], heldUpTo: 0, presenceAt: 0 })

/** JOINED → REFRESHING (a join of a room joined already). False in any other state. */
export function refresh (membership: Membership): boolean {
  if (membership.state !== 'joined' || membership.buffer !== null) return false
  membership.buffer = []
  return true
}

/** Holds a live frame, numbered `seq` by the feed. False when the membership holds no longer. */
export function holdFrame (membership: Membership, item: FeedItem, seq: number): boolean {
  if (membership.buffer === null) return false
  membership.buffer.push(item)
  membership.heldUpTo = seq
  return true
}

/** JOINING or REFRESHING → JOINED once `joined` is queued: sends what the snapshot did not cover. */
export function release (membership: Membership, to: Pick<Recipient, 'send'>, cutoff: string): void {
  const held = membership.buffer ?? []
  membership.buffer = null
  membership.state = 'joined'
  sendItems(to, held, membership.presenceAt, (payload) => {
    const id = entryIdOf(payload)
    return id === null || compareIds(id, cutoff) > 0
  })
}

/**
 * REFRESHING → JOINED after its snapshot failed: sends the held frames that are not messages.
 * Nothing to do once the snapshot went out or the membership left (it holds nothing then).
 */
export function settle (membership: Membership, to: Pick<Recipient, 'send'>): void {
  if (membership.buffer === null) return
  const held = membership.buffer
  membership.buffer = null
  sendItems(to, held, membership.presenceAt, (payload) => entryIdOf(payload) === null)
}

/**
 * JOINING → LEFT when a step of the join failed (the join undoes its steps itself). The buffer
 * goes too: the room's feed drops a membership that holds nothing, where a kept buffer would
 * grow with every frame of the room, read by nobody.
 */
export function abandon (membership: Membership): void {
  membership.state = 'left'
  membership.buffer = null
}

/** Any state → LEFT. True when it was JOINED or REFRESHING (attached, with presence entered). */
export function leave (membership: Membership): boolean {
  const wasJoined = membership.state === 'joined'
  membership.state = 'left'
  membership.buffer = null
  return wasJoined
}

/** Joined during a batch starting at `first`: the frames after the held ones, one by one. */
export function sendRest (to: Pick<Recipient, 'send'>, membership: Membership, items: readonly FeedItem[], first: number): void {
  sendItems(to, items.slice(membership.heldUpTo - first + 1), membership.presenceAt)
}

/** A room's side (see the second table). */
export interface RoomHold {
  /** Messages relayed while HOLDING, CATCHING_UP or AGAIN; null when LIVE. */
  pending: string[] | null
  /** Reading its log after an outage. */
  catchingUp: boolean
  /** Pub/sub came back again while the log was read: read it once more. */
  again: boolean
  /** Settles once the room's subscription is made (or failed). */
  readonly ready: Promise<void>
}

/** HOLDING: keeps a relayed message for after the catch-up. False when LIVE. */
export function holdRelayed (room: RoomHold, payload: string): boolean {
  if (room.pending === null) return false
  room.pending.push(payload)
  return true
}

export interface Outage<R extends RoomHold> {
  /** Pub/sub lost for these rooms (all, or one cluster shard's): each goes HOLDING. */
  interrupt (rooms: Iterable<R>): void
  /** Pub/sub back for these rooms: each catches up from its log, then relays what it held. */
  resume (rooms: Iterable<R>): Promise<Array<PromiseSettledResult<void>>>
}

/**
 * The instance's pub/sub outages: `read` fills a room's gap from its log, `relay` hands a held
 * message to the room as pub/sub would have.
 */
export function createOutage<R extends RoomHold> (read: (room: R) => Promise<void>, relay: (room: R, payload: string) => void): Outage<R> {
  /** Rooms lost and not back yet (on a cluster, those of one shard): a catch-up that ends meanwhile keeps holding. */
  const down = new WeakSet<R>()

  const catchUp = async (room: R): Promise<void> => {
    room.pending ??= []
    try {
      await room.ready
    } catch {
      room.pending = null
      return
    }
    if (room.catchingUp) { room.again = true; return }
    room.catchingUp = true
    try {
      do {
        room.again = false
        await read(room)
      } while (room.again)
    } finally {
      room.catchingUp = false
      if (!down.has(room)) {
        const held = room.pending ?? []
        room.pending = null
        for (const payload of held) relay(room, payload)
      }
    }
  }

  return {
    interrupt (rooms) {
      for (const room of rooms) {
        down.add(room)
        room.pending ??= []
      }
    },
    async resume (rooms) {
      const back = [...rooms]
      for (const room of back) down.delete(room)
      return await Promise.allSettled(back.map(catchUp))
    }
  }
}
