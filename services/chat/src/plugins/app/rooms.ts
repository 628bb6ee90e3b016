import fp from 'fastify-plugin'
import { createRooms, type Rooms } from '../../delivery/rooms.js'

declare module 'fastify' {
  interface FastifyInstance { rooms: Rooms }
}

/** The rooms this instance relays, held while pub/sub is lost and caught up from their logs after. */
export default fp(async (fastify) => {
  const rooms = createRooms({ engine: fastify.engine, config: fastify.chatConfig, metrics: fastify.chatMetrics, outbox: fastify.outbox, log: fastify.log })
  fastify.decorate('rooms', rooms)
  const stopInterrupt = fastify.engine.pubsub.onInterrupt(() => {
    fastify.log.warn('pub/sub lost: rooms hold what they are relayed until they catch up')
    rooms.interrupt()
  })
  const stop = fastify.engine.pubsub.onResume(() => {
    fastify.log.info('pub/sub resumed: catching up every room from its log')
    void rooms.catchUp()
  })
  fastify.addHook('onClose', async () => {
    stopInterrupt()
    stop()
    await rooms.close()
  })
}, { name: 'chat-rooms', dependencies: ['chat-engine', 'chat-metrics', 'chat-outbox'] })
