import t from 'tap'
import { ENGINES, startCluster } from '../../helpers/cluster.js'

for (const kind of ENGINES) {
  t.test(`${kind}: bad input`, async (t) => {
    // One user joins 51 rooms nobody made yet: more than the rooms a user may make an hour by default.
    const cluster = await startCluster(t, kind, { env: { NEW_ROOMS_PER_HOUR: 100 } })
    const bystander = await cluster.connect(1, { sub: 'bystander', sid: 'by' })
    await cluster.join(bystander, 'calm')
    const speaker = await cluster.connect(0, { sub: 'speaker', sid: 'sp' })
    await cluster.join(speaker, 'calm')
    let spoken = 0
    /** Others keep being served: a message from another client still arrives. */
    const stillServed = async (): Promise<void> => {
      const text = `still ${spoken++}`
      speaker.send({ type: 'send', room: 'calm', text, clientMsgId: `calm-${spoken}` })
      await bystander.waitFor((f) => f.type === 'message' && f.text === text)
    }

    t.test('each malformed frame gets a typed error frame and the socket stays open', async (t) => {
      const c = await cluster.connect(0, { sub: 'fuzzer', sid: 'fz' })
      await cluster.join(c, 'fuzz')
      const cases: Array<[string, string, string?]> = [
        ['not json', 'bad_frame'],
        ['', 'bad_frame'],
        ['[1,2]', 'bad_frame'],
        ['"join"', 'bad_frame'],
        ['{"room":"a"}', 'unknown_type'],
        ['{"type":"shout","room":"a"}', 'unknown_type'],
        ['{"type":"__proto__"}', 'unknown_type'],
        ['{"type":"toString"}', 'unknown_type'],
        ['{"type":"join","room":5}', 'invalid_room'],
        ['{"type":"join","room":"Upper"}', 'invalid_room'],
        ['{"type":"join","room":""}', 'invalid_room'],
        [`{"type":"join","room":"${'a'.repeat(65)}"}`, 'invalid_room'],
        ['{"type":"join","room":"../etc"}', 'invalid_room'],
        ['{"type":"join","room":"fuzz","extra":true}', 'bad_frame', 'fuzz'],
        ['{"type":"join","room":"fuzz","__proto__":{"polluted":1}}', 'bad_frame', 'fuzz'],
        ['{"type":"join","room":"fuzz","constructor":{"prototype":{"polluted":1}}}', 'bad_frame', 'fuzz'],
        ['{"type":"join","room":"fuzz","since":"yesterday"}', 'bad_frame', 'fuzz'],
        ['{"type":"send","room":"fuzz","text":5,"clientMsgId":"c1"}', 'bad_frame', 'c1'],
        ['{"type":"send","room":"fuzz","text":"hi"}', 'bad_frame', 'fuzz'],
        ['{"type":"send","room":"fuzz","text":"","clientMsgId":"c2"}', 'bad_frame', 'c2'],
        [JSON.stringify({ type: 'send', room: 'fuzz', text: 'x'.repeat(4001), clientMsgId: 'c3' }), 'text_too_long', 'c3'],
        [JSON.stringify({ type: 'send', room: 'fuzz', text: '😀'.repeat(4001), clientMsgId: 'c4' }), 'text_too_long', 'c4'],
        ['{"type":"send","room":"fuzz","text":"   ","clientMsgId":"c5"}', 'bad_frame', 'c5'],
        ['{"type":"history","room":"fuzz","before":"1-0","limit":1000}', 'bad_frame', 'fuzz'],
        ['{"type":"history","room":"fuzz","before":"1-0","limit":"5"}', 'bad_frame', 'fuzz'],
        ['{"type":"read","room":"fuzz","id":null}', 'bad_frame', 'fuzz'],
        ['{"type":"typing","room":"nowhere"}', 'not_joined', 'nowhere'],
        ['{"type":"refresh","token":42}', 'bad_frame'],
        ['{"type":"refresh","token":"not-a-jwt"}', 'invalid_token']
      ]
      for (const [raw, code, ref] of cases) {
        const before = c.frames.length
        c.send(raw)
        const error = await c.waitFor((f, i = c.frames.indexOf(f)) => i >= before && f.type === 'error', 3000, `error for ${raw.slice(0, 60)}`)
        t.equal(error.code, code, `${raw.slice(0, 60)} -> ${code}`)
        t.equal(error.ref, ref, `${raw.slice(0, 60)} ref`)
        t.type(error.message, 'string')
      }
      t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution')
      // a text of exactly 4000 characters (astral ones count once) is fine
      c.send({ type: 'send', room: 'fuzz', text: '😀'.repeat(4000), clientMsgId: 'max' })
      await c.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'max')
      c.ws.send(Buffer.from('{"type":"join","room":"bin"}'), { binary: true })
      await c.waitFor((f) => f.type === 'error' && f.message === 'frames must be JSON text')
      t.equal(c.ws.readyState, c.ws.OPEN)
      await stillServed()
    })

    t.test('a frame over 16 KiB closes with 1009', async (t) => {
      const c = await cluster.connect(1, { sub: 'big', sid: 'big' })
      c.send({ type: 'send', room: 'calm', text: 'x'.repeat(16 * 1024), clientMsgId: 'big' })
      t.equal((await c.closed).code, 1009)
      await stillServed()
    })

    t.test('a 16 KiB frame split into many fragments is refused', async (t) => {
      const c = await cluster.connect(0, { sub: 'frag', sid: 'frag' })
      for (let i = 0; i < 40; i++) c.ws.send('{"a":1}', { fin: false })
      t.not((await c.closed).code, 1000)
      await stillServed()
    })

    t.test('at most 50 rooms a connection', async (t) => {
      const c = await cluster.connect(0, { sub: 'collector', sid: 'col' })
      for (let i = 0; i < 50; i++) c.send({ type: 'join', room: `r${i}` })
      await c.waitForCount((f) => f.type === 'joined', 50, 15_000)
      c.send({ type: 'join', room: 'r50' })
      const error = await c.waitFor((f) => f.type === 'error')
      t.same(error, { type: 'error', code: 'too_many_rooms', message: 'a connection may join at most 50 rooms', ref: 'r50' })
      c.send({ type: 'leave', room: 'r0' })
      await cluster.join(c, 'r50')
      t.pass('after leaving one, another may be joined')
    })

    t.test('a send flood gets rate_limited, then sustained abuse closes with 1008', async (t) => {
      const c = await cluster.connect(1, { sub: 'flooder', sid: 'fl' })
      await cluster.join(c, 'calm')
      for (let i = 0; i < 100; i++) c.send({ type: 'send', room: 'calm', text: `spam ${i}`, clientMsgId: `spam-${i}` })
      const closed = await c.closed
      t.equal(closed.code, 1008)
      const limited = c.frames.filter((f) => f.type === 'error' && f.code === 'rate_limited')
      t.ok(limited.length >= 30, `rate_limited errors before the close (${limited.length})`)
      t.match(limited[0], { ref: /^spam-/ })
      await stillServed()
      const stored = bystander.frames.filter((f) => f.type === 'message' && String(f.text).startsWith('spam')).length
      t.ok(stored >= 18 && stored <= 22, `about the burst of 20 stored (${stored})`)
    })

    t.test('a modest burst is only rate limited, not closed', async (t) => {
      const c = await cluster.connect(0, { sub: 'eager', sid: 'eg' })
      await cluster.join(c, 'calm')
      for (let i = 0; i < 25; i++) c.send({ type: 'send', room: 'calm', text: `eager ${i}`, clientMsgId: `e-${i}` })
      await c.waitForCount((f) => f.type === 'ack' || (f.type === 'error' && f.code === 'rate_limited'), 25)
      t.ok(c.frames.filter((f) => f.type === 'error').length >= 3)
      await new Promise((resolve) => setTimeout(resolve, 1100))
      c.send({ type: 'send', room: 'calm', text: 'later', clientMsgId: 'later' })
      await c.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'later')
      t.equal(c.ws.readyState, c.ws.OPEN)
    })
  })
}
