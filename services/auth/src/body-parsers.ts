import type { FastifyInstance } from 'fastify'

/** Largest request body the service reads; larger bodies get 413 `payload_too_large`. */
export const BODY_LIMIT = 16 * 1024
export const FORM_LIMIT = BODY_LIMIT

/**
 * Only JSON bodies (others get 415), at most BODY_LIMIT bytes, `__proto__` and `constructor`
 * keys refused (400), and an empty body read as no body, so that `POST /auth/logout` with a
 * JSON content type and nothing in it works. Set on this app's scope, whatever the host server's
 * options are.
 */
export function useJsonBodies (fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error')
  fastify.removeAllContentTypeParsers()
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    if (body === '') {
      done(null, undefined)
      return
    }
    parseJson(request, body as string, done)
  })
}
