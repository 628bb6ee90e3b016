import fp from 'fastify-plugin'
import { createRooms, type Rooms } from '../../delivery/rooms.js'

declare module 'fastify' {
  interface FastifyInstance { rooms: Rooms }
}

/** The rooms this instance relays, held while pub/sub is lost and caught up from their logs after. */
export default fp(async (fastify) => {
  const rooms = createRooms({ engine: fastify.engine, config: fastify.chatConfig, metrics: fastify.chatMetrics, outbox: fastify.outbox, log: fastify.log, reader: fastify.reader })
  fastify.decorate('rooms', rooms)
  // On a cluster the engine names the channels of the shard that failed: only their rooms wait.
  const stopInterrupt = fastify.engine.pubsub.onInterrupt((scope) => {
    fastify.log.warn({ channels: scope?.size ?? 'all' }, 'pub/sub lost: rooms hold what they are relayed until they catch up')
    rooms.interrupt(scope)
  })
  const stop = fastify.engine.pubsub.onResume((scope) => {
    fastify.log.info({ channels: scope?.size ?? 'all' }, 'pub/sub resumed: catching up rooms from their logs')
    void rooms.catchUp(scope)
  })
  fastify.addHook('onClose', async () => {
    stopInterrupt()
    stop()
    await rooms.close()
  })
}, { name: 'chat-rooms', dependencies: ['chat-engine', 'chat-metrics', 'chat-outbox', 'chat-messages'] })
