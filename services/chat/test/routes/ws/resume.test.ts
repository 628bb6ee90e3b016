import t from 'tap'
import type { Frame } from '../../helpers/client.js'
import { ENGINES, startCluster } from '../../helpers/cluster.js'

const texts = (frames: Frame[] | unknown): string[] => (frames as Array<{ text: string }>).map((m) => m.text)

for (const kind of ENGINES) {
  t.test(`${kind}: resume`, async (t) => {
    const cluster = await startCluster(t, kind, { env: { ROOM_HISTORY: 20, REPLAY_MAX_BYTES: 16 * 1024 } })

    t.test('a client that reconnects with since and epoch gets exactly what it missed, then live ones', async (t) => {
      const sender = await cluster.connect(0, { sub: 'sender', sid: 's' })
      await cluster.join(sender, 'resume')
      const reader = await cluster.connect(1, { sub: 'reader', sid: 'r' })
      const joined = await cluster.join(reader, 'resume')
      for (let i = 0; i < 3; i++) sender.send({ type: 'send', room: 'resume', text: `seen ${i}`, clientMsgId: `s${i}` })
      const seen = await reader.waitForCount((f) => f.type === 'message', 3)
      await reader.close()
      for (let i = 0; i < 4; i++) sender.send({ type: 'send', room: 'resume', text: `missed ${i}`, clientMsgId: `m${i}` })
      await sender.waitForCount((f) => f.type === 'ack', 7)
      const back = await cluster.connect(0, { sub: 'reader', sid: 'r' })
      const resumed = await cluster.join(back, 'resume', { since: seen.at(-1)!.id as string, epoch: joined.epoch as string })
      t.equal(joined.epoch, '0', 'the room had no messages when the reader joined: no epoch yet')
      t.equal(resumed.recovered, true, 'a resume from epoch 0 is one without an epoch')
      t.ok(typeof resumed.epoch === 'string' && resumed.epoch !== '0', 'the epoch the first message made')
      t.same(texts(resumed.messages), ['missed 0', 'missed 1', 'missed 2', 'missed 3'])
      const later = await cluster.connect(1, { sub: 'reader', sid: 'r' })
      const again = await cluster.join(later, 'resume', { since: seen.at(-1)!.id as string, epoch: resumed.epoch as string })
      t.same({ recovered: again.recovered, epoch: again.epoch }, { recovered: true, epoch: resumed.epoch }, 'and stays')
      sender.send({ type: 'send', room: 'resume', text: 'live', clientMsgId: 'live' })
      await back.waitFor((f) => f.type === 'message' && f.text === 'live')
      t.same(texts(back.frames.filter((f) => f.type === 'message')), ['live'], 'no duplicate of the replayed ones')
    })

    t.test('recovered is false when the log no longer reaches back, or the epoch changed', async (t) => {
      const sender = await cluster.connect(0, { sub: 'sender2', sid: 's2' })
      const joined = await cluster.join(sender, 'trimmed')
      sender.send({ type: 'send', room: 'trimmed', text: 'first', clientMsgId: 'first' })
      const first = await sender.waitFor((f) => f.type === 'message')
      for (let i = 0; i < 25; i++) await cluster.post('trimmed', `n${i}`)
      const back = await cluster.connect(1, { sub: 'sender2', sid: 's2' })
      const gone = await cluster.join(back, 'trimmed', { since: first.id as string, epoch: joined.epoch as string })
      t.equal(gone.recovered, false)
      t.same(texts(gone.messages), Array.from({ length: 20 }, (_v, i) => `n${i + 5}`), 'what is left of the log (ROOM_HISTORY = 20)')
      const other = await cluster.connect(1, { sub: 'sender2', sid: 's3' })
      const lost = await cluster.join(other, 'trimmed', { since: first.id as string, epoch: 'another-epoch' })
      t.equal(lost.recovered, false)
      t.equal(lost.epoch, gone.epoch)
      t.not(lost.epoch, joined.epoch, 'the room got its epoch with its first message')
      t.equal((lost.messages as unknown[]).length, 20, 'the latest page')
    })

    t.test('a gap too large for one frame answers like a fresh join, and the socket stays open', async (t) => {
      const sender = await cluster.connect(0, { sub: 'bulk', sid: 'bk' })
      const joined = await cluster.join(sender, 'bulk')
      sender.send({ type: 'send', room: 'bulk', text: 'before', clientMsgId: 'before' })
      const before = await sender.waitFor((f) => f.type === 'message')
      for (let i = 0; i < 8; i++) await cluster.post('bulk', `${i}`.padEnd(3000, '.'))
      const back = await cluster.connect(1, { sub: 'bulk', sid: 'bk' })
      const resumed = await cluster.join(back, 'bulk', { since: before.id as string, epoch: joined.epoch as string })
      t.equal(resumed.recovered, false, '24 KB missed > REPLAY_MAX_BYTES 16 KiB')
      t.equal((resumed.messages as unknown[]).length, 9, 'the latest page (everything, here) instead of the replay')
      await cluster.post('bulk', 'live')
      await back.waitFor((f) => f.type === 'message' && f.text === 'live')
      const small = await cluster.connect(0, { sub: 'bulk', sid: 'bk2' })
      const replay = await cluster.join(small, 'bulk', { since: (resumed.messages as Frame[]).at(-2)!.id as string, epoch: joined.epoch as string })
      t.equal(replay.recovered, true, 'a small gap still replays')
      t.same(texts(replay.messages), [`7`.padEnd(3000, '.'), 'live'])
    })

    t.test('no gap and no duplicate when messages flow while joining', async (t) => {
      const senders = await Promise.all([0, 1].map(async (i) => await cluster.connect(i, { sub: `flood${i}`, sid: `f${i}` })))
      for (const s of senders) await cluster.join(s, 'busy')
      const reader = await cluster.connect(0, { sub: 'busy-reader', sid: 'br' })
      const first = await cluster.join(reader, 'busy')
      await reader.close()
      let sent = 0
      const pump = setInterval(() => {
        for (const s of senders) if (sent < 40) s.send({ type: 'send', room: 'busy', text: `b${sent}`, clientMsgId: `b${sent++}` })
      }, 60)
      t.teardown(() => clearInterval(pump))
      await senders[0]!.waitForCount((f) => f.type === 'message', 6)
      const back = await cluster.connect(1, { sub: 'busy-reader', sid: 'br2' })
      const since = (await senders[0]!.waitForCount((f) => f.type === 'message', 6))[5]!.id as string
      const resumed = await cluster.join(back, 'busy', { since, epoch: first.epoch as string })
      await senders[0]!.waitForCount((f) => f.type === 'ack', 20, 10_000)
      await senders[1]!.waitForCount((f) => f.type === 'ack', 20, 10_000)
      const all = await senders[0]!.waitForCount((f) => f.type === 'message', 40, 10_000)
      const afterSince = all.slice(6).map((m) => m.id)
      await back.waitFor((f) => f.type === 'message' && f.id === afterSince.at(-1), 10_000)
      const got = [...(resumed.messages as Frame[]), ...back.frames.filter((f) => f.type === 'message')].map((m) => m.id)
      t.same(got, afterSince, 'every later message exactly once, in order')
    })
  })
}
