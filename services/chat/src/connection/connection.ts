import { randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import { WebSocket } from 'ws'
import { CloseCode, type ErrorCode, LIMITS, type Member, type ServerFrame, type TokenClaims } from '@webchat/shared'
import type { Config } from '../config.js'
import type { Metrics } from '../plugins/app/metrics.js'
import type { Membership } from './membership.js'
import type { Batch, Outbox } from './outbox.js'
import { createTokenBucket, type TokenBucket } from './token-bucket.js'

/** Frames of any type a connection may send a second, and the burst above that. */
const FRAMES_PER_SECOND = 50
const FRAME_BURST = 100
const TEXT = { binary: false } as const

/** Where a finished frame goes: the raw socket (ws frames nothing more once compression is off). */
export interface Transport {
  /** The socket under `ws`, written to directly; null to go through `ws.send` (e.g. injected sockets). */
  socket: Writable | null
  outbox: Outbox
}

export interface Connection {
  readonly id: string
  readonly ws: WebSocket
  user: Member
  readonly sid: string
  /** When the current token expires, in ms since the epoch. */
  expiresAt: number
  readonly rooms: Map<string, Membership>
  /** Last local typing event per room, to drop repeats before asking the engine. */
  readonly typingAt: Map<string, number>
  readonly sends: TokenBucket
  readonly frames: TokenBucket
  /** Answered the last ping. */
  alive: boolean
  /** Resolves once the connection is registered and `ready` was sent; frames wait for it. */
  ready: Promise<void>
  /** Frames queued for the end of this event-loop turn (see Outbox), or null. */
  pending: Array<string | Batch> | null
  /** Queues a finished frame (JSON text) for the end of this turn, unless the socket is closed. */
  send (payload: string): boolean
  /** Writes a finished WebSocket frame now unless the socket is closed or too far behind (then closes 4008). */
  write (frame: Buffer): boolean
  sendFrame (frame: ServerFrame): boolean
  error (code: ErrorCode, message: string, ref?: string): void
  /** Counts a refused frame; sustained abuse closes the socket with 1008. */
  strike (): void
  close (code: number, reason: string): void
  /** Re-arms the 4003 close for the current `expiresAt`. */
  armExpiry (): void
  dispose (): void
}

/** The payload of a frame made by frameText, for ws.send. */
const payloadOf = (frame: Buffer): Buffer => frame.subarray((frame[1]! & 0x7f) === 127 ? 10 : (frame[1]! & 0x7f) === 126 ? 4 : 2)

export function createConnection (ws: WebSocket, claims: TokenClaims, config: Config, metrics: Metrics, transport: Transport): Connection {
  const { outbox } = transport
  // Raw writes need frames exactly as ws would send them: no extension may be in use.
  const socket = ws.extensions === '' ? transport.socket : null
  let strikes = 0
  let strikeWindow = Date.now()
  let expiry: NodeJS.Timeout | undefined
  let closing = false

  const conn: Connection = {
    id: randomUUID(),
    ws,
    user: { id: claims.sub, name: claims.name },
    sid: claims.sid,
    expiresAt: claims.exp * 1000,
    rooms: new Map(),
    typingAt: new Map(),
    sends: createTokenBucket(LIMITS.sendsPerSecond, LIMITS.sendBurst),
    frames: createTokenBucket(FRAMES_PER_SECOND, FRAME_BURST),
    alive: true,
    ready: Promise.resolve(),
    pending: null,

    send (payload) {
      if (ws.readyState !== WebSocket.OPEN) return false
      outbox.push(conn, payload)
      return true
    },
    write (frame) {
      if (ws.readyState !== WebSocket.OPEN) return false
      if (ws.bufferedAmount > LIMITS.slowConsumerBytes) {
        conn.close(CloseCode.tooSlow, 'too slow to read')
        return false
      }
      if (socket !== null) socket.write(frame)
      else ws.send(payloadOf(frame), TEXT)
      return true
    },
    sendFrame (frame) {
      const sent = conn.send(JSON.stringify(frame))
      if (sent) metrics.framesOut.inc()
      return sent
    },
    error (code, message, ref) {
      conn.sendFrame(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref })
    },
    strike () {
      const now = Date.now()
      if (now - strikeWindow > config.ABUSE_WINDOW_MS) {
        strikeWindow = now
        strikes = 0
      }
      if (++strikes > config.ABUSE_STRIKES) conn.close(CloseCode.abuse, 'too many refused frames')
    },
    close (code, reason) {
      if (closing || ws.readyState >= WebSocket.CLOSING) return
      closing = true
      // Frames queued this turn (an error that explains the close) go first.
      outbox.flushConnection(conn)
      metrics.closes.labels(String(code)).inc()
      ws.close(code, reason)
    },
    armExpiry () {
      clearTimeout(expiry)
      const delay = conn.expiresAt + config.TOKEN_GRACE_MS - Date.now()
      expiry = setTimeout(() => conn.close(CloseCode.tokenExpired, 'token expired'), Math.max(0, Math.min(delay, 2 ** 31 - 1)))
      expiry.unref()
    },
    dispose () {
      clearTimeout(expiry)
    }
  }
  return conn
}
