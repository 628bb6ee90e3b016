import { isReaction, LIMITS, type Member, type ServerFrameOf } from '@webchat/shared'
import type { WebchatError } from '../errors.js'
import { createOutbox, type OutboxFrame } from '../outbox.js'
import type { Timers } from '../timers.js'
import { createAckWatchdog } from './ack-watchdog.js'
import type { Link } from './link.js'
import { createPacer } from './pacer.js'
import { fail, passing } from './refusal.js'
import type { ChangeOptions, Connection, SendOptions } from './types.js'

const utf8 = new TextEncoder()

export interface SendsDeps {
  timers: Timers
  ackTimeoutMs: number
  link: Pick<Link, 'isOpen' | 'transmit' | 'socket' | 'drop' | 'user'>
  /** Whether the connection is in (or joining) a room: sends to other rooms are refused. */
  inRoom: (room: string) => boolean
  /** Whether a room is joined on the current socket: only then do its sends go. */
  joined: (room: string) => boolean
  /** A send to `room` is queued (a typing signal held back there is dropped). */
  sending: (room: string) => void
}

type Change = { type: 'edit', id: string, text: string } | { type: 'delete', id: string } | { type: 'react', id: string, emoji: string, remove?: boolean }

/**
 * Messages and changes to messages (edit, delete, react) sent and not yet acknowledged: queued,
 * paced, retried with the same clientMsgId, settled by their ack.
 */
export interface Sends {
  /** Checks a message and queues it; resolves with its id. */
  send (room: string, text: string, options: SendOptions): Promise<string>
  /** Checks a change to message `change.id` and queues it; resolves with the change's own id. */
  change (room: string, change: Change, options: ChangeOptions): Promise<string>
  pending: Connection['pending']
  pump (): void
  /** A new socket (perhaps on a healthy instance): held sends go again once their rooms are joined. */
  release (): void
  ack (frame: ServerFrameOf<'ack'>): void
  /** A message or change the server holds: if it is one of ours still pending, it is settled without resending. */
  settleOwn (message: { clientMsgId?: string | undefined, user: Member, id: string }): void
  /** A refusal about `ref`; whether `ref` is a pending send. */
  refused (ref: string, frame: ServerFrameOf<'error'>): boolean
  /** Every pending send (of one room, or all) fails with `err`. */
  reject (room: string | undefined, err: WebchatError): void
  /** The socket is gone: nothing is in flight any more. */
  stop (): void
}

export function createSends ({ timers, ackTimeoutMs, link, inRoom, joined, sending }: SendsDeps): Sends {
  const outbox = createOutbox()
  const watchdog = createAckWatchdog({ timers, timeoutMs: ackTimeoutMs, inFlight: () => outbox.inFlight(), link })
  const pacer = createPacer({ timers, outbox, watchdog, link, joined })

  /** Resolves a pending send; whether it was pending. */
  const settle = (clientMsgId: string, id: string): boolean => {
    const pending = outbox.get(clientMsgId) !== undefined
    outbox.resolve(clientMsgId, id)
    watchdog.arm()
    return pending
  }

  /** Checks a frame (its text, when it has one, and its size) and queues it. */
  function queue (room: string, text: string | undefined, frame: OutboxFrame): Promise<string> {
    if (!inRoom(room)) return Promise.reject(fail('not_joined', `not in ${room}`, room))
    if (text !== undefined) {
      const chars = [...text].length
      if (chars === 0) return Promise.reject(fail('bad_request', 'the message is empty'))
      if (chars > LIMITS.textChars) return Promise.reject(fail('text_too_long', `at most ${LIMITS.textChars} characters`))
    }
    if (utf8.encode(JSON.stringify(frame)).byteLength > LIMITS.frameBytes) return Promise.reject(fail('payload_too_large', 'the message is too large'))
    sending(room)
    const { promise } = outbox.add(frame)
    pacer.pump()
    return promise
  }

  return {
    send (room, text, options) {
      const mentions = options.mentions === undefined ? [] : [...new Set(options.mentions)]
      if (mentions.length > LIMITS.mentionsPerMessage) return Promise.reject(fail('bad_request', `at most ${LIMITS.mentionsPerMessage} mentions`))
      return queue(room, text, {
        type: 'send',
        room,
        text,
        clientMsgId: options.clientMsgId ?? crypto.randomUUID(),
        ...(options.replyTo === undefined ? {} : { replyTo: options.replyTo }),
        ...(mentions.length === 0 ? {} : { mentions }),
        ...(options.mentionsRoom === true ? { mentionsRoom: true } : {})
      })
    },
    change (room, change, options) {
      if (change.type === 'react' && !isReaction(change.emoji)) return Promise.reject(fail('invalid_reaction', 'a reaction is one emoji'))
      const clientMsgId = options.clientMsgId ?? crypto.randomUUID()
      return queue(room, change.type === 'edit' ? change.text : undefined, { ...change, room, clientMsgId } as OutboxFrame)
    },
    pending: (room) => outbox.entries(room).flatMap(({ frame }) => frame.type === 'send' ? [{ room: frame.room, text: frame.text, clientMsgId: frame.clientMsgId }] : []),
    pump: pacer.pump,
    release: pacer.release,
    ack (frame) {
      settle(frame.clientMsgId, frame.id)
      // A send got through: the server takes sends again.
      pacer.release()
    },
    settleOwn (m) {
      const user = link.user
      if (m.clientMsgId !== undefined && user !== undefined && m.user.id === user.id && settle(m.clientMsgId, m.id)) pacer.release()
    },
    refused (ref, frame) {
      const entry = outbox.get(ref)
      if (entry === undefined) return false
      if (passing(frame.code)) pacer.refused(entry, frame)
      else {
        outbox.reject(entry.clientMsgId, fail(frame.code, frame.message, ref))
        pacer.pump()
      }
      return true
    },
    reject (room, err) { outbox.rejectAll((e) => room === undefined || e.room === room, err) },
    stop () {
      watchdog.stop()
      pacer.stop()
      outbox.unsend()
    }
  }
}
