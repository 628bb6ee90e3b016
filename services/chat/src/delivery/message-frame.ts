import type { ChatMessage, Member } from '@webchat/shared'

/**
 * Message encoding. The log stores `{"ts":…,"seq":…,"room":…,"user":…,"text":…,…}`; the published
 * `message` frame is that JSON with `"type":"message","id":"<id>"` spliced in front, so the engine
 * builds it in the append step and every instance relays the same bytes unparsed. The room's
 * message number is a NUL in what is handed to the engine, which puts the number there in the
 * same step (`AppendOptions.sequence`): JSON text never holds a raw NUL.
 */
export const MESSAGE_PREFIX = '{"type":"message","id":"'
/** Changes to messages (lifecycle/entries.ts) are log entries too, relayed the same way. */
export const CHANGE_PREFIX = '{"type":"change","id":"'
const TS_MARK = '","ts":'
const SEQ_MARK = ',"seq":\u0000'

export interface MessageBody {
  ts: number
  room: string
  user: Member
  text: string
  clientMsgId?: string
  mentions?: string[]
  mentionsRoom?: boolean
  /**
   * The quoted message: stored by id and author only, so that its text lives in one place; the
   * live frame adds its preview.
   */
  replyTo?: { id: string, user: Member, preview?: string }
}

/** The stored body, its number left to the engine. */
export function encodeBody (body: MessageBody): string {
  const { ts, room, user, text, clientMsgId, mentions, mentionsRoom, replyTo } = body
  const rest: Record<string, unknown> = { room, user: { id: user.id, name: user.name }, text }
  if (clientMsgId !== undefined) rest.clientMsgId = clientMsgId
  if (mentions !== undefined && mentions.length > 0) rest.mentions = mentions
  if (mentionsRoom === true) rest.mentionsRoom = true
  if (replyTo !== undefined) {
    rest.replyTo = { id: replyTo.id, user: { id: replyTo.user.id, name: replyTo.user.name }, ...(replyTo.preview === undefined ? {} : { preview: replyTo.preview }) }
  }
  return `{"ts":${ts}${SEQ_MARK},${JSON.stringify(rest).slice(1)}`
}

/**
 * The `before`/`after` halves of the published frame around the id. `live` replaces the stored
 * body where the frame says more than the log keeps (a reply's preview of the message it quotes).
 */
export function framePublish (data: string, live = data): { before: string, after: string } {
  return { before: MESSAGE_PREFIX, after: '",' + live.slice(1) }
}

export function frameOf (id: string, data: string): string {
  return MESSAGE_PREFIX + id + '",' + data.slice(1)
}

/** The id of a relayed payload when it is a `message` frame, else null. Never parses. */
export function messageIdOf (payload: string): string | null {
  return idAfter(payload, MESSAGE_PREFIX)
}

/** The log id of a relayed payload that is a log entry (a `message` or a `change`), else null. */
export function entryIdOf (payload: string): string | null {
  return idAfter(payload, MESSAGE_PREFIX) ?? idAfter(payload, CHANGE_PREFIX)
}

function idAfter (payload: string, prefix: string): string | null {
  if (!payload.startsWith(prefix)) return null
  const end = payload.indexOf('"', prefix.length)
  return end < 0 ? null : payload.slice(prefix.length, end)
}

/** The `ts` of a `message` frame whose id ends at `idEnd`, or NaN. */
export function messageTsOf (payload: string, id: string): number {
  const start = MESSAGE_PREFIX.length + id.length + TS_MARK.length
  if (payload.slice(start - TS_MARK.length, start) !== TS_MARK) return NaN
  return Number(payload.slice(start, payload.indexOf(',', start)))
}

const isMember = (value: unknown): value is Member =>
  typeof value === 'object' && value !== null && typeof (value as Member).id === 'string' && typeof (value as Member).name === 'string'

/** A stored entry as a ChatMessage as it was sent (lifecycle/states.ts folds later changes in), or null when it is not a message. */
export function toChatMessage (id: string, data: string): ChatMessage | null {
  try {
    const body = JSON.parse(data) as Partial<MessageBody> & { seq?: unknown, kind?: unknown }
    if (typeof body !== 'object' || body === null || body.kind !== undefined || typeof body.text !== 'string' || typeof body.room !== 'string' ||
      typeof body.ts !== 'number' || !isMember(body.user)) return null
    const message: ChatMessage = { room: body.room, id, user: { id: body.user.id, name: body.user.name }, text: body.text, ts: body.ts }
    if (typeof body.clientMsgId === 'string') message.clientMsgId = body.clientMsgId
    if (typeof body.seq === 'number') message.seq = body.seq
    if (Array.isArray(body.mentions)) message.mentions = body.mentions.filter((m): m is string => typeof m === 'string')
    if (body.mentionsRoom === true) message.mentionsRoom = true
    const reply = body.replyTo
    if (reply !== undefined && typeof reply.id === 'string' && isMember(reply.user)) message.replyTo = { id: reply.id, user: { id: reply.user.id, name: reply.user.name } }
    return message
  } catch {
    return null
  }
}
