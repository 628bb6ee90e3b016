import t from 'tap'
import { Registry } from 'prom-client'
import * as hold from '../../src/delivery/hold.js'
import type { Membership } from '../../src/delivery/hold.js'
import { createOutbox, type Recipient } from '../../src/delivery/outbox.js'
import { createFeeds } from '../../src/delivery/room-feed.js'
import { frameText } from '../../src/delivery/ws-frame.js'
import { createMetrics } from '../../src/metrics.js'
import { decode, fakeRecipient, nextTurn, roomOf } from '../helpers/recipients.js'

t.test('room feeds: one batch per turn, buffers for joins, held batches when busy', async (t) => {
  const outbox = createOutbox((conn, frame) => conn.write(frame), frameText)
  const feeds = createFeeds(outbox, createMetrics(new Registry()), 40)
  const members = new Map<Recipient, Membership>()
  const live = fakeRecipient()
  const joining = fakeRecipient()
  const late = fakeRecipient()
  const joiningMembership: Membership = { state: 'joining', buffer: [], heldUpTo: 0, presenceAt: 0 }
  const lateMembership: Membership = { state: 'joining', buffer: [], heldUpTo: 0, presenceAt: 0 }
  members.set(live, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 0 })
  members.set(joining, joiningMembership)
  members.set(late, lateMembership)
  const feed = feeds.create(members)
  feeds.hold(feed, joiningMembership)
  feeds.hold(feed, lateMembership)
  const sent: string[] = []
  late.send = (payload: string) => { sent.push(payload); return true }

  feeds.deliver(feed, '{"m":1}')
  // `late` sends its snapshot now: frames from here on reach it live.
  lateMembership.buffer = null
  feeds.deliver(feed, '{"m":2}')
  await nextTurn()
  t.same(decode(...live.written), ['[{"m":1},{"m":2}]'], 'a live member: both frames in one message')
  t.same(joiningMembership.buffer, ['{"m":1}', '{"m":2}'], 'a joining member: buffered, not sent')
  t.equal(joining.written.length, 0)
  t.same(sent, ['{"m":2}'], 'joined during the batch: only what its buffer missed')
  t.equal(late.written.length, 0)

  // A busy room (deliveries a second × members past the write budget) holds its next batch.
  const [crowd, sockets] = roomOf(2000)
  const busy = feeds.create(crowd)
  for (let i = 0; i < 20; i++) feeds.deliver(busy, `{"m":${i}}`)
  await nextTurn()
  t.equal(sockets[0]!.written.length, 1, 'the first batch goes out at once')
  feeds.deliver(busy, '{"m":20}')
  feeds.deliver(busy, '{"m":21}')
  await nextTurn()
  t.equal(sockets[0]!.written.length, 1, 'the next one is held')
  await new Promise((resolve) => setTimeout(resolve, 60))
  t.same(decode(sockets[1999]!.written[1]!), ['[{"m":20},{"m":21}]'], 'and released within the hold')
  feeds.close(busy)

  // Below the write budget (here 20 frames a second × 500 members = 10,000 writes) nothing waits.
  const [room, listeners] = roomOf(500)
  const steady = feeds.create(room)
  for (let i = 0; i < 20; i++) feeds.deliver(steady, `{"s":${i}}`)
  await nextTurn()
  feeds.deliver(steady, '{"s":20}')
  await nextTurn()
  t.same(listeners[499]!.written.map((frame) => decode(frame)), [[`[${Array.from({ length: 20 }, (_, i) => `{"s":${i}}`).join(',')}]`], ['{"s":20}']],
    'a room under the write budget is flushed in the turn its frames came')
  feeds.close(steady)
  feeds.close(feed)
})

t.test('a join that failed is let go: its membership holds nothing more and leaves the feed', async (t) => {
  const feeds = createFeeds(createOutbox((conn, frame) => conn.write(frame), frameText), createMetrics(new Registry()), 40)
  const failed = hold.joining()
  const feed = feeds.create(new Map())
  feeds.hold(feed, failed)
  feeds.deliver(feed, '{"m":1}')
  t.same(failed.buffer, ['{"m":1}'], 'held while joining')
  hold.abandon(failed)
  feeds.deliver(feed, '{"m":2}')
  t.equal(failed.buffer, null, 'nothing held after the join failed')
  t.equal(feed.joining.size, 0, 'the feed forgot it')
  feeds.close(feed)
})
