import fp from 'fastify-plugin'
import { createOutbox, type Outbox } from '../../delivery/outbox.js'
import { frameText } from '../../delivery/ws-frame.js'

declare module 'fastify' {
  interface FastifyInstance { outbox: Outbox }
}

/** The instance's write side: frames queued per socket and written once per event-loop turn. */
export default fp(async (fastify) => {
  const outbox = createOutbox((conn, frame) => conn.write(frame), frameText)
  fastify.decorate('outbox', outbox)
  // Whatever is still queued goes out before the sockets are closed.
  fastify.addHook('preClose', async () => { outbox.flush() })
}, { name: 'chat-outbox' })
