import fp from 'fastify-plugin'
import type { InboxEntry } from '@webchat/shared'
import { Connection } from '../../connection/connection.js'
import { createInbox, type Inbox } from '../../inbox/service.js'

declare module 'fastify' {
  interface FastifyInstance { inbox: Inbox }
}

const INBOX_FRAME = '{"type":"inbox",'

/** Unread and mention counts of users' rooms, kept current live for the connections of this instance. */
export default fp(async (fastify) => {
  const { engine, rooms, connections, log } = fastify
  const inbox = createInbox({ engine, config: fastify.chatConfig, log })
  fastify.decorate('inbox', inbox)
  const { live } = inbox

  rooms.onMembers((room, recipient, attached) => {
    if (!(recipient instanceof Connection)) return
    if (attached) {
      live.joined(recipient, room)
      return
    }
    if (!live.left(recipient, room)) return
    // Its counts did not follow while it was joined (the client counted): fresh ones from the store.
    inbox.entry(recipient.user.id, room).then((entry) => {
      if (live.get(recipient, room) === undefined || recipient.inRoom(room)) return
      live.set(recipient, room, entry)
      recipient.sendFrame({ type: 'inbox', room, inbox: entry })
    }, (err: unknown) => { log.warn({ err, room }, 'inbox: counts not refreshed after leaving') })
  })
  // A read on any device, told to every connection of the user: their counts follow it.
  connections.onUserFrame((conns, frame) => {
    if (!frame.startsWith(INBOX_FRAME)) return
    try {
      const { room, inbox: entry } = JSON.parse(frame) as { room: string, inbox: InboxEntry }
      // Only rooms of the list: a read where the user is no member (a public room) adds none.
      for (const conn of conns) if (live.get(conn, room) !== undefined) live.set(conn, room, entry)
    } catch {
      // Not an inbox frame after all: the connections get it as it is.
    }
  })
  const stop = engine.pubsub.onResume((scope) => {
    live.refresh(scope).catch((err: unknown) => { log.warn({ err }, 'inbox: counts not refreshed after the outage') })
  })
  fastify.addHook('onClose', async () => { stop() })
}, { name: 'chat-inbox', dependencies: ['chat-engine', 'chat-rooms', 'chat-connections'] })
