import t, { type Test } from 'tap'
import fc from 'fast-check'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { validate } from '@webchat/shared'
import { ENGINES, build, signIn } from '../helper.js'

/** Every refusal is a 4xx with a valid `{error, message}` body; returns the code. */
async function refused (t: Test, app: FastifyInstance, options: InjectOptions, status: number, error: string, what: string): Promise<void> {
  const res = await app.inject(options)
  t.equal(res.statusCode, status, `${what}: status`)
  t.match(res.headers['content-type'], /^application\/json/, `${what}: JSON`)
  const body = res.json()
  t.ok(validate.errorBody(body), `${what}: {error, message}`)
  t.equal(body.error, error, `${what}: ${body.error}`)
}

const badAddresses: unknown[] = [
  'not-an-address', 'a@b', '@example.com', 'a@', 'a@@example.com', 'a b@example.com',
  'a@example.com\r\nBcc: victim@example.org', 'a@example.com\nBcc: victim@example.org', 'a@example.com\r',
  'a@example.com, b@example.com', 'a@example.com;b@example.com', '"Ada" <a@example.com>', '<a@example.com>',
  'ädä@example.com', 'a@exämple.com', `${'a'.repeat(65)}@example.com`, `a@${'b'.repeat(250)}.com`, ' a@example.com',
  'a@example.com ', 'a@-example.com', 'a@example..com', '', 'a@example.com\u0000',
  ['a@example.com', 'b@example.com'], ['a@example.com'], 42, null, true, {}, { toString: 'a@example.com' }
]

for (const kind of ENGINES) {
  t.test(`hostile input on ${kind}`, async (t) => {
    const built = await build(t, kind, { env: { AUTH_SERVICE_KEYS: 'service-key-0123456789', IP_CODE_MAX: '1000', IP_VERIFY_MAX: '1000' } })
    const { app, sink } = built
    const cookie = await signIn(built, 'owner@example.com')
    sink.mails.length = 0
    const json = (url: string, payload: unknown, method: 'POST' | 'PATCH' = 'POST'): InjectOptions =>
      ({ method, url, headers: { cookie, 'content-type': 'application/json' }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) })

    t.test('malformed addresses, CR/LF, lists and wrong types: 400 invalid_email, no mail', async (t) => {
      for (const email of badAddresses) {
        await refused(t, app, json('/auth/code', { email }), 400, 'invalid_email', `code ${JSON.stringify(email)}`)
        await refused(t, app, json('/auth/verify', { email, code: '12345678' }), 400, 'invalid_email', `verify ${JSON.stringify(email)}`)
      }
      await refused(t, app, json('/auth/code', {}), 400, 'invalid_email', 'missing email')
      t.equal(sink.mails.length, 0, 'nothing reached the mail server')
    })

    t.test('wrong shapes: 400 bad_request', async (t) => {
      for (const body of ['[]', '"a@example.com"', 'null', '42', 'true', '{"email":"a@example.com","extra":1}', '{"email":"a@example.com","code":"12345678"}']) {
        await refused(t, app, json('/auth/code', body), 400, 'bad_request', `code ${body}`)
      }
      for (const code of ['12345', '123456', '1234567', '123456789', '1234 5678', '1234-5678', 'abcdefgh', '1234567\n', '12345678\n', ' 12345678', '１２３４５６７８', 12345678, null, ['12345678']]) {
        await refused(t, app, json('/auth/verify', { email: 'a@example.com', code }), 400, 'bad_request', `verify code ${JSON.stringify(code)}`)
      }
      await refused(t, app, json('/auth/verify', { email: 'a@example.com' }), 400, 'bad_request', 'verify without code')
      await refused(t, app, json('/auth/me', { name: 'ok', admin: true }, 'PATCH'), 400, 'bad_request', 'rename with extra field')
      await refused(t, app, json('/auth/me', '{}', 'PATCH'), 400, 'invalid_name', 'rename without name')
      await refused(t, app, json('/auth/code', '{"email":'), 400, 'bad_request', 'truncated JSON')
      await refused(t, app, json('/auth/code', '{"email":"a@example.com"}}'), 400, 'bad_request', 'trailing garbage')
      await refused(t, app, json('/auth/code', ''), 400, 'bad_request', 'empty body')
      await refused(t, app, json('/auth/code', '['.repeat(5000) + ']'.repeat(5000)), 400, 'bad_request', 'deep nesting')
    })

    t.test('__proto__ and constructor keys: 400, nothing polluted', async (t) => {
      for (const body of [
        '{"__proto__":{"polluted":true},"email":"a@example.com"}',
        '{"email":"a@example.com","__proto__":{"polluted":true}}',
        '{"constructor":{"prototype":{"polluted":true}},"email":"a@example.com"}',
        '{"email":{"__proto__":{"polluted":true}}}'
      ]) {
        await refused(t, app, json('/auth/code', body), 400, 'bad_request', body)
        await refused(t, app, json('/auth/me', body.replace('email', 'name').replace('a@example.com', 'x'), 'PATCH'), 400, 'bad_request', `rename ${body}`)
      }
      t.equal(({} as Record<string, unknown>).polluted, undefined)
    })

    t.test('bodies over the limit: 413 payload_too_large', async (t) => {
      const huge = JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(1024 * 1024) })
      await refused(t, app, json('/auth/code', huge), 413, 'payload_too_large', '1 MB code request')
      await refused(t, app, json('/auth/verify', huge), 413, 'payload_too_large', '1 MB verify')
      await refused(t, app, json('/auth/me', huge, 'PATCH'), 413, 'payload_too_large', '1 MB rename')
      await refused(t, app, {
        method: 'POST', url: '/auth/introspect', payload: huge,
        headers: { authorization: 'Bearer service-key-0123456789', 'content-type': 'application/json' }
      }, 413, 'payload_too_large', '1 MB introspect')
      const justOver = JSON.stringify({ email: 'a@example.com', pad: 'x'.repeat(16 * 1024) })
      await refused(t, app, json('/auth/code', justOver), 413, 'payload_too_large', '16 KiB + a bit')
    })

    t.test('other content types: 415 unsupported_media_type', async (t) => {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream']) {
        await refused(t, app, { method: 'POST', url: '/auth/code', headers: { 'content-type': type }, payload: 'email=a@example.com' }, 415, 'unsupported_media_type', type)
      }
      await refused(t, app, { method: 'PATCH', url: '/auth/me', headers: { cookie, 'content-type': 'text/plain' }, payload: 'name=x' }, 415, 'unsupported_media_type', 'rename as text')
    })

    t.test('unknown routes and methods: 404 not_found as JSON', async (t) => {
      await refused(t, app, { method: 'GET', url: '/auth/nope' }, 404, 'not_found', 'unknown path')
      await refused(t, app, { method: 'DELETE', url: '/auth/me', headers: { cookie } }, 404, 'not_found', 'unknown method')
      await refused(t, app, { method: 'POST', url: '/nope', payload: {} }, 404, 'not_found', 'unknown POST')
      await refused(t, app, { method: 'GET', url: '/auth/%E0%A4%A' }, 400, 'bad_request', 'bad URL encoding')
    })

    t.test('random bodies never give a 5xx', async (t) => {
      let runs = 0
      await fc.assert(fc.asyncProperty(fc.constantFrom('/auth/code', '/auth/verify'), fc.jsonValue(), async (url, value) => {
        runs++
        const res = await app.inject(json(url, value))
        if (res.statusCode >= 500) return false
        if (res.statusCode >= 400) return validate.errorBody(res.json())
        return true
      }), { numRuns: 150 })
      t.equal(runs >= 150, true)
      t.equal(sink.mails.length, 0, 'no random body made a valid address')
    })
  })
}
