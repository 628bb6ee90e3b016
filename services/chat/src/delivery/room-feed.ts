import type { Metrics } from '../metrics.js'
import { holdFrame, isHolding, joinedDuring, type Membership, sendRest } from './hold.js'
import { messageIdOf, messageTsOf } from './message-frame.js'
import type { Outbox, Recipient } from './outbox.js'
import { batchesOf, type FeedItem } from './presence-relay.js'
import { frameText } from './ws-frame.js'

/**
 * Socket writes a second one room may cost an instance: past it (local deliveries a second), the
 * room's frames are held to go out together. Below it every frame goes out in the turn it came,
 * which keeps latency low where batching would save little.
 */
const WRITES_PER_SECOND = 25_000
/**
 * Messages a held batch aims at, when holding for the write budget alone would send fewer. Small,
 * because a longer hold costs more latency than its shared writes save CPU; at the highest rates
 * the write budget sets the hold anyway. The measurements behind both numbers: docs/benchmarks.md,
 * "The fan-out hold, in code".
 */
const TARGET_BATCH = 2
/**
 * Presence changes and roster changes (`member`) wait longer: nobody waits on them as on a
 * message, and many people joining a large room at once would otherwise cost a write per socket
 * for every few joins. A batch of only those is held for at most PRESENCE_WRITES_PER_SECOND
 * socket writes a second, never longer than PRESENCE_HOLD_FACTOR times the longest hold of a
 * message; any other frame in the batch sends it at that frame's time.
 */
const PRESENCE_WRITES_PER_SECOND = 5_000
const PRESENCE_HOLD_FACTOR = 4
const MEMBER_PREFIX = '{"type":"member",'

/** The frames a room relays to its local sockets, batched per event-loop turn (or longer when busy). */
export interface Feed {
  readonly members: Map<Recipient, Membership>
  /** Memberships buffering live frames while their join reads the log. */
  readonly joining: Set<Membership>
  /** Frames relayed since the last flush; `seq` numbers the last one. */
  batch: FeedItem[]
  seq: number
  /** Frames relayed, decayed with a 1 s time constant: about frames a second. */
  rate: number
  rateAt: number
  lastFlush: number
  timer: NodeJS.Timeout | null
  /** When `timer` fires. */
  due: number
  queued: boolean
}

export interface Feeds {
  create (members: Map<Recipient, Membership>): Feed
  /** Sends `item` to every member: now for those joining (their buffer), at the next flush for the others. */
  deliver (feed: Feed, item: FeedItem): void
  /** Buffers live frames for `membership` until its snapshot is sent. */
  hold (feed: Feed, membership: Membership): void
  close (feed: Feed): void
}

/**
 * Per room and flush the frames are encoded and framed once and the same bytes written to every
 * member socket. A room is flushed at the end of the turn its frames arrived in, unless its local
 * deliveries would pass WRITES_PER_SECOND: then it flushes at most every `hold` ms, long enough for
 * about TARGET_BATCH messages and at most WRITES_PER_SECOND socket writes, never longer than
 * `maxHoldMs`. The first frame after a pause still goes out at once.
 */
export function createFeeds (outbox: Outbox, metrics: Metrics, maxHoldMs: number): Feeds {
  const queued = new Set<Feed>()

  const holdFor = (feed: Feed): number => {
    if (maxHoldMs === 0 || feed.rate * feed.members.size < WRITES_PER_SECOND) return 0
    return Math.min(maxHoldMs, Math.max((1000 * TARGET_BATCH) / feed.rate, (1000 * feed.members.size) / WRITES_PER_SECOND))
  }

  const presenceHoldFor = (feed: Feed): number => Math.min(PRESENCE_HOLD_FACTOR * maxHoldMs, (1000 * feed.members.size) / PRESENCE_WRITES_PER_SECOND)

  const queue = (feed: Feed): void => {
    feed.queued = true
    queued.add(feed)
    outbox.schedule()
  }

  const release = (feed: Feed): void => {
    feed.timer = null
    if (feed.batch.length > 0) queue(feed)
  }

  const flush = (feed: Feed): void => {
    feed.queued = false
    const items = feed.batch
    if (items.length === 0) return
    feed.batch = []
    feed.lastFlush = Date.now()
    const first = feed.seq - items.length + 1
    // Members that were told different presence (they joined at different versions) get different batches.
    const batches = batchesOf(items, frameText)
    let sockets = 0
    let frames = 0
    for (const [conn, membership] of feed.members) {
      if (isHolding(membership)) continue
      if (joinedDuring(membership, first)) {
        // Joined during this batch: the frames before that went to its buffer.
        sendRest(conn, membership, items, first)
        continue
      }
      const batch = batches.for(membership.presenceAt)
      if (batch === null || !outbox.share(conn, batch)) continue
      sockets++
      frames += batch.payloads.length
    }
    metrics.framesOut.inc(frames)
    for (const payload of batches.texts) {
      const id = messageIdOf(payload)
      if (id === null) continue
      metrics.deliveries.inc(sockets)
      const ts = messageTsOf(payload, id)
      if (Number.isFinite(ts)) metrics.latency.observe(Math.max(0, feed.lastFlush - ts) / 1000)
    }
  }

  outbox.beforeFlush(() => {
    for (const feed of queued) flush(feed)
    queued.clear()
  })

  return {
    create: (members) => ({ members, joining: new Set(), batch: [], seq: 0, rate: 0, rateAt: Date.now(), lastFlush: 0, timer: null, due: 0, queued: false }),
    deliver (feed, item) {
      feed.seq++
      for (const membership of feed.joining) {
        if (!holdFrame(membership, item, feed.seq)) feed.joining.delete(membership)
      }
      feed.batch.push(item)
      const now = Date.now()
      feed.rate = feed.rate * Math.exp((feed.rateAt - now) / 1000) + 1
      feed.rateAt = now
      if (feed.queued) return
      const hold = typeof item === 'string' && !item.startsWith(MEMBER_PREFIX) ? holdFor(feed) : Math.max(holdFor(feed), presenceHoldFor(feed))
      const due = feed.lastFlush + hold
      if (feed.timer !== null) {
        if (feed.due <= due) return
        clearTimeout(feed.timer)
        feed.timer = null
      }
      if (now >= due) {
        queue(feed)
      } else {
        feed.timer = setTimeout(release, due - now, feed)
        feed.due = due
      }
    },
    hold (feed, membership) {
      feed.joining.add(membership)
    },
    close (feed) {
      if (feed.timer !== null) clearTimeout(feed.timer)
      feed.timer = null
      feed.batch = []
      queued.delete(feed)
    }
  }
}
