import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses } from '@webchat/service-kit'
import { INVITATION_TYPE, InvitationRequest, InvitationResponse } from '@webchat/shared'
import { errors } from '../../errors.js'
import { normalizeEmail } from '../../plugins/app/users.js'
import { domainOf } from './code.js'
import { requireSession, signedIn } from './session-user.js'

const invitationsRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  const { authConfig: config, invitations } = fastify
  fastify.post('/invitations', {
    schema: {
      summary: 'Invite someone by email address: a ticket for the invite and direct frames, and a mail to the address',
      description: `The same 200 answer whether or not the address ever signed in (nothing is stored for the address: the ticket names the id it has, or the one it gets at its first sign-in, where it finds the room). The ticket is a JWT of type \`${INVITATION_TYPE}\`, valid 10 minutes, for this user only. The mail, sent in the background, names the inviter by their verified address (never their display name) and links to the app; at most INVITATION_MAILS_PER_DAY reach one inbox a day, name+tag@ counting as name@ (past it the answer is the same, without a mail). INVITATIONS_PER_HOUR per user, then 429.`,
      tags: ['auth'],
      body: InvitationRequest,
      response: { 200: InvitationResponse, ...errorResponses(400, 401, 403, 413, 415, 429) }
    },
    onRequest: requireSession
  }, async (request, reply) => {
    const { user } = signedIn(request)
    const email = normalizeEmail(request.body.email)
    // Nobody outside these domains can sign in to answer; refusing tells nothing about anyone.
    if (config.allowedEmailDomains.length > 0 && !config.allowedEmailDomains.includes(domainOf(email))) {
      throw new errors.DomainNotAllowed()
    }
    const answer = await invitations.invite(user, email)
    return await reply.header('cache-control', 'no-store').send(answer)
  })
}

export default invitationsRoute
