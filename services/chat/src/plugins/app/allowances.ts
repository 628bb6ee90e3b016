import fp from 'fastify-plugin'
import { type Allowances, createAllowances } from '../../allowances.js'

declare module 'fastify' {
  interface FastifyInstance { allowances: Allowances }
}

export default fp(async (fastify) => {
  const allowances = createAllowances({ maxSocketsPerUser: fastify.chatConfig.maxSocketsPerUser })
  fastify.decorate('allowances', allowances)
  fastify.addHook('onClose', async () => { allowances.close() })
}, { name: 'chat-allowances' })
