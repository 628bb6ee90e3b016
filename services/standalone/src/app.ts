import Fastify, { type FastifyInstance } from 'fastify'
import { Registry } from 'prom-client'
import { app as authApp, loadConfig as loadAuthConfig, serverOptions } from '@webchat/auth'
import { app as chatApp, loadConfig as loadChatConfig } from '@webchat/chat'
import { createMemoryEngine, type Engine } from '@webchat/engine'
import type { Config } from './config.js'
import opsRoutes from './ops.js'

export interface Standalone {
  fastify: FastifyInstance
  engine: Engine
}

/**
 * Auth, chat and the web app in one Fastify server on one memory engine: what `npm start` runs.
 * Each service keeps its own plugin scope; health, readiness and metrics are served once here.
 */
export async function buildStandalone (config: Config): Promise<Standalone> {
  const authConfig = loadAuthConfig(config.auth)
  const chatConfig = loadChatConfig(config.chat)
  const engine = createMemoryEngine()
  const registry = new Registry()
  const fastify = Fastify(serverOptions(authConfig))
  fastify.addHook('onClose', async () => { await engine.close() })
  try {
    await fastify.register(authApp, { config: authConfig, engine, registry, ops: false })
    await fastify.register(chatApp, { config: chatConfig, engine, registry, ops: false })
    await fastify.register(opsRoutes, { engine, registry })
    await fastify.ready()
  } catch (err) {
    await fastify.close().catch(() => {})
    throw err
  }
  return { fastify, engine }
}
