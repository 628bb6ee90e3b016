import type { ClientFrame, ClientFrameOf, ServerFrameOf } from '@webchat/shared'
import type { WebchatError } from '../errors.js'
import type { Timers } from '../timers.js'
import type { Link } from './link.js'
import { fail } from './refusal.js'

/** Each request about rooms and members, and the frame that answers it (with its `ref`). */
const ANSWERS = {
  create: 'done',
  direct: 'done',
  invite: 'done',
  remove: 'done',
  set_role: 'done',
  mute: 'done',
  unmute: 'done',
  ban: 'done',
  unban: 'done',
  update_room: 'done',
  leave_room: 'done',
  list_rooms: 'rooms',
  list_members: 'members'
} as const
export type RequestType = keyof typeof ANSWERS
export type AnswerOf<T extends RequestType> = ServerFrameOf<typeof ANSWERS[T]>
export type Answer = ServerFrameOf<'done'> | ServerFrameOf<'rooms'> | ServerFrameOf<'members'>
/** A request's fields, without `type` and `ref` (the part picks the ref). */
export type RequestFields<T extends RequestType> = Omit<ClientFrameOf<T>, 'type' | 'ref'>

interface Pending {
  type: RequestType
  frame: ClientFrame
  /** Written to the current socket (else waiting for the next `ready`). */
  sent: boolean
  resolve: (answer: Answer) => void
  reject: (err: WebchatError) => void
  timer: unknown
}

export interface RequestsDeps {
  timers: Timers
  /** How long a request waits for its answer, counted from the call (waiting for `ready` included). */
  timeoutMs: number
  link: Pick<Link, 'transmit'>
}

/**
 * Requests about rooms and members, each with a fresh `ref`, settled by the answer or the `error`
 * with that ref. They are not idempotent (a second `create` makes a second room), so none is ever
 * written twice: one in flight when the socket drops fails with a passing `unavailable` (it may or
 * may not have been done), and one made while disconnected waits for `ready`.
 */
export interface Requests {
  /** Sends a request now, or once the socket is ready; resolves with its answer, at most the timeout. */
  ask<T extends RequestType>(type: T, fields: RequestFields<T>): Promise<AnswerOf<T>>
  /** A new socket said `ready`: the waiting requests go, oldest first. */
  flush (): void
  /** An answer with a ref; whether it settled a request (an unknown ref is ignored). */
  answer (frame: Answer): boolean
  /** An `error` with `ref`; whether it settled a request. */
  refuse (ref: string, err: WebchatError): boolean
  /** The socket is gone: the requests written to it fail; the others keep waiting. */
  dropped (): void
  /** Every request fails with `err` (the connection ended). */
  rejectAll (err: WebchatError): void
}

/** Not a room name (no `:` in those), so an `error` about a room is never taken for a request's. */
const REF_PREFIX = 'req:'

export function createRequests ({ timers, timeoutMs, link }: RequestsDeps): Requests {
  const pending = new Map<string, Pending>()
  let counter = 0

  const take = (ref: string): Pending | undefined => {
    const request = pending.get(ref)
    if (request === undefined) return undefined
    pending.delete(ref)
    timers.clearTimeout(request.timer)
    return request
  }

  return {
    ask (type, fields) {
      const ref = `${REF_PREFIX}${++counter}`
      const frame = { ...fields, type, ref } as unknown as ClientFrame
      return new Promise((resolve, reject) => {
        const request: Pending = {
          type,
          frame,
          sent: false,
          resolve: resolve as (answer: Answer) => void,
          reject,
          timer: timers.setTimeout(() => {
            if (take(ref) !== undefined) reject(fail('timeout', `no answer to ${type} in time`, ref))
          }, timeoutMs)
        }
        pending.set(ref, request)
        request.sent = link.transmit(frame)
      })
    },
    flush () {
      for (const request of pending.values()) {
        if (!request.sent) request.sent = link.transmit(request.frame)
      }
    },
    answer (frame) {
      if (frame.ref === undefined) return false
      const request = take(frame.ref)
      if (request === undefined) return false
      if (ANSWERS[request.type] === frame.type) request.resolve(frame)
      else request.reject(fail('bad_response', `${request.type} answered with ${frame.type}`, frame.ref))
      return true
    },
    refuse (ref, err) {
      const request = take(ref)
      request?.reject(err)
      return request !== undefined
    },
    dropped () {
      for (const [ref, request] of pending) {
        if (!request.sent) continue
        take(ref)
        request.reject(fail('unavailable', `the connection dropped before ${request.type} was answered: it may or may not have been done`, ref))
      }
    },
    rejectAll (err) {
      for (const ref of [...pending.keys()]) take(ref)?.reject(err)
    }
  }
}
