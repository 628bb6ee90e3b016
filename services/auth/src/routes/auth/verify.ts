import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, wireCodeOf } from '@webchat/service-kit'
import { SIGN_IN_COOKIE, UserBody, VerifyRequest } from '@webchat/shared'
import { errors } from '../../errors.js'
import { domainOf, signInCookie } from './code.js'

const verifyRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  const { authConfig: config, codes, users, revocations, authMetrics: metrics } = fastify
  fastify.post('/verify', {
    schema: {
      summary: 'Check a code and start a session (creates the user on first sign-in)',
      tags: ['auth'],
      body: VerifyRequest,
      description: `Needs the \`${SIGN_IN_COOKIE}\` cookie set by \`POST /auth/code\`; a stranger's guesses neither count against nor reveal anyone's code.`,
      response: { 200: UserBody, ...errorResponses(400, 401, 403, 410, 413, 415, 429) }
    }
  }, async (request, reply) => {
    const email = request.body.email.toLowerCase()
    if (config.allowedEmailDomains.length > 0 && !config.allowedEmailDomains.includes(domainOf(email))) {
      throw new errors.DomainNotAllowed()
    }
    try {
      await codes.check(email, request.body.code, request.ip, request.cookies[SIGN_IN_COOKIE])
    } catch (err) {
      const outcome = wireCodeOf(err)
      if (outcome !== undefined) metrics.verifications.inc({ outcome })
      throw err
    }
    const user = await users.findOrCreate(email)
    // A new session id at sign-in; the previous session (if any) ends everywhere.
    const previous = request.session.handle
    await request.session.regenerate()
    if (previous !== undefined) await revocations.revoke(previous)
    request.session.userId = user.id
    request.session.handle = randomBytes(18).toString('base64url')
    request.session.createdAt = Date.now()
    void reply.clearCookie(SIGN_IN_COOKIE, signInCookie(0))
    metrics.verifications.inc({ outcome: 'success' })
    return await reply.header('cache-control', 'no-store').send({ user })
  })
}

export default verifyRoute
