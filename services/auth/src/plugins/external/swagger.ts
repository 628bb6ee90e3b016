import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'

/** The OpenAPI document, generated from the route schemas, and its UI at /docs. */
export default fp(async function swaggerPlugin (fastify) {
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
