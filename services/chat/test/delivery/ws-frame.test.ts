import t from 'tap'
import { frameText, payloadOf } from '../../src/delivery/ws-frame.js'
import { decode } from '../helpers/recipients.js'

t.test('frameText makes one unmasked text frame at each length encoding', async (t) => {
  for (const length of [0, 1, 125, 126, 65_535, 65_536, 200_000]) {
    const text = 'é'.repeat(Math.floor(length / 2)) + 'x'.repeat(length % 2)
    const frame = frameText(text)
    t.equal(frame[0], 0x81, `FIN + text opcode at ${length}`)
    t.equal(frame[1]! & 0x80, 0, 'not masked')
    t.same(decode(frame), [text], `decodes at ${length} bytes`)
    t.equal(payloadOf(frame).toString('utf8'), text, `its payload at ${length} bytes`)
  }
})
