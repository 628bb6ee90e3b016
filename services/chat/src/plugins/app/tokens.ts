import fp from 'fastify-plugin'
import { createTokens, type Tokens } from '../../tokens.js'

declare module 'fastify' {
  interface FastifyInstance { tokens: Tokens }
}

export default fp(async (fastify) => {
  fastify.decorate('tokens', createTokens({ config: fastify.chatConfig, engine: fastify.engine }))
}, { name: 'chat-tokens', dependencies: ['chat-engine'] })
