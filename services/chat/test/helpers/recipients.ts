import { Receiver } from 'ws'
import type { Membership } from '../../src/delivery/hold.js'
import type { Recipient } from '../../src/delivery/outbox.js'

/** Decodes server frames as a client does (ws's own parser), returning the text messages. */
export function decode (...frames: Buffer[]): string[] {
  const texts: string[] = []
  const receiver = new Receiver({ isServer: false })
  receiver.on('message', (data: Buffer) => texts.push(data.toString('utf8')))
  for (const frame of frames) receiver.write(frame)
  return texts
}

export type FakeRecipient = Recipient & { written: Buffer[] }

/** A connection as the outbox sees it: every frame it is given is recorded. */
export function fakeRecipient (): FakeRecipient {
  const written: Buffer[] = []
  return { pending: null, written, send: () => true, write: (frame: Buffer) => { written.push(frame); return true } }
}

/** `size` joined members, and their connections. */
export function roomOf (size: number): [Map<Recipient, Membership>, FakeRecipient[]] {
  const connections = Array.from({ length: size }, fakeRecipient)
  return [new Map(connections.map((conn) => [conn, { state: 'joined', buffer: null, heldUpTo: 0, presenceAt: 0 } satisfies Membership])), connections]
}

export const nextTurn = async (): Promise<void> => await new Promise((resolve) => setImmediate(resolve))
