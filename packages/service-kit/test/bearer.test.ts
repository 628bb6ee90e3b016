import t from 'tap'
import Fastify from 'fastify'
import { bearerOf, serviceKeyGuard, type KeyRefusal } from '../src/index.js'

t.test('bearerOf reads one visible-ASCII token after the Bearer scheme', async (t) => {
  t.equal(bearerOf('Bearer abc.def-1'), 'abc.def-1')
  t.equal(bearerOf('bearer  abc '), 'abc', 'the scheme is case-insensitive; spaces around are allowed')
  for (const header of [undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'abc', 'Bearer a b', 'Bearer\tabc', 'Bearer ключ']) {
    t.equal(bearerOf(header), undefined, JSON.stringify(header))
  }
})

t.test('serviceKeyGuard admits the listed keys only, before the body is read', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  const refusals: KeyRefusal[] = []
  app.setErrorHandler(async (err: Error, _request, reply) => await reply.code(401).send({ message: err.message }))
  app.post('/guarded', {
    onRequest: serviceKeyGuard(['first-key', 'second-key'], (reason, reply) => {
      refusals.push(reason)
      void reply.header('www-authenticate', 'Bearer')
      return new Error(`refused: ${reason}`)
    })
  }, async (request) => ({ body: request.body }))
  const post = async (authorization: string | undefined, payload = '{"ok":true}') => await app.inject({
    method: 'POST', url: '/guarded', payload, headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) }
  })
  for (const key of ['first-key', 'second-key']) t.same((await post(`Bearer ${key}`)).json(), { body: { ok: true } }, key)
  const missing = await post(undefined)
  t.same([missing.statusCode, missing.json().message, missing.headers['www-authenticate']], [401, 'refused: missing', 'Bearer'])
  t.equal((await post('Bearer third-key')).json().message, 'refused: unknown')
  t.equal((await post('Bearer first-key-and-more')).json().message, 'refused: unknown', 'a key with a listed prefix')
  t.equal((await post(undefined, '{broken')).json().message, 'refused: missing', 'a broken body is never read without a key')
  t.same(refusals, ['missing', 'unknown', 'unknown', 'missing'])
  const none = Fastify()
  t.teardown(() => none.close())
  none.get('/', { onRequest: serviceKeyGuard([], () => new Error('nobody')) }, async () => 'in')
  t.equal((await none.inject({ method: 'GET', url: '/', headers: { authorization: 'Bearer ' } })).statusCode, 500, 'no keys: nobody passes')
})
