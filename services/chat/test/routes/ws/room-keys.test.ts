import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { singleRedisOnly, startCluster } from '../../helpers/cluster.js'

const ROOMS = 1000
const PER_CONNECTION = LIMITS.roomsPerConnection

/**
 * Issue 14, item 6: joining and reading made-up rooms left two keys without a TTL per room
 * (`log-epoch:*`, read markers). Against a real redis-server: every key made per request expires,
 * except the room's log and epoch once it has a message (the room's history, bounded by
 * ROOM_HISTORY) and, since public rooms keep rosters (issue 15), what a join makes: the room's
 * record and the joiner's index entry, bounded by the rooms a user may make an hour
 * (NEW_ROOMS_PER_HOUR, here just enough for each prober's 50, and the first to join the room that
 * has a message, which takes it over) and may be in (MAX_ROOMS_PER_USER).
 */
t.test('joining, reading and marking 1,000 made-up rooms leaves no key without a TTL but the rooms joined', { skip: singleRedisOnly('KEYS and PTTL on its one server') }, async (t) => {
  const cluster = await startCluster(t, 'redis', { instances: 1, env: { NEW_ROOMS_PER_HOUR: PER_CONNECTION + 1 } })
  const admin = new Redis(cluster.redis!.url)
  t.teardown(() => { admin.disconnect() })
  const real = 'real-room'
  const id = await cluster.post(real, 'a message')

  const connections = await Promise.all(Array.from({ length: ROOMS / PER_CONNECTION }, async (_, c) => {
    const client = await cluster.connect(0, { sub: `prober-${c}`, sid: `p${c}` })
    const rooms = Array.from({ length: PER_CONNECTION }, (_, i) => `made-up-${c * PER_CONNECTION + i}`)
    for (const room of rooms) client.send({ type: 'join', room, since: '0-0', epoch: 'made-up' })
    await client.waitForCount((f) => f.type === 'joined', PER_CONNECTION, 20_000)
    // Paced to the frame budget (LIMITS.frameBurst, then framesPerSecond): 50 frames, a second's pause, 50 more.
    for (const room of rooms) client.send({ type: 'read', room, id: '0-0' })
    await client.waitForCount((f) => f.type === 'error' && f.code === 'bad_frame', PER_CONNECTION, 20_000)
    await sleep(1100)
    for (const room of rooms) client.send({ type: 'history', room, before: '99999999999999-0' })
    await client.waitForCount((f) => f.type === 'history', PER_CONNECTION, 20_000)
    return client
  }))
  const marker = connections[0]!
  await sleep(200)
  marker.send({ type: 'leave', room: 'made-up-0' })
  await cluster.join(marker, real)
  marker.send({ type: 'read', room: real, id })
  marker.send({ type: 'read', room: real, id: '99999999999999-0' })
  await marker.waitFor((f) => f.type === 'read' && f.room === real, 5000, 'the real read broadcast')
  await marker.waitFor((f) => f.type === 'error' && f.code === 'bad_frame' && f.ref === real, 5000, 'a read past the last message refused')

  const keys = await admin.keys(`${cluster.prefix}*`)
  const forever: string[] = []
  for (const key of keys) if (await admin.pttl(key) === -1) forever.push(key.slice(cluster.prefix.length))
  const joinedRooms = [real, ...Array.from({ length: ROOMS }, (_, i) => `made-up-${i}`)]
  const probers = Array.from({ length: ROOMS / PER_CONNECTION }, (_, c) => `prober-${c}`)
  t.same(forever.sort(), [
    `log-epoch:room-log:${real}`, `log-seq:room-log:${real}`, `log:room-log:${real}`,
    ...joinedRooms.map((room) => `map:room:{${room}}`), ...probers.map((user) => `map:user-rooms:{${user}}`)
  ].sort(), 'only the log, epoch and message number of the room that has a message, and the record of each room joined and each joiner\'s list')
  t.ok(keys.length < 4 * ROOMS + 50, `${keys.length} keys while 1,000 rooms are joined (presence, with a TTL, and the rooms' records)`)
  t.ok(await admin.pttl(`${cluster.prefix}kv:read:${real}:prober-0`) > 0, 'the read marker of the real room expires')
  t.equal(await admin.exists(`${cluster.prefix}kv:read:made-up-1:prober-0`), 0, 'no marker for a room without messages')

  await Promise.all(connections.map(async (c) => await c.close()))
  const left = async (): Promise<string[]> => (await admin.keys(`${cluster.prefix}*`)).map((key) => key.slice(cluster.prefix.length))
  for (let i = 0; i < 100 && (await left()).some((key) => key.startsWith('presence')); i++) await sleep(50)
  t.same((await left()).filter((key) => key.includes('made-up') && !key.startsWith('map:room:')), [], 'once the probers left, nothing of the made-up rooms but their records')
})
