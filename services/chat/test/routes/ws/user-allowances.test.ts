import t from 'tap'
import { LIMITS } from '@webchat/shared'
import { names } from '../../../src/names.js'
import { connect, type TestClient, UpgradeRefused } from '../../helpers/client.js'
import { ENGINES, eventually, startCluster } from '../../helpers/cluster.js'

for (const kind of ENGINES) {
  t.test(`${kind}: what one user may use, however many sockets they open`, async (t) => {
    const cluster = await startCluster(t, kind, { env: { MAX_SOCKETS_PER_USER: 3, NEW_ROOMS_PER_HOUR: 3 } })
    /** A place is given back when the server sees the socket close, a moment after the client does. */
    const connectWhenFree = async (sub: string): Promise<TestClient> => {
      let client: TestClient | undefined
      await eventually(async () => {
        client = await cluster.connect(0, { sub }).catch((err: unknown) => {
          if (err instanceof UpgradeRefused && err.status === 429) return undefined
          throw err
        })
        return client !== undefined
      }, 5000, `a place for ${sub}`)
      return client!
    }

    t.test('a user holds at most MAX_SOCKETS_PER_USER sockets on an instance; closing one frees its place', async (t) => {
      const open = await Promise.all([0, 1, 2].map(async () => await cluster.connect(0, { sub: 'many-tabs' })))
      const refused = await cluster.connect(0, { sub: 'many-tabs' }).then(() => null, (err: unknown) => err)
      t.type(refused, UpgradeRefused)
      t.match(refused, { status: 429, body: { error: 'too_many_connections' } }, 'the fourth is refused before the upgrade')
      const other = await cluster.connect(0, { sub: 'someone-else' })
      t.equal(other.frames[0]!.type, 'ready', 'other users are not affected')
      await open[0]!.close()
      const again = await connectWhenFree('many-tabs')
      t.equal(again.frames[0]!.type, 'ready', 'a place was freed')
      if (cluster.apps.length > 1) {
        const elsewhere = await cluster.connect(1, { sub: 'many-tabs' })
        t.equal(elsewhere.frames[0]!.type, 'ready', 'the bound is per instance')
      }
    })

    t.test('an upgrade refused for its user\'s places leaves its token unused', async (t) => {
      const open = await Promise.all([0, 1, 2].map(async () => await cluster.connect(0, { sub: 'full-house' })))
      const token = await cluster.auth.mint({ sub: 'full-house' })
      const refused = await connect(cluster.wsUrl(0), token).then(() => null, (err: unknown) => err)
      t.match(refused, { status: 429 })
      await open[0]!.close()
      let client: TestClient | undefined
      await eventually(async () => {
        client = await connect(cluster.wsUrl(0), token).catch(() => undefined)
        return client !== undefined
      }, 5000, 'a place, for the same token')
      t.equal((await client!.waitFor((f) => f.type === 'ready')).type, 'ready', 'the refused token opens a socket later: nothing was stored for it')
      await client!.close()
    })

    t.test('a refused or abandoned upgrade gives its place back', async (t) => {
      const token = await cluster.auth.mint({ sub: 'abandoned' })
      const refusedOrigin = await fetch(`${cluster.httpUrl(0)}/ws`, {
        headers: { connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': `webchat.v1, ${token}`, origin: 'http://evil.test' }
      }).catch(() => null)
      t.ok(refusedOrigin === null || refusedOrigin.status === 403, 'refused before a place is taken')
      for (let i = 0; i < 5; i++) {
        const client = await connectWhenFree('abandoned')
        await client.close()
      }
      const all = [await connectWhenFree('abandoned'), await connectWhenFree('abandoned'), await connectWhenFree('abandoned')]
      t.equal(all.length, 3, 'every place was given back')
    })

    t.test('a user\'s sockets share one budget of log bytes read', async (t) => {
      const bulk = 'y'.repeat(3000)
      for (let i = 0; i < 150; i++) await cluster.post('budget-room', bulk)
      const [a, b] = await Promise.all([cluster.connect(0, { sub: 'reader' }), cluster.connect(0, { sub: 'reader' })])
      // ~450 KB in the log: a resume from the start reads it all, past the 256 KiB burst.
      const first = await cluster.join(a!, 'budget-room', { since: '0-0' })
      t.equal((first.messages as unknown[]).length, 150)
      b!.send({ type: 'join', room: 'budget-room', since: '0-0' })
      const answer = await b!.waitFor((f) => (f.type === 'joined' || f.type === 'error') && (f.room === 'budget-room' || f.ref === 'budget-room'))
      t.match(answer, { type: 'error', code: 'rate_limited' }, 'the second socket finds the first one\'s debt')
      const http = await fetch(`${cluster.httpUrl(0)}/api/rooms/budget-room/messages`, { headers: { authorization: `Bearer ${await cluster.auth.mint({ sub: 'reader' })}` } })
      t.equal(http.status, 429, 'and so does HTTP history')
      const other = await cluster.connect(0, { sub: 'other-reader' })
      t.equal((await cluster.join(other, 'budget-room')).type, 'joined', 'another user has their own')
    })

    t.test('a user\'s sockets share one send budget on top of each socket\'s own', async (t) => {
      const tabs = await Promise.all([0, 1, 2].map(async () => await cluster.connect(0, { sub: 'fast-writer' })))
      await cluster.post('writers', 'start')
      for (const tab of tabs) await cluster.join(tab, 'writers')
      const started = Date.now()
      // 18 from each tab at once: within each tab's own burst of 20, 54 in all.
      tabs.forEach((tab, n) => { for (let i = 0; i < 18; i++) tab.send({ type: 'send', room: 'writers', text: `m${i}`, clientMsgId: `t${n}-${i}` }) })
      const answers = await Promise.all(tabs.map(async (tab) => await tab.waitForCount((f) => f.type === 'ack' || (f.type === 'error' && f.code === 'rate_limited'), 18)))
      const seconds = (Date.now() - started) / 1000
      const acked = answers.flat().filter((f) => f.type === 'ack').length
      const most = LIMITS.userSendBurst + Math.ceil(seconds * LIMITS.userSendsPerSecond)
      t.ok(acked >= LIMITS.userSendBurst && acked <= most, `${acked} of 54 stored in ${seconds.toFixed(2)} s (the user's burst ${LIMITS.userSendBurst}, at most ${most})`)
      t.equal(answers.flat().length - acked, 54 - acked, 'the rest refused with rate_limited')
    })

    t.test('a user starts at most NEW_ROOMS_PER_HOUR rooms; joining and sending to rooms that exist is not counted', async (t) => {
      const starter = await cluster.connect(0, { sub: 'starter' })
      const rooms = ['new-1', 'new-2', 'new-3']
      for (const room of rooms) await cluster.join(starter, room)
      starter.send({ type: 'join', room: 'new-4' })
      const refused = await starter.waitFor((f) => f.type === 'error' && f.ref === 'new-4')
      t.match(refused, { code: 'too_many_rooms', message: /3 new rooms in the last hour/ })
      t.equal(await cluster.engine.maps.get(names.roomRecord('new-4'), 'meta'), null, 'nothing stored for the refused room')
      for (const room of rooms) {
        starter.send({ type: 'send', room, text: 'first', clientMsgId: `c-${room}` })
        await starter.waitFor((f) => f.type === 'ack' && f.clientMsgId === `c-${room}`)
      }
      t.pass('the first message of a room the user made costs nothing more')
      const other = await cluster.connect(0, { sub: 'another-starter' })
      await cluster.join(other, 'theirs')
      await cluster.join(starter, 'theirs')
      starter.send({ type: 'send', room: 'theirs', text: 'reply', clientMsgId: 'c-theirs' })
      t.ok(await starter.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'c-theirs'), 'a room someone else made is not counted')
      const second = await cluster.connect(cluster.apps.length - 1, { sub: 'starter' })
      await cluster.join(second, 'new-1')
      second.send({ type: 'join', room: 'new-5' })
      t.match(await second.waitFor((f) => f.type === 'error' && f.ref === 'new-5'), { code: 'too_many_rooms' }, 'counted over all sockets and instances')
      await cluster.join(other, 'new-4')
      other.send({ type: 'send', room: 'new-4', text: 'mine', clientMsgId: 'c-mine' })
      t.ok(await other.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'c-mine'), 'other users start rooms of their own')
    })
  })
}
