import fp from 'fastify-plugin'
import type { Engine } from '@webchat/engine'
import { names } from '../../names.js'

export interface Revocations {
  /** Marks the session ended for every service: tokens are refused, chat sockets close. */
  revoke (sid: string): Promise<void>
  isRevoked (sid: string): Promise<boolean>
}

export function createRevocations ({ engine, tokenTtlMs }: { engine: Engine, tokenTtlMs: number }): Revocations {
  return {
    async revoke (sid) {
      // The key first: a chat instance that sees the message may check it at once. The message
      // goes out even when the key cannot be stored, so that open sockets close whatever happens.
      const stored = await engine.kv.set(names.revokedSession(sid), '1', tokenTtlMs + 60_000).then(() => null, (err: unknown) => err)
      await engine.pubsub.publish(names.sessionRevokedChannel(names.revocationBucketOf(sid)), sid)
      if (stored !== null) throw stored
    },
    isRevoked: async (sid) => await engine.kv.get(names.revokedSession(sid)) !== null
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    revocations: Revocations
  }
}

export default fp(async function revocationsPlugin (fastify) {
  fastify.decorate('revocations', createRevocations({ engine: fastify.engine, tokenTtlMs: fastify.authConfig.tokenTtl * 1000 }))
}, { name: 'auth-revocations', dependencies: ['auth-config', 'auth-engine'] })
