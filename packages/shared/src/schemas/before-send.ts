import Type, { type Static } from 'typebox'
import { LIMITS } from '../limits.js'
import { Member, MessageId, RoomName, UserId } from './common.js'

const strict = { additionalProperties: false } as const

/**
 * What chat POSTs (signed like every hook, hook-signature.ts) to ask a host product about a message
 * before storing it: a new one (`kind: message`) or the new text of one (`edit`, with its `messageId`).
 */
export const BeforeSendRequest = Type.Object({
  /** Random, one per request: no two requests are the same, so a receiver can refuse replays by it. */
  id: Type.String(),
  room: RoomName,
  user: Member,
  text: Type.String(),
  kind: Type.Union([Type.Literal('message'), Type.Literal('edit')]),
  messageId: Type.Optional(MessageId),
  replyTo: Type.Optional(MessageId),
  mentions: Type.Optional(Type.Array(UserId))
}, strict)
export type BeforeSendRequest = Static<typeof BeforeSendRequest>

/**
 * The host product's answer: store the message as it is, refuse it (the reason is shown to its
 * author), or store this text instead (something besides spaces, within the message limit).
 */
export const BeforeSendAnswer = Type.Union([
  Type.Object({ action: Type.Literal('allow') }, strict),
  Type.Object({ action: Type.Literal('reject'), reason: Type.Optional(Type.String({ maxLength: LIMITS.beforeSendReasonChars })) }, strict),
  // `\S` matches what String.prototype.trim removes, so this is "not empty once trimmed".
  Type.Object({ action: Type.Literal('rewrite'), text: Type.String({ minLength: 1, maxLength: LIMITS.textChars, pattern: '\\S' }) }, strict)
])
export type BeforeSendAnswer = Static<typeof BeforeSendAnswer>
