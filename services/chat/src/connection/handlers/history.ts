import { type ClientFrameOf, LIMITS } from '@webchat/shared'
import { checkAccess } from '../../membership/access.js'
import type { Connection } from '../connection.js'
import type { ChatDeps } from '../deps.js'

/** A page of older messages: public rooms need no join, private and direct ones a membership. */
export async function history (deps: ChatDeps, conn: Connection, { room, before, limit }: ClientFrameOf<'history'>): Promise<void> {
  await checkAccess(deps.membership, room, conn.user.id)
  const page = await deps.allowances.replies(conn.user.id).run(async () => await deps.messages.page(room, before, limit ?? LIMITS.historyPage))
  conn.sendFrame({ type: 'history', room, messages: page.messages, more: page.more })
}
