/** Room names: 1 to 64 characters from a-z, 0-9, `_` and `-`. */
export const ROOM_NAME_PATTERN = '^[a-z0-9_-]{1,64}$'
const roomName = new RegExp(ROOM_NAME_PATTERN)

export function isRoomName (value: unknown): value is string {
  return typeof value === 'string' && roomName.test(value)
}
