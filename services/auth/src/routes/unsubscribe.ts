import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { appUrlOf } from '../config.js'
import { FORM_LIMIT } from '../body-parsers.js'
import { confirmPage, donePage, invalidPage, PAGE_HEADERS } from '../notifications/unsubscribe-page.js'

const Query = Type.Object({
  u: Type.Optional(Type.String({ description: 'the user id' })),
  s: Type.Optional(Type.String({ description: 'the link\'s signature' }))
})
const Page = (description: string) => ({ description, content: { 'text/html': { schema: Type.String() } } })

/**
 * The one-click unsubscribe link of notification mails, used without signing in. Registered
 * outside the /auth routes' origin guard on purpose: mail clients POST it (RFC 8058) from no page
 * of ours, with no Origin we could allow. It is safe without one: the signature in the link is
 * the credential (it names one user and was mailed only to them), and the only thing a request
 * can do is turn that user's mails off.
 */
const unsubscribeRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { settings, links } = fastify.notifications
  const appUrl = appUrlOf(fastify.authConfig)
  // RFC 8058 clients send `List-Unsubscribe=One-Click` as a form; what it says changes nothing.
  fastify.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, _body, done) => {
    done(null, undefined)
  })
  const schema = (summary: string, description: string, ok: string) => ({
    summary,
    description,
    tags: ['auth'],
    querystring: Query,
    response: { 200: Page(ok), 400: Page('the signature is missing or wrong: nothing changed') }
  })

  fastify.get('/unsubscribe', {
    schema: schema('The page of a notification mail\'s unsubscribe link', 'Changes nothing (mail scanners follow links): a page whose button POSTs the same link.', 'the page with the button')
  }, async (request, reply) => {
    const { u, s } = request.query
    if (!links.verify(u, s)) return await reply.code(400).headers(PAGE_HEADERS).send(invalidPage(appUrl))
    return await reply.headers(PAGE_HEADERS).send(confirmPage(links.path(u)))
  })

  fastify.post('/unsubscribe', {
    schema: schema(
      'One-click unsubscribe (RFC 8058): no more notification mails for the user of the link',
      'No session and no origin check: the signature is the credential. Takes the `List-Unsubscribe=One-Click` form body mail clients send, or no body.',
      'mails are off'
    )
  }, async (request, reply) => {
    const { u, s } = request.query
    if (!links.verify(u, s)) return await reply.code(400).headers(PAGE_HEADERS).send(invalidPage(appUrl))
    // Only for a user who exists: a link outliving its user stores nothing.
    if (await fastify.users.get(u) !== null) await settings.setEmailChoice(u, 'off')
    request.log.info({ user: u }, 'notification mails turned off by the unsubscribe link')
    return await reply.headers(PAGE_HEADERS).send(donePage(appUrl))
  })
}

export default unsubscribeRoutes
