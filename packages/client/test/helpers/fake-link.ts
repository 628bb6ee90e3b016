import type { ClientFrame, Member } from '@webchat/shared'
import type { Link } from '../../src/connection/link.js'
import type { EndReason } from '../../src/connection/types.js'
import type { SocketLike } from '../../src/socket.js'

export type FakeLink = Pick<Link, 'isOpen' | 'socket' | 'transmit' | 'drop' | 'end' | 'user'> & {
  open: boolean
  /** The current socket; only its identity matters to the parts under test. */
  current: SocketLike | undefined
  user: Member | undefined
  readonly sent: ClientFrame[]
  readonly drops: number[]
  readonly ends: EndReason[]
  /** A new socket replaces the current one (open, as after `ready`). */
  swap (): void
  ofType<T extends ClientFrame['type']> (type: T): Array<Extract<ClientFrame, { type: T }>>
}

/**
 * A stand-in for the socket link, for the parts of a connection that only write frames, ask
 * whether the socket is open or still the same one, drop it or end: the test plays the socket.
 */
export function createFakeLink (user: Member | undefined = { id: 'u1', name: 'Ana' }): FakeLink {
  const socket = (): SocketLike => ({}) as SocketLike
  const link: FakeLink = {
    open: true,
    current: socket(),
    user,
    sent: [],
    drops: [],
    ends: [],
    isOpen: () => link.open,
    socket: () => link.current,
    transmit (frame) {
      if (!link.open) return false
      link.sent.push(frame)
      return true
    },
    drop (code) {
      link.drops.push(code)
      link.current = undefined
      link.open = false
    },
    end (reason) { link.ends.push(reason) },
    swap () {
      link.current = socket()
      link.open = true
    },
    ofType: <T extends ClientFrame['type']>(type: T) =>
      link.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type)
  }
  return link
}
