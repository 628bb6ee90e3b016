import type { Writable } from 'node:stream'
import type { WebSocket } from 'ws'
import { payloadOf } from './ws-frame.js'

const TEXT = { binary: false } as const

/**
 * Where a connection writes the frames the outbox hands it: straight to the TCP socket under `ws`
 * rather than through ws.send, so a room's batch is framed once (ws-frame.ts) and the very same
 * bytes serve every member, with no per-socket framing or copy.
 *
 * `socket` is the upgrade request's socket (`request.raw.socket`, see connection/upgrade-socket.ts).
 * This leans on ws internals:
 * - ws keeps that very socket (its private `_socket`) and, with no extension negotiated, writes
 *   its own frames (pings, the close) to it at once, in call order, with no queue of its own: so
 *   raw writes and ws's never overtake each other;
 * - `ws.bufferedAmount` counts the bytes waiting in that socket, raw ones included, which is what
 *   the slow-consumer check reads.
 * test/delivery/raw-socket.test.ts checks each point on a real ws server and client.
 */
export function rawSocketOf (ws: WebSocket, socket: Writable | null): Writable | null {
  // With an extension (permessage-deflate) ws's frames differ from ours: go through ws.send.
  return ws.extensions === '' ? socket : null
}

/** Writes a finished frame: to `socket` (from rawSocketOf) as it is, or through ws.send unframed. */
export function writeFrame (ws: WebSocket, socket: Writable | null, frame: Buffer): void {
  if (socket !== null) socket.write(frame)
  else ws.send(payloadOf(frame), TEXT)
}
