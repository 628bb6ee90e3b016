import { LIMITS } from './limits.js'

/** User ids: what auth issues and backends may name, safe in keys, URLs and logs. */
export const USER_ID_PATTERN = `^[A-Za-z0-9_-]{1,${LIMITS.userIdChars}}$`
/** A client's id for one send: printable ASCII without spaces, so it can be echoed anywhere. */
export const CLIENT_MSG_ID_PATTERN = `^[\\x21-\\x7e]{1,${LIMITS.clientMsgIdChars}}$`

const userId = new RegExp(USER_ID_PATTERN)
const clientMsgId = new RegExp(CLIENT_MSG_ID_PATTERN)

export function isUserId (value: unknown): value is string {
  return typeof value === 'string' && userId.test(value)
}

export function isClientMsgId (value: unknown): value is string {
  return typeof value === 'string' && clientMsgId.test(value)
}
