import { type ErrorCode, isClientMsgId, isRoomName, LIMITS } from '@webchat/shared'

export interface Refusal { code: ErrorCode, message: string, ref?: string }

/**
 * Refines a schema failure of `parseClientFrame` (only called on that slow path): names an
 * invalid room, an over-long text (a send's or an edit's) and an over-long reaction with their own codes, and refers to the frame's ref,
 * clientMsgId or room when those are usable, so a client can match the error to what it sent.
 */
export function refine (raw: string, failure: Refusal): Refusal {
  if (failure.code !== 'bad_frame') return failure
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return failure
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return failure
  const { type, room, text, emoji, clientMsgId, ref: request } = value as Record<string, unknown>
  const ref = isClientMsgId(request)
    ? request
    : isClientMsgId(clientMsgId) ? clientMsgId : isRoomName(room) ? room : undefined
  const refined: Refusal = { ...failure }
  if (ref !== undefined) refined.ref = ref
  if ('room' in value && !isRoomName(room)) {
    refined.code = 'invalid_room'
    refined.message = 'room names are 1 to 64 characters from a-z, 0-9, _ and -'
  } else if ((type === 'send' || type === 'edit') && typeof text === 'string' && [...text].length > LIMITS.textChars) {
    refined.code = 'text_too_long'
    refined.message = `text is limited to ${LIMITS.textChars} characters`
  } else if (type === 'react' && typeof emoji === 'string' && emoji.length > LIMITS.reactionChars) {
    refined.code = 'invalid_reaction'
    refined.message = 'a reaction is one emoji'
  }
  return refined
}
