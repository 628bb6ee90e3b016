import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorResponses, wireCodeOf } from '@webchat/service-kit'
import { CodeAccepted, CodeRequest, LIMITS, SIGN_IN_COOKIE } from '@webchat/shared'
import type { CookieSerializeOptions } from '@fastify/cookie'
import { errors } from '../../errors.js'
import { mailFailure } from '../../plugins/app/mailer.js'

/** Domain of an address that passed the schema. */
export const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1)

/** The sign-in cookie: only the browser that asked for a code can check it. */
export const signInCookie = (maxAgeSeconds: number): CookieSerializeOptions =>
  ({ path: '/auth', httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: maxAgeSeconds })

const codeRoute: FastifyPluginAsyncTypebox = async (fastify) => {
  const { authConfig: config, codes, mailer, authMetrics: metrics } = fastify
  fastify.post('/code', {
    schema: {
      summary: `Mail a sign-in code of ${LIMITS.codeDigits} digits to an address (signs up on first use)`,
      description: `Sets the HttpOnly \`${SIGN_IN_COOKIE}\` cookie: \`POST /auth/verify\` checks the code only with it.`,
      tags: ['auth'],
      body: CodeRequest,
      response: { 202: CodeAccepted, ...errorResponses(400, 403, 413, 415, 429, 503) }
    }
  }, async (request, reply) => {
    const email = request.body.email.toLowerCase()
    if (config.allowedEmailDomains.length > 0 && !config.allowedEmailDomains.includes(domainOf(email))) {
      throw new errors.DomainNotAllowed()
    }
    try {
      const { request: id, ...accepted } = await codes.issue(email, request.ip, request.cookies[SIGN_IN_COOKIE], async (code) => {
        try {
          await mailer.sendCode(email, code)
        } catch (err) {
          request.log.warn({ mail: mailFailure(err) }, 'code mail failed')
          throw new errors.MailUnavailable()
        }
      })
      metrics.codesSent.inc({ result: 'sent' })
      void reply.setCookie(SIGN_IN_COOKIE, id, signInCookie(config.codeTtl))
      return await reply.code(202).header('cache-control', 'no-store').send(accepted)
    } catch (err) {
      const code = wireCodeOf(err)
      if (code !== undefined) metrics.codesSent.inc({ result: code === 'mail_unavailable' ? 'failed' : 'refused' })
      throw err
    }
  })
}

export default codeRoute
