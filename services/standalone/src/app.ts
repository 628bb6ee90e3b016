import Fastify, { type FastifyInstance } from 'fastify'
import { Registry } from 'prom-client'
import { app as authApp, serverOptions } from '@webchat/auth'
import { app as chatApp } from '@webchat/chat'
import { createMemoryEngine, type Engine } from '@webchat/engine'
import { engineCheck, opsRoutes } from '@webchat/service-kit'
import type { Config } from './config.js'

export interface Standalone {
  fastify: FastifyInstance
  engine: Engine
}

/**
 * Auth, chat and the web app in one Fastify server on one memory engine: what `npm start` runs.
 * Each service keeps its own plugin scope; health, readiness and metrics are served once here.
 */
export async function buildStandalone (config: Config): Promise<Standalone> {
  const engine = createMemoryEngine()
  const registry = new Registry()
  const fastify = Fastify(serverOptions(config.auth))
  let closing = false
  fastify.addHook('preClose', async () => { closing = true })
  fastify.addHook('onClose', async () => { await engine.close() })
  try {
    await fastify.register(authApp, { config: config.auth, engine, registry, ops: false })
    await fastify.register(chatApp, { config: config.chat, engine, registry, ops: false })
    await fastify.register(opsRoutes, { metrics: registry, required: { engine: engineCheck(engine), accepting: () => !closing } })
    await fastify.ready()
  } catch (err) {
    await fastify.close().catch(() => {})
    throw err
  }
  return { fastify, engine }
}
