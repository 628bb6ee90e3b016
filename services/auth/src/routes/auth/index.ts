import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { originGuard } from '../../plugins/app/origin-guard.js'
import sessionPlugin from '../../plugins/external/session.js'
import codeRoute from './code.js'
import invitationsRoute from './invitations.js'
import logoutRoute from './logout.js'
import meRoutes from './me.js'
import notificationRoutes from './notifications.js'
import tokenRoute from './token.js'
import verifyRoute from './verify.js'

/** The browser-facing routes under /auth: cookie sessions, guarded against cross-site requests. */
const authRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  await fastify.register(sessionPlugin)
  fastify.decorateRequest('signedIn', null)
  fastify.addHook('onRequest', originGuard(fastify.authConfig.allowedOrigins))
  await fastify.register(codeRoute)
  await fastify.register(verifyRoute)
  await fastify.register(meRoutes)
  await fastify.register(notificationRoutes)
  await fastify.register(tokenRoute)
  await fastify.register(invitationsRoute)
  await fastify.register(logoutRoute)
}

export default authRoutes
