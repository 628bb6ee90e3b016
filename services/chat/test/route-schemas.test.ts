import t from 'tap'
import Fastify, { type RouteOptions } from 'fastify'
import { createMemoryEngine } from '@webchat/engine'
import { compileAll, schemaController } from '@webchat/service-kit'
import app from '../src/app.js'
import { loadConfig } from '../src/config.js'

// The service builds a route's validators and serializers when it first needs them; this builds
// every one of them now, so that a schema that cannot be built fails here, not at its first request.
t.test('every route\'s schemas build', async (t) => {
  const engine = createMemoryEngine()
  t.teardown(() => engine.close())
  const fastify = Fastify({ logger: false, schemaController })
  t.teardown(() => fastify.close())
  const routes: RouteOptions[] = []
  fastify.addHook('onRoute', (route) => { routes.push(route) })
  await fastify.register(app, { config: loadConfig({ LOG_LEVEL: 'silent', AUTH_URL: 'http://127.0.0.1:9' }), engine })
  await fastify.ready()
  const withSchemas = routes.filter((route) => route.schema !== undefined)
  t.ok(withSchemas.length >= 20, `${withSchemas.length} routes with schemas`)
  const built = compileAll(withSchemas as Parameters<typeof compileAll>[0])
  t.ok(built >= withSchemas.length, `${built} validators and serializers built`)
})
