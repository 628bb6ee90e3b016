import { createRequire } from 'node:module'
import t, { type Test } from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import Type from 'typebox'
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox'
import { compileAll, schemaController, typeBoxValidatorCompiler } from '../src/index.js'

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

/** The same routes on Fastify's own compilers (with the TypeBox validator) and on the lazy ones. */
async function pair (t: Test, routes: (app: FastifyInstance) => void): Promise<[FastifyInstance, FastifyInstance]> {
  const upstream = Fastify()
  upstream.setValidatorCompiler(TypeBoxValidatorCompiler)
  const lazy = Fastify({ schemaController })
  lazy.setValidatorCompiler(typeBoxValidatorCompiler)
  for (const app of [upstream, lazy]) {
    t.teardown(() => app.close())
    routes(app)
    await app.ready()
  }
  return [upstream, lazy]
}

t.test('answers as Fastify\'s own compilers do: status ranges, content types, shared and boolean schemas, errors', async (t) => {
  const [upstream, lazy] = await pair(t, (app) => {
    app.post('/items', {
      schema: {
        headers: Type.Object({ 'x-n': Type.Optional(Type.Integer()) }),
        body: Item,
        response: { '2xx': Item, 400: Problem, 404: Problem, 409: Problem }
      }
    }, async (request, reply) => {
      const n = (request.headers as { 'x-n'?: number })['x-n']
      if (n === 404 || n === 409) return await reply.code(n).send({ error: 'no', hidden: true })
      return await reply.code(n === 201 ? 201 : 200).send({ ...request.body as object, hidden: true })
    })
    app.get('/typed', {
      schema: { response: { 200: { content: { 'application/json': { schema: Item }, 'text/plain': { schema: Type.String() } } } } }
    }, async (request, reply) => {
      if (request.headers.accept === 'text/plain') return await reply.type('text/plain').send('plain')
      return await reply.type('application/json').send({ id: 1, name: 'x', hidden: true })
    })
    app.post('/anything', { schema: { body: true, response: { 200: true } } as never }, async (request) => request.body)
  })
  const requests: Array<{ method: 'GET' | 'POST', url: string, payload?: object, headers?: Record<string, string> }> = [
    { method: 'POST', url: '/items', payload: { id: 1, name: 'a' } },
    { method: 'POST', url: '/items', payload: { id: 1, name: 'a' }, headers: { 'x-n': '201' } },
    { method: 'POST', url: '/items', payload: { id: 1, name: 'a' }, headers: { 'x-n': '409' } },
    { method: 'POST', url: '/items', payload: { id: 1, name: 'a' }, headers: { 'x-n': '404' } },
    { method: 'POST', url: '/items', payload: { id: 1, name: 'a' }, headers: { 'x-n': 'many' } },
    { method: 'POST', url: '/items', payload: { id: 'one', name: 'a', more: 1 } },
    { method: 'GET', url: '/typed' },
    { method: 'GET', url: '/typed', headers: { accept: 'text/plain' } },
    { method: 'POST', url: '/anything', payload: { any: ['thing'] } }
  ]
  for (const request of requests) {
    const [a, b] = await Promise.all([upstream.inject(request), lazy.inject(request)])
    t.same([b.statusCode, b.headers['content-type'], b.body], [a.statusCode, a.headers['content-type'], a.body], `${request.method} ${request.url} ${JSON.stringify(request.headers ?? {})}`)
  }
})

t.test('a schema that cannot be built fails each request alike, is never built again, and fails compileAll', async (t) => {
  const broken = { $ref: 'nowhere#' }
  const app = Fastify({ schemaController, logger: false })
  t.teardown(() => app.close())
  app.setValidatorCompiler(typeBoxValidatorCompiler)
  app.get('/broken', { schema: { response: { 200: broken } } }, async () => ({ id: 1 }))
  app.post('/unchecked', { schema: { body: broken } }, async () => ({ id: 1 }))
  await app.ready()
  const bodies = [await app.inject({ method: 'POST', url: '/unchecked', payload: {} }), await app.inject({ method: 'POST', url: '/unchecked', payload: {} })]
  t.same(bodies.map((res) => res.statusCode), [500, 500], 'a validator that cannot be built: each request fails, none passes unchecked')
  const first = await app.inject({ url: '/broken' })
  const second = await app.inject({ url: '/broken' })
  t.equal(first.statusCode, 500)
  t.same([second.statusCode, second.json().message], [500, first.json().message], 'the same error, from the one attempt')
  t.throws(() => compileAll([{ url: '/broken', method: 'GET', schema: { response: { 200: broken } } }]), 'compileAll names it before any request')
  t.throws(() => compileAll([{ url: '/unchecked', method: 'POST', schema: { body: broken } }]), 'a body schema too')
  t.equal(compileAll([{ url: '/items', method: 'POST', schema: { body: Item, response: { 200: Item, 400: Problem } } }]), 3)
})
