import t from 'tap'
import { createBatch } from '../../src/delivery/batch.js'
import { createOutbox, type Recipient } from '../../src/delivery/outbox.js'
import { frameText } from '../../src/delivery/ws-frame.js'
import { decode, fakeRecipient, nextTurn } from '../helpers/recipients.js'

t.test('the outbox sends what a socket gets in one turn as one message', async (t) => {
  const writer = (conn: Recipient, frame: Buffer): boolean => conn.write(frame)
  const outbox = createOutbox(writer, frameText)
  const a = fakeRecipient()
  const b = fakeRecipient()
  const c = fakeRecipient()
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
