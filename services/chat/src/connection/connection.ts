import { randomBytes, randomUUID } from 'node:crypto'
import type { Writable } from 'node:stream'
import { WebSocket } from 'ws'
import { CloseCode, createTokenBucket, type ErrorCode, LIMITS, type Member, type ServerFrame, type TokenBucket, type TokenClaims } from '@webchat/shared'
import type { Config } from '../config.js'
import type { Batch } from '../delivery/batch.js'
import type { Membership } from '../delivery/hold.js'
import type { Outbox, Recipient } from '../delivery/outbox.js'
import { rawSocketOf, writeFrame } from '../delivery/raw-socket.js'
import type { RoomAccess } from '../membership/access.js'
import type { Metrics } from '../metrics.js'

const READY = Promise.resolve()

/** What every connection of an instance shares. */
export interface ConnectionContext {
  config: Config
  metrics: Metrics
  outbox: Outbox
}

/** Unconfirmed bytes after which a ping checks that the client still reads, and how long it has to answer. */
const READ_PROBE_BYTES = 256 * 1024
const READ_PROBE_MS = 5000
/** Random bytes in each ping: too many to guess, so only a client that read the ping can echo it. */
const PROBE_BYTES = 6

/**
 * One client socket. A class rather than an object of closures: an idle connection is mostly this
 * object, and tens of thousands of them share its methods (rooms and typing maps are made on
 * first use). The token's expiry is checked by one sweep for all (connections.ts), not a timer each.
 */
export class Connection implements Recipient {
  readonly id = randomUUID()
  user: Member
  readonly sid: string
  /** When the current token expires, in ms since the epoch. */
  expiresAt: number
  /** Where its reconnect ticket is stored (reconnect-tickets.ts); null before one is issued. */
  ticketKey: string | null = null
  /** Its socket closed: a ticket stored after that is deleted, never sent (reconnect-tickets.ts). */
  ticketEnded = false
  /** Opened by a reconnect ticket and not refreshed since (it then gets no ticket of its own). */
  onTicket = false
  readonly sends: TokenBucket = createTokenBucket(LIMITS.sendsPerSecond, LIMITS.sendBurst)
  readonly frames: TokenBucket = createTokenBucket(LIMITS.framesPerSecond, LIMITS.frameBurst)
  /** Answered the last ping. */
  alive = true
  /** Resolves once the connection is registered and `ready` was sent; frames wait for it. */
  ready: Promise<void> = READY
  /** Frames queued for the end of this event-loop turn (see Outbox), or null. */
  pending: Array<string | Batch> | null = null
  /** The socket under `ws`, written to directly (see delivery/raw-socket.ts); null to go through `ws.send`. */
  private readonly socket: Writable | null
  private joined: Map<string, Membership> | null = null
  private typing: Map<string, number> | null = null
  private access: Map<string, RoomAccess> | null = null
  private strikes = 0
  private strikeWindow = 0
  private closing = false
  /** Bytes written since the client last answered a ping (see `write`). */
  private unconfirmed = 0
  /** When the outstanding read probe (a ping) was sent; 0 when none is out. */
  private probeAt = 0
  /** The newest ping's payload as a number (a 48-bit number costs no object per connection); -1 when none is out. */
  private probe = -1

  constructor (readonly ws: WebSocket, claims: TokenClaims, private readonly context: ConnectionContext, socket: Writable | null) {
    this.user = { id: claims.sub, name: claims.name }
    this.sid = claims.sid
    this.expiresAt = claims.exp * 1000
    this.socket = rawSocketOf(ws, socket)
  }

  /** The rooms joined or being joined. */
  get rooms (): Map<string, Membership> {
    return (this.joined ??= new Map())
  }

  /** What it may do in the rooms it joined (made on first use). */
  get roomAccess (): Map<string, RoomAccess> {
    return (this.access ??= new Map())
  }

  /**
   * Joined (or joining) the room and let in: its access is set only once the roster said yes
   * (a member, or for a public room not banned), so nothing reaches the room while that is asked.
   */
  inRoom (room: string): boolean {
    return this.joined?.has(room) === true && this.access?.has(room) === true
  }

  /** The access of a room it joined. */
  accessTo (room: string): RoomAccess | undefined {
    return this.access?.get(room)
  }

  hasRooms (): boolean {
    return this.joined !== null && this.joined.size > 0
  }

  /** Last local typing event per room, to drop repeats before asking the engine. */
  get typingAt (): Map<string, number> {
    return (this.typing ??= new Map())
  }

  /** Queues a finished frame (JSON text) for the end of this turn, unless the socket is closed. */
  send (payload: string): boolean {
    if (this.ws.readyState !== WebSocket.OPEN) return false
    this.context.outbox.push(this, payload)
    return true
  }

  /** Writes a finished WebSocket frame now unless the socket is closed or too far behind (then closes 4008). */
  write (frame: Buffer): boolean {
    const { ws } = this
    if (ws.readyState !== WebSocket.OPEN) return false
    if (ws.bufferedAmount > LIMITS.slowConsumerBytes || this.stalled(frame.length)) {
      this.close(CloseCode.tooSlow, 'too slow to read')
      return false
    }
    writeFrame(ws, this.socket, frame)
    return true
  }

  /**
   * Kernel buffers hide a client that stopped reading: megabytes fit in them before anything
   * waits in ws. So once READ_PROBE_BYTES went out unconfirmed, a ping goes after them; a client
   * that reads answers it as soon as it has read them, and one that has not answered
   * READ_PROBE_MS later, while more is still being sent, is too slow.
   */
  private stalled (bytes: number): boolean {
    this.unconfirmed += bytes
    if (this.unconfirmed < READ_PROBE_BYTES) return false
    const now = Date.now()
    if (this.probeAt === 0) {
      this.probeAt = now
      this.ping()
      return false
    }
    return now - this.probeAt > READ_PROBE_MS
  }

  /** Pings with a fresh random payload; only the pong that echoes it counts (see `pong`). */
  ping (): void {
    const payload = randomBytes(PROBE_BYTES)
    this.probe = payload.readUIntBE(0, PROBE_BYTES)
    this.ws.ping(payload)
  }

  /**
   * A pong. A client may send pongs unasked (RFC 6455 allows it), so a pong proves reading only
   * when it echoes the newest ping's payload, which the client sees only by reading up to that
   * ping; the payload is then spent, so a replayed pong proves nothing either. An echo of an older
   * ping does not count: the newest one's follows it, when the client reads.
   */
  pong (data: Buffer): void {
    if (this.probe < 0 || data.length !== PROBE_BYTES || data.readUIntBE(0, PROBE_BYTES) !== this.probe) return
    this.probe = -1
    this.alive = true
    this.unconfirmed = 0
    this.probeAt = 0
  }

  sendFrame (frame: ServerFrame): boolean {
    const sent = this.send(JSON.stringify(frame))
    if (sent) this.context.metrics.framesOut.inc()
    return sent
  }

  error (code: ErrorCode, message: string, ref?: string): void {
    this.sendFrame(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref })
  }

  /** Counts a refused frame; sustained abuse closes the socket with 1008. */
  strike (): void {
    const { config } = this.context
    const now = Date.now()
    if (now - this.strikeWindow > config.abuseWindowMs) {
      this.strikeWindow = now
      this.strikes = 0
    }
    if (++this.strikes > config.abuseStrikes) this.close(CloseCode.abuse, 'too many refused frames')
  }

  close (code: number, reason: string): void {
    if (this.closing || this.ws.readyState >= WebSocket.CLOSING) return
    this.closing = true
    // Frames queued this turn (an error that explains the close) go first.
    this.context.outbox.flushConnection(this)
    this.context.metrics.closes.labels(String(code)).inc()
    this.ws.close(code, reason)
  }

  /** Past its token's expiry by more than the grace: closes with 4003. True when it did. */
  expire (now: number): boolean {
    if (now < this.expiresAt + this.context.config.tokenGraceMs) return false
    this.close(CloseCode.tokenExpired, 'token expired')
    return true
  }
}
