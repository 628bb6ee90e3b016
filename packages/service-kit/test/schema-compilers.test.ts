import { createRequire } from 'node:module'
import t from 'tap'
import Fastify from 'fastify'
import Type from 'typebox'
import { schemaController, typeBoxValidatorCompiler } from '../src/index.js'

// Fastify itself loads only fast-json-stringify's runtime (lib/), not its compiler (index.js).
const compilerLoaded = (): boolean =>
  Object.keys(createRequire(import.meta.url).cache).some((path) => path.endsWith('/node_modules/fast-json-stringify/index.js'))

const Problem = Type.Object({ error: Type.String() })
const Item = Type.Object({ id: Type.Integer(), name: Type.String() }, { additionalProperties: false })

t.test('validators and serializers are built on first use, then behave as Fastify\'s own with TypeBox', async (t) => {
  const app = Fastify({ schemaController })
  t.teardown(() => app.close())
  app.setValidatorCompiler(typeBoxValidatorCompiler)
  for (const path of ['/a', '/b']) {
    app.post(path, {
      schema: { querystring: Type.Object({ n: Type.Integer() }), body: Item, response: { 200: Item, 400: Problem, 409: Problem } }
    }, async (request, reply) => {
      const query = request.query as { n: number }
      if (query.n === 0) return await reply.code(409).send({ error: 'zero', secret: 'left out' })
      return { ...request.body as object, n: query.n, extra: 'left out' }
    })
  }
  await app.ready()
  t.notOk(compilerLoaded(), 'no serializer built while nothing was answered')

  const ok = await app.inject({ method: 'POST', url: '/a?n=2', payload: { id: 1, name: 'x' } })
  t.same([ok.statusCode, ok.json()], [200, { id: 1, name: 'x' }], 'query converted, reply serialized by its schema')
  t.ok(compilerLoaded())
  const strict = await app.inject({ method: 'POST', url: '/a?n=2', payload: { id: 1, name: 'x', more: true } })
  t.equal(strict.statusCode, 400, 'an extra field is an error, not dropped')
  const badQuery = await app.inject({ method: 'POST', url: '/b?n=two', payload: { id: 1, name: 'x' } })
  t.equal(badQuery.statusCode, 400)
  const conflict = await app.inject({ method: 'POST', url: '/b?n=0', payload: { id: 1, name: 'x' } })
  t.same([conflict.statusCode, conflict.json()], [409, { error: 'zero' }])
})
