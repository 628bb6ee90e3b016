import type { FastifyBaseLogger } from 'fastify'
import t from 'tap'
import { createMemoryEngine } from '@webchat/engine'
import { Registry } from 'prom-client'
import { Receiver } from 'ws'
import type { Connection } from '../src/connection/connection.js'
import type { Membership } from '../src/connection/membership.js'
import { createBatch, createOutbox } from '../src/connection/outbox.js'
import type { Config } from '../src/config.js'
import { encodeBody, framePublish } from '../src/message-frame.js'
import { names } from '../src/names.js'
import { createMetrics } from '../src/plugins/app/metrics.js'
import { createRooms } from '../src/plugins/app/rooms.js'
import { createFeeds } from '../src/room-feed.js'
import { frameText } from '../src/ws-frame.js'
import { ENGINES, startCluster } from './helpers/cluster.js'

/** Decodes server frames as a client does (ws's own parser), returning the text messages. */
function decode (...frames: Buffer[]): string[] {
  const texts: string[] = []
  const receiver = new Receiver({ isServer: false })
  receiver.on('message', (data: Buffer) => texts.push(data.toString('utf8')))
  for (const frame of frames) receiver.write(frame)
  return texts
}

/** A connection as the outbox sees it: every frame it is given is recorded. */
function fakeConnection (): Connection & { written: Buffer[] } {
  const written: Buffer[] = []
  return { pending: null, written, send: () => true, write: (frame: Buffer) => { written.push(frame); return true } } as unknown as Connection & { written: Buffer[] }
}

/** `size` joined members, and their connections. */
function roomOf (size: number): [Map<Connection, Membership>, Array<ReturnType<typeof fakeConnection>>] {
  const connections = Array.from({ length: size }, fakeConnection)
  return [new Map(connections.map((conn) => [conn, { state: 'joined', buffer: null, heldUpTo: 0 } satisfies Membership])), connections]
}

const nextTurn = async (): Promise<void> => await new Promise((resolve) => setImmediate(resolve))

t.test('frameText makes one unmasked text frame at each length encoding', async (t) => {
  for (const length of [0, 1, 125, 126, 65_535, 65_536, 200_000]) {
    const text = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2)
    const frame = frameText(text)
    t.equal(frame[0], 0x81, `FIN + text opcode at ${length}`)
    t.equal(frame[1]! & 0x80, 0, 'not masked')
    t.same(decode(frame), [text], `decodes at ${length} bytes`)
  }
})

t.test('the outbox sends what a socket gets in one turn as one message', async (t) => {
  const writer = (conn: Connection, frame: Buffer): boolean => conn.write(frame)
  const outbox = createOutbox(writer, frameText)
  const a = fakeConnection()
  const b = fakeConnection()
  const c = fakeConnection()
  outbox.push(a, '{"type":"ack","n":1}')
  outbox.push(a, '{"type":"ack","n":2}')
  outbox.push(b, '{"type":"ack","n":3}')
  t.equal(a.written.length, 0, 'nothing is written before the end of the turn')
  await nextTurn()
  t.same(decode(...a.written), ['[{"type":"ack","n":1},{"type":"ack","n":2}]'], 'two frames: one array')
  t.same(decode(...b.written), ['{"type":"ack","n":3}'], 'a lone frame stays a plain object')

  const batch = createBatch(['{"m":1}', '{"m":2}'], frameText)
  outbox.share(b, batch)
  outbox.share(c, batch)
  t.equal(b.written[1], c.written[0], 'a shared batch: the very same bytes for every socket')
  t.same(decode(c.written[0]!), ['[{"m":1},{"m":2}]'])

  outbox.push(c, '{"type":"ack","n":4}')
  outbox.share(c, batch)
  await nextTurn()
  t.same(decode(c.written[1]!), ['[{"type":"ack","n":4},{"m":1},{"m":2}]'], 'own frames first, then the batch, in one array')

  outbox.push(a, '{"type":"error"}')
  outbox.flushConnection(a)
  t.same(decode(a.written[1]!), ['{"type":"error"}'], 'flushed at once before a close')
  await nextTurn()
  t.equal(a.written.length, 2, 'and not again at the end of the turn')
})

t.test('room feeds: one batch per turn, buffers for joins, held batches when busy', async (t) => {
  const outbox = createOutbox((conn, frame) => conn.write(frame), frameText)
  const feeds = createFeeds(outbox, createMetrics(new Registry()), 40)
  const members = new Map<Connection, Membership>()
  const live = fakeConnection()
  const joining = fakeConnection()
  const late = fakeConnection()
  const joiningMembership: Membership = { state: 'joining', buffer: [], heldUpTo: 0 }
  const lateMembership: Membership = { state: 'joining', buffer: [], heldUpTo: 0 }
  members.set(live, { state: 'joined', buffer: null, heldUpTo: 0 })
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

for (const kind of ENGINES) {
  t.test(`${kind}: a burst arrives complete and in order, sharing messages`, async (t) => {
    const cluster = await startCluster(t, kind)
    const a = await cluster.connect(0, { sub: 'burst-a', sid: 'ba' })
    const b = await cluster.connect(1, { sub: 'burst-b', sid: 'bb' })
    await cluster.join(a, 'burst')
    await cluster.join(b, 'burst')
    const ids = await Promise.all(Array.from({ length: 60 }, async (_, i) => await cluster.post('burst', `m${i}`, i % 2)))
    for (const client of [a, b]) {
      const got = await client.waitForCount((f) => f.type === 'message', 60, 10_000)
      t.same(got.map((m) => m.id), [...ids].sort((x, y) => x.localeCompare(y, 'en', { numeric: true })), 'every message once, in log order')
    }
    // Each message went out together with others at least once (one write per turn, not per frame).
    const framesAtB = b.frames.length
    t.ok(b.messages() < framesAtB, `${framesAtB} frames in ${b.messages()} WebSocket messages`)
  })
}

t.test('a room holds what pub/sub relays between an interrupt and its catch-up: the gap is filled in order', async (t) => {
  const engine = createMemoryEngine()
  t.teardown(() => engine.close())
  const outbox = createOutbox((conn, frame) => conn.write(frame), frameText)
  const config = { fanoutHoldMs: 0, roomHistory: 500 } as Config
  const silent = { info () {}, warn () {}, error () {}, debug () {} } as unknown as FastifyBaseLogger
  const rooms = createRooms({ engine, config, metrics: createMetrics(new Registry()), outbox, log: silent })
  const [, [member]] = roomOf(1)
  await rooms.attach('gap', member!, { state: 'joined', buffer: null, heldUpTo: 0 })
  const append = async (text: string, published: boolean): Promise<string> => {
    const data = encodeBody({ ts: Date.now(), room: 'gap', user: { id: 'u', name: 'U' }, text })
    const options = { maxLen: 500, ...(published ? { publish: { channel: names.roomChannel('gap'), ...framePublish(data) } } : {}) }
    return (await engine.logs.append(names.roomLog('gap'), data, options)).id
  }
  const ids = [await append('before', true)]
  await nextTurn()
  rooms.interrupt()
  // Published while this instance's subscriber was gone: never relayed here.
  ids.push(await append('lost 1', false), await append('lost 2', false))
  // Relayed after the reconnect, before the catch-up ran: held, or it would hide the two above.
  ids.push(await append('after', true))
  await nextTurn()
  await rooms.catchUp()
  await nextTurn()
  const received = (): string[] => member!.written.flatMap((frame) => decode(frame)).flatMap((text) => {
    const value = JSON.parse(text) as { id: string } | Array<{ id: string }>
    return (Array.isArray(value) ? value : [value]).map((m) => m.id)
  })
  t.same(received(), ids, 'every message once, in log order')

  // Lost again while catching up: what comes after the second reconnect waits for the second catch-up.
  rooms.interrupt()
  const first = rooms.catchUp()
  rooms.interrupt()
  await first
  ids.push(await append('lost 3', false), await append('after 2', true))
  await nextTurn()
  await rooms.catchUp()
  await nextTurn()
  t.same(received(), ids, 'a second outage during the catch-up loses nothing either')
  await rooms.close()
})
