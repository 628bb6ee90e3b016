import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import type { Registry } from 'prom-client'
import type { Engine } from '@webchat/engine'
import { answerParserError, engineCheck, opsRoutes, trustProxyOption } from '@webchat/service-kit'
import { BODY_LIMIT, useJsonBodies } from './body-parsers.js'
import type { Config } from './config.js'
import { errorHandler, sendError } from './errors.js'
import { loggerOptions } from './logger.js'
import codesPlugin from './plugins/app/codes.js'
import configPlugin from './plugins/app/config.js'
import enginePlugin from './plugins/app/engine.js'
import invitationsPlugin from './plugins/app/invitations.js'
import mailerPlugin from './plugins/app/mailer.js'
import metricsPlugin from './plugins/app/metrics.js'
import notificationsPlugin from './plugins/app/notifications.js'
import revocationsPlugin from './plugins/app/revocations.js'
import signerPlugin from './plugins/app/signer.js'
import usersPlugin from './plugins/app/users.js'
import swaggerPlugin from './plugins/external/swagger.js'
import authRoutes from './routes/auth/index.js'
import introspectRoute from './routes/auth/introspect.js'
import unsubscribeRoutes from './routes/unsubscribe.js'
import webRoutes from './routes/web.js'
import wellKnownRoutes from './routes/well-known.js'

export interface AppOptions {
  config: Config
  /** Used as is and left open on close; otherwise one is made from `config` and closed. */
  engine?: Engine
  /** Where metrics go; default a registry of this app's own. */
  registry?: Registry
  /** false: no /healthz, /readyz, /metrics (the host serves them). */
  ops?: boolean
}

/** The whole auth service as one plugin (not fastify-plugin wrapped: it keeps its own scope). */
export default async function app (fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  fastify.setValidatorCompiler(TypeBoxValidatorCompiler)
  fastify.setErrorHandler(errorHandler)
  useJsonBodies(fastify)
  fastify.addHook('onSend', async (_request, reply) => {
    void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin')
  })

  await fastify.register(configPlugin, { config: opts.config })
  await fastify.register(metricsPlugin, { registry: opts.registry })
  await fastify.register(enginePlugin, { engine: opts.engine })
  await fastify.register(mailerPlugin)
  await fastify.register(signerPlugin)
  await fastify.register(codesPlugin)
  await fastify.register(usersPlugin)
  await fastify.register(revocationsPlugin)
  await fastify.register(invitationsPlugin)
  await fastify.register(notificationsPlugin)
  if (opts.config.docs) await fastify.register(swaggerPlugin)

  await fastify.register(authRoutes, { prefix: '/auth' })
  await fastify.register(introspectRoute, { prefix: '/auth' })
  await fastify.register(unsubscribeRoutes, { prefix: '/auth' })
  await fastify.register(wellKnownRoutes)
  // Readiness is the engine's (and, by return503OnClosing, 503 once closing). The mail server is
  // reported, never required: every instance shares it, so failing readiness on it would take them
  // all out of the load balancer, and signed-in users need no mail. Its state is the last
  // background probe's, so a mail server that never answers cannot slow the answer.
  if (opts.ops !== false) {
    await fastify.register(opsRoutes, {
      metrics: fastify.authMetrics.registry,
      required: { engine: engineCheck(fastify.engine) },
      reported: { mail: () => fastify.mailer.reachable() },
      readiness: 'Readiness: 503 while the engine is unreachable or the instance is closing; checks.mail reports the mail server (last probe) without failing readiness'
    })
  }
  await fastify.register(webRoutes)
}

/** Fastify server options for a server that hosts this app. */
export function serverOptions (config: Config): FastifyServerOptions {
  return {
    logger: loggerOptions(config),
    trustProxy: trustProxyOption(config.trustProxy),
    bodyLimit: BODY_LIMIT,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // Errors raised before routing (a malformed URL, a bad header) get the same `{error, message}`.
    frameworkErrors: (err, _request, reply) => { sendError(reply, err) },
    // And those the HTTP parser refuses before a request exists (not HTTP, 431, 408).
    clientErrorHandler: answerParserError,
    requestTimeout: 30_000
  }
}

/** A ready server with the app registered, not listening (tests use `inject`). */
export async function buildApp (opts: AppOptions & { server?: FastifyServerOptions }): Promise<FastifyInstance> {
  const { server, ...appOptions } = opts
  const fastify = Fastify({ ...serverOptions(opts.config), ...server })
  try {
    await fastify.register(app, appOptions)
    await fastify.ready()
  } catch (err) {
    await fastify.close().catch(() => {})
    throw err
  }
  return fastify
}
