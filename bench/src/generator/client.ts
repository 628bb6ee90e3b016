/** What the generator does with one connection, whatever the system behind it. */
export interface BenchClient {
  /** Resolves once the server said the connection is usable (webchat `ready`, Socket.IO CONNECT). */
  readonly opened: Promise<void>
  join (room: string): Promise<void>
  send (room: string, text: string): void
  close (): void
  isOpen (): boolean
}

export interface ClientEvents {
  /** Raw bytes of every WebSocket message, for the mark scan. */
  onData (data: Buffer): void
  /** A send the server accepted (webchat `ack`). */
  onAck (): void
  /** An error the server reported (webchat `error` frame code, or a close/connect failure). */
  onError (code: string): void
  /** The connection is gone (`code`: the close code the server sent, 1006 when none). */
  onClose (code?: number): void
}

/**
 * How both clients answer a refused upgrade and a socket error: told to the events, and the
 * connect under way fails.
 */
export function connectFailures (events: ClientEvents, fail: (err: Error) => void): { onRefused: (status: number) => void, onError: (code: string) => void } {
  return {
    onRefused (status) {
      events.onError(`http_${status}`)
      fail(new Error(`upgrade refused: ${status}`))
    },
    onError (code) {
      events.onError(code)
      fail(new Error(code))
    }
  }
}
