import t from 'tap'
import { Registry } from 'prom-client'
import * as hold from '../../src/delivery/hold.js'
import type { Membership } from '../../src/delivery/hold.js'
import { createOutbox, type Recipient } from '../../src/delivery/outbox.js'
import { feedItemOf, presencePayload, presenceText, type RelayedPresence } from '../../src/delivery/presence-relay.js'
import { createFeeds } from '../../src/delivery/room-feed.js'
import { frameText } from '../../src/delivery/ws-frame.js'
import { createMetrics } from '../../src/metrics.js'
import { decode, fakeRecipient, nextTurn } from '../helpers/recipients.js'

const user = (id: string): { id: string, name: string } => ({ id, name: id.toUpperCase() })
const change = (event: 'join' | 'leave', id: string, version: number): RelayedPresence => ({ room: 'r', event, user: user(id), version })
const got = (conn: { written: Buffer[] }): unknown => decode(...conn.written).map((text) => JSON.parse(text) as unknown)
const relayed = (event: 'join' | 'leave', id: string, version: number): string => presencePayload('r', event, user(id), version)

t.test('a presence change goes between instances with its version and reaches clients without it', async (t) => {
  t.same(feedItemOf(relayed('join', 'ana', 7)), change('join', 'ana', 7))
  t.same(feedItemOf('{"type":"presence","room":"r","event":"join","user":{"id":"ana","name":"A"}}'), { room: 'r', event: 'join', user: { id: 'ana', name: 'A' }, version: Infinity }, 'without a version (an older instance): told to everyone')
  t.equal(feedItemOf('{"type":"typing","room":"r"}'), '{"type":"typing","room":"r"}', 'other frames stay text')
  t.equal(feedItemOf('{"type":"presence",oops'), '{"type":"presence",oops', 'a malformed payload stays text')
  t.same(JSON.parse(presenceText([change('join', 'ana', 7)])!), { type: 'presence', room: 'r', event: 'join', user: user('ana') })
})

t.test('changes that come together: one frame, the newest change of each user', async (t) => {
  const text = presenceText([change('join', 'ana', 1), change('join', 'bob', 2), change('leave', 'cy', 3), change('leave', 'ana', 4), change('join', 'dee', 5), change('join', 'cy', 6), change('leave', 'dee', 7), change('join', 'dee', 8)])
  t.same(JSON.parse(text!), {
    type: 'presence', room: 'r', event: 'leave', user: user('ana'),
    more: [{ event: 'join', user: user('bob') }, { event: 'join', user: user('cy') }, { event: 'join', user: user('dee') }]
  })
  // A socket that had applied an earlier leave, then gets a doubled leave and the join back, must end with the join.
  t.same(JSON.parse(presenceText([change('leave', 'ana', 4), change('join', 'ana', 5)])!), { type: 'presence', room: 'r', event: 'join', user: user('ana') }, 'came back: the join')
  t.same(JSON.parse(presenceText([change('join', 'ana', 1), change('leave', 'ana', 2)])!), { type: 'presence', room: 'r', event: 'leave', user: user('ana') }, 'came and went: the leave')
  t.same(JSON.parse(presenceText([change('leave', 'ana', 9), change('join', 'ana', 8)])!), { type: 'presence', room: 'r', event: 'leave', user: user('ana') }, 'by version, not by arrival')
  t.equal(presenceText([]), null)
})

t.test('a joining socket: held changes the members already showed are dropped, later ones told', async (t) => {
  const membership = hold.joining()
  const sent: string[] = []
  const to = { send: (payload: string) => { sent.push(payload); return true } }
  // Relayed while the join runs, in pub/sub order; the members are read at version 10.
  hold.holdFrame(membership, change('join', 'ana', 8), 1) // in the list
  hold.holdFrame(membership, '{"type":"typing","room":"r","user":{"id":"bob","name":"BOB"}}', 2)
  hold.holdFrame(membership, change('join', 'cy', 12), 3) // after the read: told
  hold.holdFrame(membership, change('leave', 'bob', 9), 4) // bob was gone when the list was read
  hold.holdFrame(membership, change('join', 'dee', 10), 5) // the read itself saw dee
  hold.holdFrame(membership, change('leave', 'ana', 11), 6) // ana left after the read: told
  membership.presenceAt = 10
  hold.release(membership, to, '0-0')
  t.same(sent.map((s) => JSON.parse(s) as unknown), [
    { type: 'typing', room: 'r', user: user('bob') },
    { type: 'presence', room: 'r', event: 'join', user: user('cy'), more: [{ event: 'leave', user: user('ana') }] }
  ])
})

t.test('a room feed: each socket gets the changes after its own members, sockets alike share a batch', async (t) => {
  const outbox = createOutbox((conn, frame) => conn.write(frame), frameText)
  const feeds = createFeeds(outbox, createMetrics(new Registry()), 0)
  const members = new Map<Recipient, Membership>()
  const old = [fakeRecipient(), fakeRecipient()]
  const recent = fakeRecipient()
  const newest = fakeRecipient()
  for (const conn of old) members.set(conn, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 3 })
  members.set(recent, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 6 })
  members.set(newest, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 9 })
  const feed = feeds.create(members)
  // Published late, out of version order (a join is announced after its snapshot went out).
  for (const item of [change('join', 'u6', 6), change('join', 'u4', 4), '{"type":"typing","room":"r","user":{"id":"x","name":"X"}}', change('join', 'u9', 9), change('join', 'u5', 5), change('leave', 'u2', 8)]) feeds.deliver(feed, item)
  await nextTurn()
  const typing = { type: 'typing', room: 'r', user: { id: 'x', name: 'X' } }
  t.same(got(old[0]!), [[{ type: 'presence', room: 'r', event: 'join', user: user('u6'), more: [{ event: 'join', user: user('u4') }, { event: 'join', user: user('u9') }, { event: 'join', user: user('u5') }, { event: 'leave', user: user('u2') }] }, typing]], 'the changes where the first of them came')
  t.equal(old[0]!.written[0], old[1]!.written[0], 'the same bytes for sockets told the same')
  t.same(got(recent), [[typing, { type: 'presence', room: 'r', event: 'join', user: user('u9'), more: [{ event: 'leave', user: user('u2') }] }]])
  t.same(got(newest), [typing], 'nothing it did not know')
})

t.test('a socket never gets a frame before the presence changes that came before it', async (t) => {
  const message = (id: string, from: string): string => JSON.stringify({ type: 'message', id, ts: 1, room: 'r', user: user(from), text: 'hi' })
  const typing = '{"type":"typing","room":"r","user":{"id":"x","name":"X"}}'
  // In pub/sub order: a typing frame, u1 joins and speaks, u2 joins and speaks.
  const items = [typing, change('join', 'u1', 3), message('1-1', 'u1'), change('join', 'u2', 6), message('1-2', 'u2')]
  const parsed = (texts: string[]): unknown[] => texts.map((text) => JSON.parse(text) as unknown)
  const joins = (...ids: string[]): unknown => ({ type: 'presence', room: 'r', event: 'join', user: user(ids[0]!), ...(ids.length > 1 ? { more: ids.slice(1).map((id) => ({ event: 'join', user: user(id) })) } : {}) })
  const expected = [JSON.parse(typing), joins('u1', 'u2'), JSON.parse(message('1-1', 'u1')), JSON.parse(message('1-2', 'u2'))]
  const expectedAfter4 = [JSON.parse(typing), JSON.parse(message('1-1', 'u1')), joins('u2'), JSON.parse(message('1-2', 'u2'))]

  // A flush: the batch every member shares, and the one of a socket whose list showed u1 already.
  const outbox = createOutbox((conn, frame) => conn.write(frame), frameText)
  const feeds = createFeeds(outbox, createMetrics(new Registry()), 0)
  const before = fakeRecipient()
  const after4 = fakeRecipient()
  const members = new Map<Recipient, Membership>([[before, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 0 }], [after4, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 4 }]])
  const feed = feeds.create(members)
  for (const item of items) feeds.deliver(feed, item)
  await nextTurn()
  t.same(got(before), [expected], 'a flush: one presence frame, before the first message after a change')
  t.same(got(after4), [expectedAfter4], 'only the changes it was not shown, before the frames that came after them')
  feeds.close(feed)

  // Frames held while a join ran, let go once its snapshot went out.
  for (const [presenceAt, want] of [[0, expected], [4, expectedAfter4]] as const) {
    const membership = hold.joining()
    items.forEach((item, i) => hold.holdFrame(membership, item, i + 1))
    membership.presenceAt = presenceAt
    const sent: string[] = []
    hold.release(membership, { send: (payload: string) => { sent.push(payload); return true } }, '0-0')
    t.same(parsed(sent), want, `held frames let go (members of version ${presenceAt})`)
  }
})
