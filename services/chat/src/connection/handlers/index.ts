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

export async function handle (deps: ChatDeps, conn: Connection, frame: ClientFrame): Promise<void> {
  // Any frame is a sign of someone at the keyboard (notify/: only people away are mailed).
  deps.activity.touch(conn.user.id)
  await (handlers[frame.type] as Handler<typeof frame.type>)(deps, conn, frame)
}
