import { type ClientFrameOf, LIMITS } from '@webchat/shared'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

/** A page of older messages; rooms are open, so no join is needed. */
export async function history (deps: ChatDeps, conn: Connection, { room, before, limit }: ClientFrameOf<'history'>): Promise<void> {
  const page = await deps.allowances.replies(conn.user.id).run(async () => await deps.messages.page(room, before, limit ?? LIMITS.historyPage))
  conn.sendFrame({ type: 'history', room, messages: page.messages, more: page.more })
}
