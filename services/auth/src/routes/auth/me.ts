import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '@webchat/service-kit'
import { RenameRequest, UserBody, normalizeName } from '@webchat/shared'
import { errors } from '../../errors.js'
import { requireSession, signedIn } from './session-user.js'

const meRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get('/me', {
    schema: { summary: 'The signed-in user', tags: ['auth'], response: { 200: UserBody, ...errorResponses(401) } },
    onRequest: requireSession
  }, async (request, reply) => {
    const { user } = signedIn(request)
    return await reply.header('cache-control', 'no-store').send({ user })
  })

  fastify.patch('/me', {
    schema: {
      summary: 'Rename the signed-in user (1 to 40 characters that show, trimmed; no control, invisible, filler or direction characters)',
      tags: ['auth'],
      body: RenameRequest,
      response: { 200: UserBody, ...errorResponses(400, 401, 403, 413, 415) }
    },
    onRequest: requireSession
  }, async (request, reply) => {
    const { user } = signedIn(request)
    const name = normalizeName(request.body.name)
    if (name === null) throw new errors.InvalidName()
    const renamed = await fastify.users.rename(user.id, name)
    if (renamed === null) throw new errors.Unauthorized()
    return await reply.header('cache-control', 'no-store').send({ user: renamed })
  })
}

export default meRoutes
