import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { WebConfig } from '@webchat/shared'
import { errors, sendError } from '../errors.js'
import staticPlugin, { pageHeaders } from '../plugins/external/static.js'
import { isDocsUrl } from '../plugins/external/swagger.js'

/** Whether WEB_ROOT holds a built web app. */
export const hasWebApp = (root: string): boolean => root !== '' && existsSync(join(root, 'index.html'))

/**
 * The web app: its files at `/`, `GET /config.json` (where the chat socket is) and, for any
 * other page a browser asks for, index.html (the app routes on the client).
 */
const webRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { webRoot, chatPublicUrl } = fastify.authConfig
  const web = hasWebApp(webRoot)
  const headers = pageHeaders(chatPublicUrl)

  fastify.get('/config.json', {
    schema: { summary: 'Web app settings', tags: ['web'], response: { 200: WebConfig } }
  }, async (_request, reply) => await reply.header('cache-control', 'no-cache').send({ chatUrl: chatPublicUrl }))

  if (web) await fastify.register(staticPlugin, { root: webRoot, chatUrl: chatPublicUrl })
  else fastify.log.info({ webRoot }, 'no built web app: not serving one')

  const notFound = async function notFound (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    // Not under /docs: no app page lives there, and the docs' own file server hands its misses to
    // this handler with a reply of its own scope, which has no sendFile (that was a 500).
    const page = (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html') &&
      !isDocsUrl(request.url)
    // A reply from a scope without the static plugin has no sendFile: the JSON 404, never a 500.
    if (web && page && typeof reply.sendFile === 'function') return await reply.headers(headers).header('cache-control', 'no-cache').sendFile('index.html')
    return sendError(reply, new errors.NotFound())
  }
  // The 404 handler of the whole server: in a host that already has one (another app set it
  // first), that one stays and unknown pages are not answered with index.html.
  try {
    fastify.setNotFoundHandler(notFound)
  } catch (err) {
    fastify.log.warn({ err }, 'the server already has a 404 handler: not installing the web app fallback')
  }
}

export default webRoutes
