import type { Member, MessageChange } from '@webchat/shared'
import { CHANGE_PREFIX } from '../delivery/message-frame.js'

/**
 * A change to a message as the room's log stores it: who did what to which message, never the
 * text (that lives in the message's state, lifecycle/states.ts), so that deleting a message
 * leaves no copy of what it said behind in its edits.
 */
export interface ChangeBody {
  kind: MessageChange['kind']
  ts: number
  room: string
  user: Member
  target: string
  clientMsgId?: string
  emoji?: string
  removed?: boolean
}

/** What the published frame adds to the stored change: the message's state after it. */
export type ChangeResult = Pick<MessageChange, 'text' | 'editedAt' | 'reactions'>

export function encodeChange (body: ChangeBody): string {
  const { kind, ts, room, user, target, clientMsgId, emoji, removed } = body
  return JSON.stringify({
    kind, ts, room, user: { id: user.id, name: user.name }, target,
    ...(clientMsgId === undefined ? {} : { clientMsgId }),
    ...(emoji === undefined ? {} : { emoji }),
    ...(removed === true ? { removed } : {})
  })
}

/** The `before`/`after` halves of the published `change` frame around its id. */
export function changePublish (body: ChangeBody, result: ChangeResult): { before: string, after: string } {
  return { before: CHANGE_PREFIX, after: '",' + JSON.stringify({ ...JSON.parse(encodeChange(body)) as object, ...result }).slice(1) }
}

/** A stored entry as a change, or null when it is not one (a message). */
export function parseChange (id: string, data: string): (ChangeBody & { id: string }) | null {
  try {
    const body = JSON.parse(data) as Partial<ChangeBody>
    if (typeof body !== 'object' || body === null || (body.kind !== 'edit' && body.kind !== 'delete' && body.kind !== 'reaction') ||
      typeof body.target !== 'string' || typeof body.room !== 'string' || typeof body.ts !== 'number' ||
      typeof body.user?.id !== 'string' || typeof body.user.name !== 'string') return null
    return { ...body as ChangeBody, id }
  } catch {
    return null
  }
}

/** A stored change as a client gets it, with the message's state now. */
export function toChange (change: ChangeBody & { id: string }, result: ChangeResult): MessageChange {
  const { id, kind, ts, room, user, target, clientMsgId, emoji, removed } = change
  const frame: MessageChange = { room, id, kind, target, user: { id: user.id, name: user.name }, ts, ...result }
  if (clientMsgId !== undefined) frame.clientMsgId = clientMsgId
  if (emoji !== undefined) frame.emoji = emoji
  if (removed === true) frame.removed = true
  return frame
}

/** A change as the `change` frame a live one is (for a catch-up from the log). */
export function changeFrame (change: MessageChange): string {
  const { id, ...rest } = change
  return CHANGE_PREFIX + id + '",' + JSON.stringify(rest).slice(1)
}

/** Whether a stored entry is a change (encodeChange writes `kind` first), without parsing it. */
export const isChangeEntry = (data: string): boolean => data.startsWith('{"kind":')
