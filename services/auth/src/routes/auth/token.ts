import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, withDetail } from '@webchat/service-kit'
import { TokenResponse } from '@webchat/shared'
import { errors } from '../../errors.js'
import { names } from '../../names.js'
import { requireSession, signedIn } from './session-user.js'

/** The window of TOKEN_MINT_MAX. */
const MINT_WINDOW_MS = 10 * 60_000

const tokenRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post('/token', {
    schema: {
      summary: 'Mint a short-lived chat token for this session',
      tags: ['auth'],
      response: { 200: TokenResponse, ...errorResponses(401, 403, 429) }
    },
    onRequest: requireSession
  }, async (request, reply) => {
    const { user, handle } = signedIn(request)
    // Each token opens a socket, and chat keeps every used token id until it expires: minting
    // is bounded per user so that no account can fill a bounded store with them.
    const { count, resetMs } = await fastify.engine.counters.increment(names.tokensMinted(user.id), MINT_WINDOW_MS)
    if (count > fastify.authConfig.tokenMintMax) throw withDetail(new errors.RateLimited(), { retryAfter: Math.ceil(resetMs / 1000) })
    const { token, expiresAt } = await fastify.signer.sign({ userId: user.id, sid: handle, name: user.name })
    fastify.authMetrics.tokensMinted.inc()
    return await reply.header('cache-control', 'no-store').send({ token, expiresAt })
  })
}

export default tokenRoute
