import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '@webchat/service-kit'
import { EMAIL_NOTIFICATION_CHOICES, NotificationSettings } from '@webchat/shared'
import { errors } from '../../errors.js'
import { requireSession, signedIn } from './session-user.js'

const about = 'Mails about direct messages and mentions that reached the user while away: `all` (the default), `direct` (direct messages only) or `off`.'

const notificationRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { settings } = fastify.notifications
  fastify.get('/me/notifications', {
    schema: { summary: 'The signed-in user\'s notification settings', description: about, tags: ['auth'], response: { 200: NotificationSettings, ...errorResponses(401) } },
    onRequest: requireSession
  }, async (request, reply) => {
    const { user } = signedIn(request)
    return await reply.header('cache-control', 'no-store').send({ email: await settings.emailChoice(user.id) })
  })

  fastify.put('/me/notifications', {
    schema: {
      summary: 'Change the signed-in user\'s notification settings',
      description: about,
      tags: ['auth'],
      body: NotificationSettings,
      response: { 200: NotificationSettings, ...errorResponses(400, 401, 403, 413, 415) }
    },
    onRequest: requireSession,
    // Its own message: the service's handler reads a bad `email` field as a bad address.
    attachValidation: true
  }, async (request, reply) => {
    if (request.validationError !== undefined) throw new errors.BadRequest(`the body must be {"email": one of ${EMAIL_NOTIFICATION_CHOICES.join(', ')}}`)
    const { user } = signedIn(request)
    await settings.setEmailChoice(user.id, request.body.email)
    return await reply.header('cache-control', 'no-store').send({ email: request.body.email })
  })
}

export default notificationRoutes
