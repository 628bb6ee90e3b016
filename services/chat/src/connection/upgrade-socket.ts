import type { Socket } from 'node:net'
import type { Writable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * The TCP socket of an accepted upgrade, from preValidation to the connection's `ready` frame.
 * The 101 waits for `ready` so that both leave in one write: the socket is corked before the
 * handshake and uncorked once `ready` (or the close) is queued. This leans on library internals:
 * - @fastify/websocket runs preValidation before it hands this very socket (`request.raw.socket`;
 *   absent for injectWS) to ws for the handshake;
 * - ws writes the 101 with `socket.write`, leaves the cork alone and writes its later frames to
 *   the same socket;
 * - a handshake ws refuses ends the socket, and `end()` uncorks: a refusal is not held back.
 * test/connection/upgrade-socket.test.ts checks each point on a real server.
 */

/** In preValidation, once the upgrade is accepted: unlinks the HTTP response and holds back the 101. */
export function holdUpgrade (request: FastifyRequest, reply: FastifyReply): void {
  const socket = request.raw.socket as Socket | undefined
  if (socket === undefined || socket === null) return
  // Or the response (and through it the request with its headers) lives as long as the connection.
  reply.raw.detachSocket(socket)
  socket.cork()
}

/** The upgraded TCP socket, null for injected sockets. */
export function upgradedSocket (request: FastifyRequest): Writable | null {
  return (request.raw.socket as Writable | undefined) ?? null
}

/** Lets the 101 and what was queued behind it go, in one write. */
export function releaseUpgrade (socket: Writable): void {
  while (socket.writableCorked > 0) socket.uncork()
}
