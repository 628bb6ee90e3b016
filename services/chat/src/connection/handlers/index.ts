import type { ClientFrame, ClientFrameOf, ClientFrameType } from '@webchat/shared'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'
import { history } from './history.js'
import { join } from './join.js'
import { leave } from './leave.js'
import { edit, react, remove } from './lifecycle.js'
import { read } from './read.js'
import { refresh } from './refresh.js'
import { roomHandlers } from './rooms.js'
import { send } from './send.js'
import { typing } from './typing.js'

type Handler<T extends ClientFrameType> = (deps: ChatDeps, conn: Connection, frame: ClientFrameOf<T>) => Promise<void>

/** One handler per client frame type. */
export const handlers: { readonly [T in ClientFrameType]: Handler<T> } = { join, leave, send, edit, delete: remove, react, typing, read, history, refresh, ...roomHandlers }

/** Frames a client sends without its user doing anything. */
const BY_ITSELF: ReadonlySet<ClientFrameType> = new Set(['refresh', 'join', 'leave', 'list_rooms'])

export async function handle (deps: ChatDeps, conn: Connection, frame: ClientFrame): Promise<void> {
  // A frame a person made is a sign of someone at the keyboard (notify/: only people away are
  // mailed); those a client sends by itself (a token refresh, rejoins after a reconnect) are not.
  if (!BY_ITSELF.has(frame.type)) deps.activity.touch(conn.user.id)
  await (handlers[frame.type] as Handler<typeof frame.type>)(deps, conn, frame)
}
