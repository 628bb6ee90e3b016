import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger'

/** OpenAPI 3 from the route schemas; served as JSON at /api/docs/json. */
export const autoConfig: FastifyDynamicSwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'webchat chat service',
      description: 'HTTP routes beside the WebSocket at /ws (see docs/protocol.md for the socket protocol).',
      version: '1.0.0'
    },
    components: {
      securitySchemes: {
        chatToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'a chat token from the auth service' },
        serviceKey: { type: 'http', scheme: 'bearer', description: 'one of CHAT_SERVICE_KEYS' }
      }
    }
  }
}

export default swagger
