import type { FastifyBaseLogger } from 'fastify'
import { type Engine, engineDeadline } from '@webchat/engine'
import { hashBucket, type Member, NOTIFICATION_QUEUE, type NotificationItem, type NotificationJob, previewOf } from '@webchat/shared'
import { parseMarker, readSeqOf } from '../inbox/marker.js'
import { derivedUuid } from '../derived-id.js'
import type { Reader } from '../lifecycle/reader.js'
import type { Membership } from '../membership/service.js'
import { names } from '../names.js'
import type { Activity } from './activity.js'

/**
 * Mail for people who are away: a direct message or a mention waits NOTIFY_DELAY_MS in the
 * recipient's list (what else arrives meanwhile joins it); then, if they are away, what they have
 * not read on any device by then becomes one job on NOTIFICATION_QUEUE, which the auth service
 * (it knows the address and the user's choice) turns into one mail.
 *
 * Which instance mails whom: a user's due time is a field of one of NOTIFY_BUCKETS maps; an
 * instance takes it by moving that time LEASE_MS on under a guard on its value, which only one can
 * do, and deletes it once the job is queued: an instance that dies in between leaves the lease to
 * run out, and another makes the mail. A job's id is made from its user and messages, so a mail
 * made twice (an engine error after queueing) is recognisable as the same one (its Message-ID).
 */
export interface Notifier {
  /** A message was stored: list it for the people it should reach (its room's other person, those it mentions). */
  stored: (message: StoredMessage) => Promise<void>
  /** Looks for due mails now (the poller's step; tests call it). */
  sweep: () => Promise<void>
  close: () => void
}

/** Whether a message can concern a mail at all (a direct room's, or one that mentions someone): the send path asks no more of others. */
export const mayNotify = (room: string, mentions: string[] | undefined): boolean => room.startsWith('d-') || (mentions !== undefined && mentions.length > 0)

export interface StoredMessage { room: string, id: string, seq: number, epoch: string, from: Member, text: string, ts: number, mentions?: string[] }

/** A listed message: what the mail says, and what tells whether it was read since. */
interface Waiting extends Omit<NotificationItem, 'roomTitle'> { seq: number, epoch: string }

const NOTIFY_BUCKETS = 16
/** Messages waiting per user: enough for a mail; past it the newest are dropped (the mail says there is more). */
const MAX_WAITING = 50
/** Items one mail lists; the rest are counted in `more`. */
const MAX_LISTED = 20
/** A queue of mails for the auth service: bounded like every queue, far beyond what it holds when auth runs. */
const QUEUE_MAX = 100_000

/** How long an instance holds a due user while it makes their mail. */
const LEASE_MS = 60_000

interface Deps {
  engine: Engine
  membership: Membership
  reader: Reader
  activity: Activity
  delayMs: number
  pollMs: number
  engineTimeoutMs: number
  log: FastifyBaseLogger
}

export function createNotifier ({ engine, membership, reader, activity, delayMs, pollMs, engineTimeoutMs, log }: Deps): Notifier {
  const call = <T>(promise: Promise<T>): Promise<T> => engineDeadline(promise, engineTimeoutMs)
  const dueMap = (userId: string): string => names.notifyDue(hashBucket(userId, NOTIFY_BUCKETS))

  /** Sets the user's due time unless one is set: messages within the delay share the first one's mail. */
  const schedule = async (userId: string, at: number): Promise<void> => {
    await call(engine.maps.write(dueMap(userId), { set: { [userId]: String(at) }, expect: { [userId]: null } }))
  }

  const list = async (userId: string, item: Waiting): Promise<void> => {
    const written = await call(engine.maps.write(names.notifyItems(userId), { set: { [`${item.room}/${item.messageId}`]: JSON.stringify(item) }, maxFields: MAX_WAITING }))
    if (written === 'full') log.info({ userId }, 'mail list full: message not listed')
    await schedule(userId, Date.now() + delayMs)
  }

  /**
   * The user's listed messages they have not read, oldest first, each with what the mail calls its
   * room (its title, or for a direct room the person writing), and the fields that held every listed one.
   */
  const unread = async (userId: string): Promise<{ items: Array<Waiting & { roomTitle: string }>, fields: string[] }> => {
    const listed = await call(engine.maps.all(names.notifyItems(userId)))
    const items = Object.values(listed).flatMap((raw) => {
      try {
        return [JSON.parse(raw) as Waiting]
      } catch {
        return []
      }
    })
    const rooms = [...new Set(items.map((item) => item.room))]
    const markers = await Promise.all(rooms.map(async (room) => parseMarker(await call(engine.kv.get(names.readMarker(room, userId))))))
    const readUpTo = new Map(rooms.map((room, i) => [room, markers[i] ?? null]))
    const unreadItems = items.filter((item) => item.seq > readSeqOf(readUpTo.get(item.room) ?? null, item.epoch))
    // As they are now: not for rooms the user has left since (one read of their entry per room,
    // which also names the room), nothing deleted, an edit's new text.
    const entries = new Map(await Promise.all(rooms.map(async (room) => [room, await membership.entry(room, userId).catch(() => null)] as const)))
    const current = await Promise.all(unreadItems.map(async (item) => {
      const entry = entries.get(item.room) ?? null
      if (entry === null) return null
      const found = await reader.find(item.room, item.messageId)
      if (found === null || found.state.deleted !== undefined) return null
      const roomTitle = item.room.startsWith('d-') ? item.from.name : entry.room.title
      return { ...item, roomTitle, preview: previewOf(found.state.text ?? found.message.text) }
    }))
    return { items: current.filter((item) => item !== null).sort((a, b) => a.ts - b.ts), fields: Object.keys(listed) }
  }

  /** The mail of one user whose due time this instance holds (`lease` in `map`). */
  const mail = async (userId: string, map: string, lease: string): Promise<void> => {
    // Still active somewhere: they may read it yet. Looked at again once they could count as away.
    if (!await activity.away(userId)) {
      await call(engine.maps.write(map, { set: { [userId]: String(Date.now() + Math.ceil(activity.idleMs / 2)) }, expect: { [userId]: lease } }))
      return
    }
    const { items, fields } = await unread(userId)
    if (items.length > 0) {
      const listed = items.slice(-MAX_LISTED)
      const titled = listed.map(({ seq: _seq, epoch: _epoch, ...item }) => item)
      const job: NotificationJob = { id: derivedUuid(['mail', userId, ...listed.map((item) => `${item.room}/${item.messageId}`)]), user: userId, items: titled, more: items.length - listed.length }
      if (await call(engine.queues.push(NOTIFICATION_QUEUE, JSON.stringify(job), QUEUE_MAX)) === null) {
        log.error({ userId }, 'notification mail queue full: mail dropped')
      }
    }
    // Queued before the list is cleared: a crash in between mails these again, never loses them.
    await call(engine.maps.write(names.notifyItems(userId), { delete: fields }))
    // What was listed while the mail was made waits for a mail of its own.
    const more = await call(engine.maps.count(names.notifyItems(userId))) > 0
    await call(engine.maps.write(map, more ? { set: { [userId]: String(Date.now() + delayMs) }, expect: { [userId]: lease } } : { delete: [userId], expect: { [userId]: lease } }))
  }

  const sweep = async (): Promise<void> => {
    const now = Date.now()
    for (let bucket = 0; bucket < NOTIFY_BUCKETS; bucket++) {
      const map = names.notifyDue(bucket)
      const due = Object.entries(await call(engine.maps.all(map))).filter(([, at]) => Number(at) <= now)
      for (const [userId, at] of due) {
        const lease = String(Date.now() + LEASE_MS)
        if (await call(engine.maps.write(map, { set: { [userId]: lease }, expect: { [userId]: at } })) !== 'ok') continue
        try {
          await mail(userId, map, lease)
        } catch (err) {
          // The lease runs out and the mail is made then, by this instance or another.
          log.warn({ err, userId }, 'notification mail not made yet: tried again when its lease runs out')
        }
      }
    }
  }

  let sweeping = false
  const timer = setInterval(() => {
    if (sweeping) return
    sweeping = true
    sweep().catch((err: unknown) => { log.warn({ err }, 'notification sweep failed') }).finally(() => { sweeping = false })
  }, pollMs)
  timer.unref()

  return {
    async stored ({ room, id, seq, epoch, from, text, ts, mentions }) {
      const preview = previewOf(text)
      const base = { room, messageId: id, seq, epoch, from: { id: from.id, name: from.name }, preview, ts }
      const recipients = new Map<string, NotificationItem['kind']>()
      for (const userId of mentions ?? []) if (userId !== from.id) recipients.set(userId, 'mention')
      if (room.startsWith('d-')) {
        const peer = (await membership.entry(room, from.id)).peer
        if (peer !== undefined && peer.id !== from.id) recipients.set(peer.id, 'direct')
      }
      await Promise.all([...recipients].map(async ([userId, kind]) => { await list(userId, { ...base, kind }) }))
    },
    sweep,
    close: () => { clearInterval(timer) }
  }
}
