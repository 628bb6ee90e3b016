import t from 'tap'
import { createMemoryEngine } from '@webchat/engine'
import { buildApp } from '../../../src/app.js'
import { loadConfig } from '../../../src/config.js'

const KEY = 'guard-test-service-key-0123456789'

/** Bodies that fail before the handler: not JSON at all, and JSON that breaks the route's schema. */
const BROKEN = [['malformed JSON', '{"user":'], ['against the schema', '{"user":{"id":"bad id"},"text":42,"data":1,"extra":true}']] as const

t.test('authentication runs before the request is parsed or validated on every guarded route', async (t) => {
  const engine = createMemoryEngine()
  t.teardown(() => engine.close())
  // AUTH_URL points nowhere: no request here carries a token that would need the key set.
  const config = loadConfig({ LOG_LEVEL: 'silent', AUTH_URL: 'http://127.0.0.1:9', CHAT_SERVICE_KEYS: KEY })
  const app = await buildApp({ config, engine, logger: false })
  t.teardown(() => app.close())

  for (const url of ['/api/rooms/news/messages', '/api/rooms/Bad%20Room/messages', '/api/users/u1/events', '/api/users/bad%20id/events']) {
    for (const authorization of [undefined, 'Bearer wrong-key', 'Basic abc']) {
      for (const [what, payload] of BROKEN) {
        const res = await app.inject({
          method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) }
        })
        t.equal(res.statusCode, 401, `POST ${url} with ${authorization ?? 'no key'}, ${what}`)
        t.equal(res.json().error, 'unauthorized')
      }
    }
    const withKey = await app.inject({ method: 'POST', url, payload: BROKEN[0][1], headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` } })
    t.equal(withKey.statusCode, 400, `POST ${url} with the key: the body is checked`)
  }

  for (const url of ['/api/rooms/Bad%20Room/messages?limit=1000', '/api/rooms/news/messages?before=yesterday', '/api/rooms/Bad%20Room/presence']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 401, `GET ${url} without a token`)
    t.equal(res.json().error, 'unauthorized')
  }
})
