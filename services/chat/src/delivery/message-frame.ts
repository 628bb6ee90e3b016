import type { ChatMessage, Member } from '@webchat/shared'

/**
 * Message encoding. The log stores `{"ts":…,"room":…,"user":…,"text":…,"clientMsgId":…}`; the
 * published `message` frame is that JSON with `"type":"message","id":"<id>"` spliced in front, so
 * the engine builds it in the append step and every instance relays the same bytes unparsed.
 */
export const MESSAGE_PREFIX = '{"type":"message","id":"'
const TS_MARK = '","ts":'

export interface MessageBody {
  ts: number
  room: string
  user: Member
  text: string
  clientMsgId?: string
}

export function encodeBody (body: MessageBody): string {
  const { ts, room, user, text, clientMsgId } = body
  return JSON.stringify(clientMsgId === undefined
    ? { ts, room, user: { id: user.id, name: user.name }, text }
    : { ts, room, user: { id: user.id, name: user.name }, text, clientMsgId })
}

/** The `before`/`after` halves of the published frame around the id. */
export function framePublish (data: string): { before: string, after: string } {
  return { before: MESSAGE_PREFIX, after: '",' + data.slice(1) }
}

export function frameOf (id: string, data: string): string {
  return MESSAGE_PREFIX + id + '",' + data.slice(1)
}

/** The id of a relayed payload when it is a `message` frame, else null. Never parses. */
export function messageIdOf (payload: string): string | null {
  if (!payload.startsWith(MESSAGE_PREFIX)) return null
  const end = payload.indexOf('"', MESSAGE_PREFIX.length)
  return end < 0 ? null : payload.slice(MESSAGE_PREFIX.length, end)
}

/** The `ts` of a `message` frame whose id ends at `idEnd`, or NaN. */
export function messageTsOf (payload: string, id: string): number {
  const start = MESSAGE_PREFIX.length + id.length + TS_MARK.length
  if (payload.slice(start - TS_MARK.length, start) !== TS_MARK) return NaN
  return Number(payload.slice(start, payload.indexOf(',', start)))
}

/** A stored entry as a ChatMessage, or null when the entry is not one of ours. */
export function toChatMessage (id: string, data: string): ChatMessage | null {
  try {
    const body = JSON.parse(data) as Partial<MessageBody>
    if (typeof body !== 'object' || body === null || typeof body.text !== 'string' || typeof body.room !== 'string' ||
      typeof body.ts !== 'number' || typeof body.user?.id !== 'string' || typeof body.user.name !== 'string') return null
    const message: ChatMessage = { room: body.room, id, user: { id: body.user.id, name: body.user.name }, text: body.text, ts: body.ts }
    if (typeof body.clientMsgId === 'string') message.clientMsgId = body.clientMsgId
    return message
  } catch {
    return null
  }
}
