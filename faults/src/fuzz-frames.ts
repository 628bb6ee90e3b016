import fc from 'fast-check'
import { CLIENT_MSG_ID_PATTERN, LIMITS, ROOM_NAME_PATTERN } from '@webchat/shared'

/**
 * One hostile thing a client can put on its socket, and how the server must answer it: a text
 * frame (answered by `error` frames, or closed with 1009 when over the frame limit), a binary frame
 * (`error bad_frame`), a text frame of invalid UTF-8 (1007), a message split into fragments
 * (more than 16: 1008; otherwise one message), or raw bytes breaking RFC 6455 (1002).
 */
export type Fuzz =
  | { kind: 'text', text: string, fragments?: number }
  | { kind: 'binary', bytes: Uint8Array }
  | { kind: 'bad-utf8', bytes: Uint8Array }
  | { kind: 'fragment-flood', count: number }
  | { kind: 'protocol', name: string, bytes: Uint8Array }

/** Close code a fuzz frame must get, or null when it must be answered with frames. */
export function expectedClose (fuzz: Fuzz): number | null {
  switch (fuzz.kind) {
    case 'text': return Buffer.byteLength(fuzz.text) > LIMITS.frameBytes ? 1009 : null
    case 'binary': return fuzz.bytes.length > LIMITS.frameBytes ? 1009 : null
    case 'bad-utf8': return 1007
    case 'fragment-flood': return 1008
    case 'protocol': return 1002
  }
}

const TYPES = ['join', 'leave', 'send', 'typing', 'read', 'history', 'refresh']
const room = fc.oneof(
  fc.stringMatching(new RegExp(ROOM_NAME_PATTERN)),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('', 'Général', 'a'.repeat(65), 'room with spaces', '../../etc', 'zz\u0000'),
  fc.anything()
)
const messageId = fc.oneof(
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => `${a}-${b}`),
  fc.constantFrom('0-0', '99999999999999-0', '1-', '-1', 'abc', '18446744073709551616-0'),
  fc.anything()
)
const text = fc.oneof(
  fc.string({ maxLength: 100 }),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.integer({ min: LIMITS.textChars - 2, max: LIMITS.textChars + 2000 }).map((n) => 'é'.repeat(n)),
  fc.constantFrom('', '   ', '\u0000', '<script>alert(1)</script>', '\ud800', '🙂'.repeat(4001)),
  fc.anything()
)
const value = fc.oneof(fc.anything(), room, messageId, text)

/** A frame object of a known type with fields right, wrong, missing or extra. */
const frameObject = fc.record({
  type: fc.oneof(fc.constantFrom(...TYPES), fc.constantFrom('', 'JOIN', 'message', 'ack', 'constructor', '__proto__', 'toString'), fc.anything()),
  room,
  text,
  clientMsgId: fc.oneof(fc.stringMatching(new RegExp(CLIENT_MSG_ID_PATTERN)), fc.string({ maxLength: 80 }), fc.anything()),
  since: messageId,
  epoch: fc.oneof(fc.string({ maxLength: 70 }), fc.anything()),
  before: messageId,
  id: messageId,
  limit: fc.oneof(fc.integer(), fc.double(), fc.anything()),
  token: fc.oneof(fc.string({ maxLength: 300 }), fc.constant('eyJhbGciOiJub25lIn0.e30.'), fc.anything())
}, { requiredKeys: [] }).chain((base) => fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 3 })
  .map((extra) => ({ ...extra, ...base })))

/** Keys that would pollute prototypes if a parser assigned them. */
const POLLUTION = ['since', 'epoch', 'limit', 'clientMsgId', 'before', 'polluted', 'isAdmin', 'ALLOW_NO_ORIGIN']
const protoText = fc.tuple(fc.constantFrom(...TYPES), fc.subarray(POLLUTION, { minLength: 1 }), fc.constantFrom('top', 'nested', 'constructor'))
  .map(([type, keys, where]) => {
    const payload = Object.fromEntries(keys.map((k) => [k, k === 'limit' ? 1 : k === 'since' ? '1-0' : true]))
    const poison = where === 'constructor' ? `"constructor":{"prototype":${JSON.stringify(payload)}}` : `"__proto__":${JSON.stringify(payload)}`
    return where === 'nested'
      ? `{"type":"${type}","room":{${poison}},"text":"x","clientMsgId":"p"}`
      : `{"type":"${type}","room":"proto",${poison}}`
  })

const deepText = fc.tuple(fc.integer({ min: 50, max: 9000 }), fc.constantFrom('array', 'object', 'in-field'))
  .map(([depth, shape]) => shape === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : shape === 'object'
      ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
      : `{"type":"send","room":"deep","clientMsgId":"d","text":${'['.repeat(depth)}${']'.repeat(depth)}}`)

const hugeText = fc.integer({ min: LIMITS.frameBytes - 64, max: LIMITS.frameBytes + 4096 })
  .map((n) => `{"type":"send","room":"huge","clientMsgId":"h","text":"${'x'.repeat(n)}"}`)

const malformed = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.json().map((json) => json.slice(0, Math.max(0, json.length - 1))),
  fc.json(),
  fc.constantFrom('', ' ', 'null', 'true', '1e400', '"x"', '[]', '{}', '{"type":', '{"type":"join"', '\uFEFF{"type":"join","room":"a"}',
    '{"type":"join","room":"a","room":"b"}', '{"type":"join","room":"a"}garbage')
)

/** Invalid UTF-8 inside a text frame: lone continuation bytes, overlongs, surrogates, truncations. */
const badUtf8 = fc.tuple(
  fc.constantFrom([0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0xe2, 0x82], [0xc3, 0x28]),
  fc.string({ maxLength: 20 })
).map(([bad, around]) => Buffer.concat([Buffer.from(`{"type":"send","room":"u","clientMsgId":"u","text":"${around.replace(/["\\]/g, '')}`), Buffer.from(bad), Buffer.from('"}')]))

/** Masked client frame bytes: FIN/RSV/opcode byte, then the payload. */
function rawFrame (first: number, payload: Buffer, mask = true): Buffer {
  const len = payload.length
  const head = len < 126 ? Buffer.from([first, (mask ? 0x80 : 0) | len]) : Buffer.from([first, (mask ? 0x80 : 0) | 126, len >> 8, len & 0xff])
  if (!mask) return Buffer.concat([head, payload])
  const key = Buffer.from([1, 2, 3, 4])
  return Buffer.concat([head, key, Buffer.from(payload.map((b, i) => b ^ key[i % 4]!))])
}

const protocol = fc.constantFrom(
  { name: 'unmasked frame', bytes: rawFrame(0x81, Buffer.from('{"type":"leave","room":"x"}'), false) },
  { name: 'reserved opcode 0x3', bytes: rawFrame(0x83, Buffer.from('x')) },
  { name: 'reserved opcode 0xB', bytes: rawFrame(0x8b, Buffer.from('x')) },
  { name: 'RSV1 without an extension', bytes: rawFrame(0xc1, Buffer.from('{}')) },
  { name: 'ping over 125 bytes', bytes: rawFrame(0x89, Buffer.alloc(126, 1)) },
  { name: 'fragmented ping', bytes: rawFrame(0x09, Buffer.from('x')) },
  { name: 'continuation without a start', bytes: rawFrame(0x80, Buffer.from('x')) }
).map(({ name, bytes }) => ({ name, bytes: new Uint8Array(bytes) }))

/** Every kind of hostile frame, weighted so that most keep the socket open (closes end a batch). */
export const fuzzFrame: fc.Arbitrary<Fuzz> = fc.oneof(
  { weight: 30, arbitrary: frameObject.map((o) => ({ kind: 'text' as const, text: JSON.stringify(o) ?? 'null' })) },
  { weight: 15, arbitrary: malformed.map((t) => ({ kind: 'text' as const, text: t })) },
  { weight: 8, arbitrary: protoText.map((t) => ({ kind: 'text' as const, text: t })) },
  { weight: 6, arbitrary: deepText.map((t) => ({ kind: 'text' as const, text: t })) },
  { weight: 3, arbitrary: hugeText.map((t) => ({ kind: 'text' as const, text: t })) },
  { weight: 8, arbitrary: fc.tuple(frameObject, fc.integer({ min: 2, max: 16 })).map(([o, n]) => ({ kind: 'text' as const, text: JSON.stringify(o) ?? 'null', fragments: n })) },
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => ({ kind: 'binary' as const, bytes })) },
  { weight: 1, arbitrary: badUtf8.map((bytes) => ({ kind: 'bad-utf8' as const, bytes: new Uint8Array(bytes) })) },
  { weight: 1, arbitrary: fc.integer({ min: 17, max: 500 }).map((count) => ({ kind: 'fragment-flood' as const, count })) },
  { weight: 1, arbitrary: protocol.map((p) => ({ kind: 'protocol' as const, ...p })) }
)
