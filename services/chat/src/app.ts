import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Registry } from 'prom-client'
import { Registry as PromRegistry, collectDefaultMetrics } from 'prom-client'
import type { Engine } from '@webchat/engine'
import { answerParserError, engineCheck, opsRoutes, schemaController, trustProxyOption, typeBoxValidatorCompiler } from '@webchat/service-kit'
import type { Config } from './config.js'
import { errorHandler, notFoundHandler } from './errors.js'
import { loggerOptions } from './logger.js'
import allowances from './plugins/app/allowances.js'
import connections from './plugins/app/connections.js'
import engine from './plugins/app/engine.js'
import hooks from './plugins/app/hooks.js'
import inbox from './plugins/app/inbox.js'
import membership from './plugins/app/membership.js'
import lifecycle from './plugins/app/lifecycle.js'
import messages from './plugins/app/messages.js'
import metrics from './plugins/app/metrics.js'
import notify from './plugins/app/notify.js'
import outbox from './plugins/app/outbox.js'
import presence from './plugins/app/presence.js'
import rooms from './plugins/app/rooms.js'
import tokens from './plugins/app/tokens.js'
import swagger, { autoConfig as swaggerConfig } from './plugins/external/swagger.js'
import websocket, { autoConfig as websocketConfig } from './plugins/external/websocket.js'
import docsRoutes from './routes/api/docs.js'
import roomAdminRoutes from './routes/api/room-admin.js'
import roomRoutes from './routes/api/rooms.js'
import userRoutes from './routes/api/users.js'
import webhookRoutes from './routes/api/webhooks.js'
import wsRoutes from './routes/ws/index.js'

export interface AppOptions {
  config: Config
  /** Used as is and not closed; otherwise one is made from config and closed with the app. */
  engine?: Engine
  /** Where metrics go (default: a new Registry per app). */
  registry?: Registry
  /** Register /healthz, /readyz and /metrics (default true). */
  ops?: boolean
}

declare module 'fastify' {
  interface FastifyInstance { chatConfig: Config }
}

/** The whole chat service as one Fastify plugin (not encapsulation-breaking: embed with register). */
export default async function app (fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  const registry = opts.registry ?? new PromRegistry()
  if (opts.registry === undefined && opts.ops !== false) collectDefaultMetrics({ register: registry, prefix: 'webchat_chat_' })
  fastify.decorate('chatConfig', opts.config)
  fastify.setErrorHandler(errorHandler)
  // Strict TypeBox validation (extra fields are errors, not silently dropped); JSON bodies only.
  fastify.setValidatorCompiler(typeBoxValidatorCompiler)
  fastify.removeContentTypeParser('text/plain')

  await fastify.register(swagger, swaggerConfig)
  await fastify.register(websocket, websocketConfig)
  await fastify.register(metrics, { registry })
  await fastify.register(outbox)
  await fastify.register(engine, { config: opts.config, engine: opts.engine })
  await fastify.register(hooks)
  await fastify.register(tokens)
  await fastify.register(messages)
  await fastify.register(rooms)
  await fastify.register(presence)
  await fastify.register(connections)
  await fastify.register(allowances)
  await fastify.register(membership)
  await fastify.register(lifecycle)
  await fastify.register(notify)
  await fastify.register(inbox)

  await fastify.register(wsRoutes)
  await fastify.register(roomRoutes)
  await fastify.register(roomAdminRoutes)
  await fastify.register(userRoutes)
  await fastify.register(webhookRoutes)
  await fastify.register(docsRoutes)
  if (opts.ops !== false) {
    await fastify.register(opsRoutes, {
      metrics: fastify.chatRegistry,
      required: { engine: engineCheck(fastify.engine), accepting: () => !fastify.connections.closing },
      timeoutMs: opts.config.engineTimeoutMs,
      readiness: 'Readiness: 503 while the engine is unreachable or the instance is shutting down'
    })
  }
}

/** A ready Fastify instance serving the chat service alone (tests, server.ts). */
export async function buildApp (opts: AppOptions & { logger?: FastifyServerOptions['logger'] }): Promise<FastifyInstance> {
  const { logger, ...appOptions } = opts
  const fastify = Fastify({
    logger: logger ?? loggerOptions(opts.config),
    trustProxy: trustProxyOption(opts.config.trustProxy),
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Validators and serializers built when a route first needs them (a fresh instance serves none).
    schemaController,
    // Errors raised before routing (a malformed URL, a bad content type) get the same body.
    frameworkErrors: errorHandler,
    // And those the HTTP parser refuses before a request exists (not HTTP, 431, 408).
    clientErrorHandler: answerParserError
  })
  fastify.setNotFoundHandler(notFoundHandler)
  // Outside the app's scope too (a bad body on a route that does not exist): the same body.
  fastify.setErrorHandler(errorHandler)
  await fastify.register(app, appOptions)
  await fastify.ready()
  return fastify
}
