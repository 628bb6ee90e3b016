import type { ClientFrame, ServerFrame } from '@webchat/shared'
import type { SocketLike } from '../../src/socket.js'

/**
 * A WebSocket stand-in driven by the test: it records what the client sends and lets the test play
 * the server (open, frames, close codes). Every instance is kept in `FakeSocket.all`.
 */
export class FakeSocket implements SocketLike {
  static all: FakeSocket[] = []
  static reset (): void { FakeSocket.all = [] }
  static last (): FakeSocket {
    const socket = FakeSocket.all[FakeSocket.all.length - 1]
    if (socket === undefined) throw new Error('no socket yet')
    return socket
  }

  readyState = 0
  readonly sent: ClientFrame[] = []
  closedByClient: number | undefined
  onopen: ((event: never) => void) | null = null
  onmessage: ((event: never) => void) | null = null
  onclose: ((event: never) => void) | null = null
  onerror: ((event: never) => void) | null = null

  constructor (readonly url: string, readonly protocols: string[]) {
    FakeSocket.all.push(this)
  }

  send (data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open')
    this.sent.push(JSON.parse(data) as ClientFrame)
  }

  close (code?: number): void {
    if (this.readyState >= 2) return
    this.closedByClient = code ?? 1005
    this.readyState = 3
  }

  /** The server accepts the socket and says `ready` (with `extra`: a ticket, the token's expiry). */
  accept (user = { id: 'u1', name: 'Ana' }, extra: { ticket?: string, expiresAt?: string } = {}): void {
    this.readyState = 1
    ;(this.onopen as ((e: unknown) => void) | null)?.({})
    this.deliver({ type: 'ready', user, connectionId: 'c' + FakeSocket.all.length, ...extra })
  }

  deliver (payload: ServerFrame | ServerFrame[] | string): void {
    const data = typeof payload === 'string' ? payload : JSON.stringify(payload)
    ;(this.onmessage as ((e: { data: unknown }) => void) | null)?.({ data })
  }

  /** The server (or the network) closes the socket with `code`. */
  drop (code: number): void {
    this.readyState = 3
    ;(this.onclose as ((e: { code: number, reason: string }) => void) | null)?.({ code, reason: '' })
  }

  ofType<T extends ClientFrame['type']> (type: T): Array<Extract<ClientFrame, { type: T }>> {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type)
  }
}
