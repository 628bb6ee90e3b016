import type { Socket } from 'node:net'
import { ERROR_CODES, parseClientFrame, serverFrameValidators, type ErrorCode, type ServerFrameType } from '@webchat/shared'
import { expectedClose, type Fuzz } from './fuzz-frames.js'
import type { Frame, RawClient } from './raw-client.js'

/** What happened to one fuzz frame. */
export interface Outcome {
  fuzz: Fuzz
  /** The close code when the socket closed on it. */
  closed?: number
  answers: Frame[]
  /** Why the answer breaks the contract, or undefined when it is right. */
  wrong?: string
}

const hasOwn = Object.prototype.hasOwnProperty
const isServerFrame = (f: Frame): boolean =>
  hasOwn.call(serverFrameValidators, f.type) && serverFrameValidators[f.type as ServerFrameType](f)

/** Error codes a refused text frame may get: the parser's, refined for rooms and long texts. */
function allowedCodes (text: string): ErrorCode[] | null {
  const parsed = parseClientFrame(text)
  if (parsed.ok) return null
  return parsed.code === 'bad_frame' ? ['bad_frame', 'invalid_room', 'text_too_long'] : [parsed.code]
}

function put (client: RawClient, fuzz: Fuzz): void {
  const ws = client.ws
  switch (fuzz.kind) {
    case 'text': {
      const bytes = Buffer.from(fuzz.text)
      const n = Math.min(fuzz.fragments ?? 1, Math.max(1, bytes.length))
      const size = Math.ceil(bytes.length / n)
      if (n <= 1) { ws.send(fuzz.text); return }
      for (let i = 0; i < n; i++) ws.send(bytes.subarray(i * size, (i + 1) * size), { binary: false, fin: i === n - 1 })
      return
    }
    case 'binary': ws.send(fuzz.bytes, { binary: true }); return
    case 'bad-utf8': ws.send(Buffer.from(fuzz.bytes), { binary: false }); return
    case 'fragment-flood':
      for (let i = 0; i < fuzz.count; i++) ws.send(Buffer.from('['), { binary: false, fin: false }, () => {})
      return
    case 'protocol': (ws as unknown as { _socket: Socket })._socket.write(fuzz.bytes)
  }
}

/**
 * Sends one fuzz frame followed by a probe (`leave` of a room never joined, always answered by
 * `error not_joined` with the probe's room as `ref`, and never counted as abuse): everything
 * between the two answers belongs to the fuzz frame. Judges it against the contract.
 */
export async function fuzzOnce (client: RawClient, fuzz: Fuzz, probe: string): Promise<Outcome> {
  const from = client.frames.length
  put(client, fuzz)
  if (client.ws.readyState === client.ws.OPEN) client.ws.send(JSON.stringify({ type: 'leave', room: probe }), () => {})
  const answered = await Promise.race([
    client.waitFor((f) => f.type === 'error' && f.ref === probe, 10_000, from).then(() => 'probe' as const, () => 'timeout' as const),
    client.closed.then(() => 'closed' as const)
  ])
  const answers = client.frames.slice(from).filter((f) => !(f.type === 'error' && f.ref === probe))
  const outcome: Outcome = { fuzz, answers }
  const mustClose = expectedClose(fuzz)
  if (answered === 'timeout') {
    outcome.wrong = 'no answer within 10 s'
    return outcome
  }
  if (answered === 'closed') {
    outcome.closed = (await client.closed).code
    if (outcome.closed !== mustClose) outcome.wrong = `closed with ${outcome.closed}, expected ${mustClose ?? 'no close'}`
    return outcome
  }
  if (mustClose !== null) {
    outcome.wrong = `still open, expected a close with ${mustClose}`
    return outcome
  }
  const invalid = answers.filter((f) => !isServerFrame(f))
  if (invalid.length > 0) {
    outcome.wrong = `answers outside the contract: ${JSON.stringify(invalid).slice(0, 300)}`
    return outcome
  }
  const errors = answers.filter((f) => f.type === 'error')
  const serverFault = errors.find((f) => f.code === 'internal' || f.code === 'unavailable' || !(ERROR_CODES as readonly unknown[]).includes(f.code))
  if (serverFault !== undefined) {
    outcome.wrong = `server fault: ${JSON.stringify(serverFault)}`
    return outcome
  }
  const allowed = fuzz.kind === 'binary' ? ['bad_frame'] : fuzz.kind === 'text' ? allowedCodes(fuzz.text) : null
  if (allowed !== null) {
    const codes = errors.map((f) => f.code as string)
    if (codes.length !== 1 || !allowed.includes(codes[0] as ErrorCode)) outcome.wrong = `answered ${JSON.stringify(codes)}, expected one of ${JSON.stringify(allowed)}`
  }
  return outcome
}
