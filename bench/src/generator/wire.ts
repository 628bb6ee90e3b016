import { createHash, randomBytes, randomFillSync } from 'node:crypto'
import { connect, type Socket } from 'node:net'

/**
 * The generators' WebSocket client, the same for every system: a TCP connection with the
 * HTTP/1.1 upgrade written by hand and a frame parser that does only what the bench needs. It
 * costs the generators less than the servers spend per delivery (`ws` cost about as much), so
 * that on two shared cores the measuring processes stay out of the measured latency.
 *
 * Server frames are unmasked (RFC 6455 5.1): lengths are read, text and binary payloads are
 * handed over as views of the received bytes (never decoded here), pings answered, a close
 * answered and ended. Client frames are masked with keys from a random pool (5.3).
 */
export interface WireHandlers {
  /** The server accepted the upgrade (101 with the right Sec-WebSocket-Accept). */
  onOpen (): void
  /** A whole message's payload: a view valid only during the call. */
  onMessage (data: Buffer): void
  /** The upgrade was answered with another status (0: not HTTP, or no answer before the server hung up). */
  onRefused (status: number): void
  /** The connection is gone: the close code the server sent, or 1006. */
  onClose (code: number): void
  onError (code: string): void
}

export interface WireSocket {
  send (text: string): void
  /** Sends a close frame and ends the connection once the server answers (or after a second). */
  close (code: number): void
  isOpen (): boolean
}

export interface WireOptions {
  protocols?: string[]
  origin?: string
  handshakeTimeoutMs?: number
}

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
const HEADER_END = Buffer.from('\r\n\r\n')
const OP_CONTINUATION = 0x0
const OP_TEXT = 0x1
const OP_CLOSE = 0x8
const OP_PING = 0x9

// Masking keys come from a pool refilled from the CSPRNG, 4 bytes a frame (as ws does).
const pool = Buffer.alloc(8192)
let poolAt = pool.length

// Reads land in one buffer shared by every socket of the process (net's `onread`: no stream, no
// allocation per read); a frame split over reads is copied out until its end arrives.
const readBuffer = Buffer.allocUnsafe(256 * 1024)
function maskKey (): Buffer {
  if (poolAt + 4 > pool.length) { randomFillSync(pool); poolAt = 0 }
  poolAt += 4
  return pool.subarray(poolAt - 4, poolAt)
}

/** One masked frame: FIN set, `opcode`, the payload XORed with a fresh key. */
export function maskedFrame (opcode: number, payload: Buffer | string): Buffer {
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length
  const head = length < 126 ? 6 : length < 65_536 ? 8 : 14
  const frame = Buffer.allocUnsafe(head + length)
  frame[0] = 0x80 | opcode
  if (length < 126) frame[1] = 0x80 | length
  else if (length < 65_536) { frame[1] = 0x80 | 126; frame.writeUInt16BE(length, 2) } else { frame[1] = 0x80 | 127; frame.writeUInt32BE(0, 2); frame.writeUInt32BE(length, 6) }
  const key = maskKey()
  key.copy(frame, head - 4)
  if (typeof payload === 'string') frame.write(payload, head, 'utf8')
  else payload.copy(frame, head)
  for (let i = 0; i < length; i++) frame[head + i]! ^= key[i & 3]!
  return frame
}

function upgradeRequest (url: URL, key: string, options: WireOptions): string {
  const lines = [
    `GET ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13'
  ]
  if (options.protocols !== undefined && options.protocols.length > 0) lines.push(`Sec-WebSocket-Protocol: ${options.protocols.join(', ')}`)
  if (options.origin !== undefined) lines.push(`Origin: ${options.origin}`)
  return `${lines.join('\r\n')}\r\n\r\n`
}

/** The status of an upgrade answer, and whether it accepted this key. */
function upgradeAnswer (head: string, accept: string): { status: number, accepted: boolean } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)
  const given = /\r\nsec-websocket-accept:\s*(\S+)/i.exec(head)?.[1]
  return { status, accepted: status === 101 && given === accept }
}

export function openWire (address: string, options: WireOptions, handlers: WireHandlers): WireSocket {
  const url = new URL(address)
  const key = randomBytes(16).toString('base64')
  const accept = createHash('sha1').update(key + GUID).digest('base64')
  const socket: Socket = connect({
    host: url.hostname,
    port: Number(url.port || 80),
    onread: { buffer: readBuffer, callback: (read) => { received(readBuffer.subarray(0, read)); return true } }
  })
  socket.setNoDelay(true)
  let state: 'upgrading' | 'open' | 'closing' | 'closed' = 'upgrading'
  let closeCode = 1006
  let pending: Buffer | null = null
  let fragments: Buffer[] = []
  let failed = false
  const handshake = setTimeout(() => {
    if (state !== 'upgrading') return
    failed = true
    handlers.onError('handshake_timeout')
    socket.destroy()
  }, options.handshakeTimeoutMs ?? 30_000)

  socket.once('connect', () => { socket.write(upgradeRequest(url, key, options)) })

  const frames = (data: Buffer): void => {
    let at = 0
    while (state === 'open' || state === 'closing') {
      if (data.length - at < 2) break
      const b0 = data[at]!
      const b1 = data[at + 1]!
      let length = b1 & 0x7f
      let start = at + 2
      if (length === 126) {
        if (data.length - at < 4) break
        length = data.readUInt16BE(at + 2)
        start = at + 4
      } else if (length === 127) {
        if (data.length - at < 10) break
        length = data.readUInt32BE(at + 2) * 2 ** 32 + data.readUInt32BE(at + 6)
        start = at + 10
      }
      if ((b1 & 0x80) !== 0) { handlers.onError('masked_server_frame'); socket.destroy(); return }
      if (data.length - start < length) break
      const payload = data.subarray(start, start + length)
      at = start + length
      const opcode = b0 & 0x0f
      const fin = (b0 & 0x80) !== 0
      if (opcode === OP_PING) { socket.write(maskedFrame(0xa, payload)); continue }
      if (opcode === OP_CLOSE) {
        closeCode = length >= 2 ? payload.readUInt16BE(0) : 1005
        if (state === 'open') socket.write(maskedFrame(OP_CLOSE, payload.subarray(0, 2)))
        state = 'closing'
        socket.end()
        return
      }
      if (opcode > OP_CLOSE) continue // pong and the like
      if (!fin || (opcode === OP_CONTINUATION && fragments.length > 0)) {
        fragments.push(Buffer.from(payload))
        if (fin) { const whole = Buffer.concat(fragments); fragments = []; handlers.onMessage(whole) }
        continue
      }
      handlers.onMessage(payload)
    }
    pending = at < data.length ? Buffer.from(data.subarray(at)) : null
  }

  const received = (chunk: Buffer): void => {
    const data = pending === null ? chunk : Buffer.concat([pending, chunk])
    pending = null
    if (state !== 'upgrading') { frames(data); return }
    const end = data.indexOf(HEADER_END)
    if (end === -1) { pending = Buffer.from(data); return }
    clearTimeout(handshake)
    const { status, accepted } = upgradeAnswer(data.toString('latin1', 0, end), accept)
    if (!accepted) { handlers.onRefused(status); state = 'closed'; socket.destroy(); return }
    state = 'open'
    handlers.onOpen()
    if (end + 4 < data.length) frames(data.subarray(end + 4))
  }
  socket.on('error', (err: Error & { code?: string }) => { failed = true; handlers.onError(err.code ?? 'socket_error') })
  socket.on('close', () => {
    clearTimeout(handshake)
    const wasUpgrading = state === 'upgrading'
    state = 'closed'
    // Closed during the upgrade without an error of its own: the server hung up on it.
    if (wasUpgrading && !failed) handlers.onRefused(0)
    handlers.onClose(closeCode)
  })

  return {
    send (text) { if (state === 'open') socket.write(maskedFrame(OP_TEXT, text)) },
    close (code) {
      if (state === 'upgrading') { socket.destroy(); return }
      if (state !== 'open') return
      state = 'closing'
      const body = Buffer.allocUnsafe(2)
      body.writeUInt16BE(code, 0)
      socket.write(maskedFrame(OP_CLOSE, body))
      setTimeout(() => socket.destroy(), 1000).unref()
    },
    isOpen: () => state === 'open'
  }
}
