import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'

/**
 * Whether a request URL is under /docs (the UI, its files, the document), judged on the path as
 * the router sees it: percent-decoded, so `/%64ocs` is /docs here as it is there.
 */
export const isDocsUrl = (url: string): boolean => /^\/docs(?:\/|$)/.test(decodedPath(url))

function decodedPath (url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? ''
  try {
    return decodeURIComponent(path)
  } catch {
    return path
  }
}

/**
 * The CSP of everything under /docs. The UI is served on the session cookie's origin, so it may
 * not be framed (clickjacking) and runs only its own files (the UI needs nothing inline).
 */
export const DOCS_CSP = [
  "default-src 'self'", "script-src 'self'", "script-src-attr 'none'", "style-src 'self'", "img-src 'self' data:",
  "font-src 'self' data:", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"
].join('; ')

/** The OpenAPI document, generated from the route schemas, and its UI at /docs. */
export default fp(async function swaggerPlugin (fastify) {
  // In the app's scope, not the UI's: 404s of its static files are answered from there too.
  fastify.addHook('onSend', async (request, reply) => {
    if (isDocsUrl(request.url)) void reply.header('content-security-policy', DOCS_CSP)
  })
  await fastify.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'webchat auth',
        description: 'Passwordless sign-in with emailed codes, cookie sessions, signed chat tokens.',
        version: '0.1.0'
      },
      tags: [
        { name: 'auth', description: 'Browser sign-in flow (session cookie)' },
        { name: 'service', description: 'For other backends' },
        { name: 'keys', description: 'Token verification keys' },
        { name: 'ops', description: 'Health and readiness' }
      ],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'webchat_session' },
          serviceKey: { type: 'http', scheme: 'bearer', description: 'one of AUTH_SERVICE_KEYS' }
        }
      }
    }
  })
  await fastify.register(fastifySwaggerUi, { routePrefix: '/docs' })
}, { name: 'auth-swagger' })
