import type { ChatMessage, ReplyTo } from '@webchat/shared'

/** A message of mine the server has not acknowledged yet. */
export interface PendingMessage {
  readonly clientMsgId: string
  readonly text: string
  readonly ts: number
  /** `failed` keeps the reason; the user can retry or discard. */
  readonly status: 'sending' | 'failed'
  readonly error?: string
  /** The message it answers, as its quote shows. */
  readonly replyTo?: ReplyTo | undefined
  readonly mentions?: readonly string[] | undefined
  readonly mentionsRoom?: boolean | undefined
}

interface WithPending { readonly pending: readonly PendingMessage[] }

/** Pending messages without those that arrived (matched by `clientMsgId`); the same list when none did. */
export function dropPending (pending: readonly PendingMessage[], arrived: readonly ChatMessage[]): readonly PendingMessage[] {
  const ids = new Set(arrived.map((m) => m.clientMsgId))
  return pending.some((p) => ids.has(p.clientMsgId)) ? pending.filter((p) => !ids.has(p.clientMsgId)) : pending
}

export function isPending (room: WithPending, clientMsgId: string): boolean {
  return room.pending.some((p) => p.clientMsgId === clientMsgId)
}

export function addPending<R extends WithPending> (room: R, message: PendingMessage): R {
  return { ...room, pending: [...room.pending, message] }
}

/** Marks a pending message sending again, or failed with a reason. */
export function setPendingStatus<R extends WithPending> (room: R, clientMsgId: string, error?: string): R {
  return {
    ...room,
    pending: room.pending.map((p) => {
      if (p.clientMsgId !== clientMsgId) return p
      const { error: _old, ...rest } = p
      return error === undefined ? { ...rest, status: 'sending' } : { ...rest, status: 'failed', error }
    })
  }
}

export function removePending<R extends WithPending> (room: R, clientMsgId: string): R {
  return { ...room, pending: room.pending.filter((p) => p.clientMsgId !== clientMsgId) }
}
