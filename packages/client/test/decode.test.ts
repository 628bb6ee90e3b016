import t from 'tap'
import { decodePayload } from '../src/decode.js'

const ready = { type: 'ready', user: { id: 'u1', name: 'Ana' }, connectionId: 'c1' }
const typing = { type: 'typing', room: 'lobby', user: { id: 'u1', name: 'Ana' } }

t.test('one frame or an array of frames', async (t) => {
  t.same(decodePayload(JSON.stringify(ready)), { frames: [ready], dropped: 0 })
  t.same(decodePayload(JSON.stringify([ready, typing])), { frames: [ready, typing], dropped: 0 })
  t.same(decodePayload(new TextEncoder().encode(JSON.stringify(typing))), { frames: [typing], dropped: 0 }, 'binary data')
  t.same(decodePayload(new TextEncoder().encode(JSON.stringify(typing)).buffer), { frames: [typing], dropped: 0 }, 'ArrayBuffer')
})

t.test('drops what breaks the contract, never throws', async (t) => {
  t.same(decodePayload('{'), { frames: [], dropped: 1 })
  t.same(decodePayload(42), { frames: [], dropped: 1 })
  t.same(decodePayload('null'), { frames: [], dropped: 1 })
  t.same(decodePayload('[1, "x", null, {"type":"__proto__"}, {"type":"toString"}]'), { frames: [], dropped: 5 })
  t.same(decodePayload(JSON.stringify([{ ...typing, room: 'Bad Room' }, typing, { ...ready, extra: true }])), { frames: [typing], dropped: 2 })
  t.same(decodePayload(JSON.stringify({ type: 'message', room: 'lobby', id: 'x', user: { id: 'u', name: 'n' }, text: 't', ts: 1 })).dropped, 1, 'bad message id')
})
