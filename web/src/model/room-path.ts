import { isRoomName } from '@webchat/shared'

/** A room's own address, `/r/<name>`, so that a room can be linked to and reloaded. */
export const roomPath = (name: string): string => `/r/${name}`

/** The room an address names, if it names a valid one. */
export function roomFromPath (pathname: string): string | undefined {
  const name = /^\/r\/([^/]+)\/?$/.exec(pathname)?.[1]
  return isRoomName(name) ? name : undefined
}
