import t from 'tap'
import * as hold from '../../src/delivery/hold.js'
import { frameOf } from '../../src/delivery/message-frame.js'

const message = (id: string): string => frameOf(id, '{"ts":1,"room":"r","user":{"id":"u","name":"U"},"text":"t"}')
const TYPING = '{"type":"typing","room":"r","user":{"id":"u","name":"U"}}'

/** Records what a membership's socket is sent. */
function recipient (): { send (payload: string): boolean, sent: string[] } {
  const sent: string[] = []
  return { sent, send: (payload) => { sent.push(payload); return true } }
}

t.test('a membership: JOINING holds live frames and is JOINED once its snapshot went out', async (t) => {
  const m = hold.joining()
  t.same(m, { state: 'joining', buffer: [], heldUpTo: 0, presenceAt: 0 }, 'JOINING: holds from the start')
  t.equal(hold.holdFrame(m, message('1-0'), 7), true, 'a live frame is held')
  t.equal(hold.holdFrame(m, TYPING, 8), true)
  t.equal(hold.holdFrame(m, message('3-0'), 9), true)
  t.same(m.buffer, [message('1-0'), TYPING, message('3-0')])
  t.equal(m.heldUpTo, 9, 'the feed number of the last frame held')
  t.equal(hold.refresh(m), false, 'a join again while JOINING waits for the pending `joined`')

  const to = recipient()
  hold.release(m, to, '2-0')
  t.same(to.sent, [TYPING, message('3-0')], 'sent: non-messages, and messages after the cutoff, in order')
  t.same({ state: m.state, buffer: m.buffer }, { state: 'joined', buffer: null }, 'JOINED')
  t.equal(hold.holdFrame(m, message('4-0'), 10), false, 'JOINED holds nothing')
  t.equal(m.heldUpTo, 9)
})

t.test('a membership: REFRESHING holds again; its snapshot releases, its failure settles', async (t) => {
  const m = hold.joining()
  hold.release(m, recipient(), '0-0')
  t.equal(hold.refresh(m), true, 'JOINED → REFRESHING')
  t.same({ state: m.state, buffer: m.buffer }, { state: 'joined', buffer: [] })
  t.equal(hold.refresh(m), false, 'not twice at once')
  hold.holdFrame(m, message('5-0'), 3)
  hold.holdFrame(m, message('6-0'), 4)
  const released = recipient()
  hold.release(m, released, '5-0')
  t.same(released.sent, [message('6-0')], 'the snapshot covered 5-0')
  t.equal(m.buffer, null, 'JOINED again')

  t.equal(hold.refresh(m), true)
  hold.holdFrame(m, message('7-0'), 5)
  hold.holdFrame(m, TYPING, 6)
  const failed = recipient()
  hold.settle(m, failed)
  t.same(failed.sent, [TYPING], 'a failed snapshot: held non-messages go out, messages do not')
  t.same({ state: m.state, buffer: m.buffer }, { state: 'joined', buffer: null }, 'JOINED')
  const after = recipient()
  hold.settle(m, after)
  t.same(after.sent, [], 'settling a JOINED membership (its snapshot went out) sends nothing')
})

t.test('a membership: leave and close go LEFT from any state; a failed join abandons', async (t) => {
  const joining = hold.joining()
  t.equal(hold.leave(joining), false, 'JOINING → LEFT: not attached yet, the join undoes itself')
  t.same({ state: joining.state, buffer: joining.buffer }, { state: 'left', buffer: null })
  t.equal(hold.holdFrame(joining, TYPING, 1), false, 'LEFT holds nothing')
  t.equal(hold.refresh(joining), false, 'LEFT is final')

  const joined = hold.joining()
  hold.release(joined, recipient(), '0-0')
  t.equal(hold.leave(joined), true, 'JOINED → LEFT: the caller detaches it')
  t.equal(joined.state, 'left')

  const refreshing = hold.joining()
  hold.release(refreshing, recipient(), '0-0')
  hold.refresh(refreshing)
  hold.holdFrame(refreshing, TYPING, 1)
  t.equal(hold.leave(refreshing), true, 'REFRESHING → LEFT: attached too')
  t.same({ state: refreshing.state, buffer: refreshing.buffer }, { state: 'left', buffer: null })
  const late = recipient()
  hold.settle(refreshing, late)
  t.same(late.sent, [], 'its snapshot, failing after the leave, sends nothing')

  const failed = hold.joining()
  hold.holdFrame(failed, TYPING, 1)
  hold.abandon(failed)
  t.same(failed, { state: 'left', buffer: null, heldUpTo: 1, presenceAt: 0 }, 'a failed join: LEFT, holding nothing')
  t.equal(hold.holdFrame(failed, TYPING, 2), false, 'so the feed stops filling it')
})

t.test('a membership joined during a batch gets the rest of it, frame by frame', async (t) => {
  const m = hold.joining()
  // The batch numbers 10 to 13; frames 10 and 11 were held, then the snapshot went out.
  hold.holdFrame(m, 'a', 10)
  hold.holdFrame(m, 'b', 11)
  hold.release(m, recipient(), '0-0')
  const to = recipient()
  hold.sendRest(to, m, ['a', 'b', 'c', 'd'], 10)
  t.same(to.sent, ['c', 'd'])
})

interface Room extends hold.RoomHold { ready: Promise<void>, log: string[], relayed: string[], reads: number }
const room = (ready: Promise<void> = Promise.resolve()): Room =>
  ({ pending: null, catchingUp: false, again: false, ready, log: [], relayed: [], reads: 0 })
const tick = async (): Promise<void> => await new Promise((resolve) => setImmediate(resolve))

/** An outage whose log reads wait for `gate()` to be called, relaying held messages to `relayed`. */
function outageOf (): { outage: hold.Outage<Room>, gate: () => void } {
  const waiting: Array<() => void> = []
  const outage = hold.createOutage<Room>(async (r) => {
    r.reads++
    await new Promise<void>((resolve) => waiting.push(resolve))
    r.relayed.push(...r.log.splice(0))
  }, (r, payload) => { if (!hold.holdRelayed(r, payload)) r.relayed.push(payload) })
  return { outage, gate: () => { for (const open of waiting.splice(0)) open() } }
}

t.test('a room: LIVE, HOLDING while pub/sub is lost, CATCHING_UP, LIVE with what it held', async (t) => {
  const { outage, gate } = outageOf()
  const r = room()
  t.equal(hold.holdRelayed(r, 'm1'), false, 'LIVE relays at once')
  outage.interrupt([r])
  t.same(r.pending, [], 'HOLDING')
  t.equal(hold.holdRelayed(r, 'm4'), true, 'a relayed message is held')
  r.log.push('m2', 'm3')
  const resumed = outage.resume([r])
  await tick()
  t.same({ catchingUp: r.catchingUp, again: r.again, reads: r.reads }, { catchingUp: true, again: false, reads: 1 }, 'CATCHING_UP: reads the log')
  t.equal(hold.holdRelayed(r, 'm5'), true, 'still holding while it reads')
  gate()
  const results = await resumed
  t.same(results.map((result) => result.status), ['fulfilled'])
  t.same(r.relayed, ['m2', 'm3', 'm4', 'm5'], 'the log first, then what was held, in order')
  t.same({ pending: r.pending, catchingUp: r.catchingUp }, { pending: null, catchingUp: false }, 'LIVE')
})

t.test('a room: back again while catching up reads once more (AGAIN); lost again keeps HOLDING', async (t) => {
  const { outage, gate } = outageOf()
  const r = room()
  outage.interrupt([r])
  const first = outage.resume([r])
  await tick()
  const second = outage.resume([r])
  await tick()
  t.equal(r.again, true, 'AGAIN')
  await second
  gate()
  await tick()
  t.same({ reads: r.reads, again: r.again, catchingUp: r.catchingUp }, { reads: 2, again: false, catchingUp: true }, 'CATCHING_UP: the log once more')
  gate()
  await first
  t.same({ reads: r.reads, pending: r.pending, catchingUp: r.catchingUp }, { reads: 2, pending: null, catchingUp: false }, 'then LIVE')

  outage.interrupt([r])
  const third = outage.resume([r])
  await tick()
  outage.interrupt([r])
  hold.holdRelayed(r, 'm9')
  gate()
  await third
  t.same({ pending: r.pending, catchingUp: r.catchingUp }, { pending: ['m9'], catchingUp: false }, 'lost during the read: HOLDING still')
  t.same(r.relayed, [], 'nothing relayed')
  const fourth = outage.resume([r])
  await tick()
  gate()
  await fourth
  t.same(r.relayed, ['m9'], 'the next catch-up lets it go')
  t.equal(r.pending, null, 'LIVE')
})

t.test('rooms of one lost shard hold; the others stay LIVE, and a shard coming back does not release another', async (t) => {
  const { outage, gate } = outageOf()
  const [a, b, c] = [room(), room(), room()]
  outage.interrupt([a])
  t.equal(hold.holdRelayed(b, 'b1'), false, 'a room outside the interrupt relays at once')
  t.equal(hold.holdRelayed(a, 'a1'), true, 'the lost shard\'s room holds')
  outage.interrupt([c])
  const aBack = outage.resume([a])
  await tick()
  t.same([a.reads, c.reads], [1, 0], 'only the room that came back reads its log')
  gate()
  await aBack
  t.same({ relayed: a.relayed, pending: a.pending }, { relayed: ['a1'], pending: null }, 'it is LIVE again')
  t.same(c.pending, [], 'the other lost shard\'s room keeps HOLDING')
  t.equal(hold.holdRelayed(c, 'c1'), true)
  const cBack = outage.resume([c])
  await tick()
  gate()
  await cBack
  t.same(c.relayed, ['c1'], 'until its own shard is back')
})

t.test('a room whose subscription failed drops its hold and reads nothing', async (t) => {
  const { outage } = outageOf()
  const ready = Promise.reject(new Error('no subscription'))
  ready.catch(() => {})
  const r = room(ready)
  outage.interrupt([r])
  hold.holdRelayed(r, 'm1')
  await outage.resume([r])
  t.same({ pending: r.pending, reads: r.reads, relayed: r.relayed }, { pending: null, reads: 0, relayed: [] })
})
