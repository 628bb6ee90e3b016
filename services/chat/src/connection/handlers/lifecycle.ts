import type { ClientFrameOf } from '@webchat/shared'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

// Edits, deletions and reactions: refused until the room log carries them (next commit).
const notYet = async (_deps: ChatDeps, conn: Connection, frame: { clientMsgId: string }): Promise<void> => {
  conn.error('unknown_type', 'not supported yet', frame.clientMsgId)
}

export const edit: (deps: ChatDeps, conn: Connection, frame: ClientFrameOf<'edit'>) => Promise<void> = notYet
export const remove: (deps: ChatDeps, conn: Connection, frame: ClientFrameOf<'delete'>) => Promise<void> = notYet
export const react: (deps: ChatDeps, conn: Connection, frame: ClientFrameOf<'react'>) => Promise<void> = notYet
