import t from 'tap'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { ConfigError, trustProxyOption } from '../src/index.js'

/** What a Fastify server with `trustProxy` makes of a request from `peer` carrying these headers. */
async function seen (trustProxy: FastifyServerOptions['trustProxy'], peer: string, headers: Record<string, string> = {}) {
  const app = Fastify({ trustProxy })
  app.get('/', async (request) => ({ ip: request.ip, protocol: request.protocol, host: request.host }))
  try {
    const res = await app.inject({ method: 'GET', url: '/', remoteAddress: peer, headers: { host: 'internal:3001', ...headers } })
    return res.json() as { ip: string, protocol: string, host: string }
  } finally {
    await app.close()
  }
}

const forwarded = { 'x-forwarded-for': '198.51.100.1, 203.0.113.7', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com' }

t.test('Fastify itself ignores a bare hop count: the reason it is never passed as a number', async (t) => {
  t.same(await seen(1 as unknown as FastifyServerOptions['trustProxy'], '10.0.0.5', forwarded),
    { ip: '10.0.0.5', protocol: 'http', host: 'internal:3001' }, 'trustProxy: 1 trusts nothing (Fastify 5.12)')
})

t.test('a hop count trusts exactly that many nearest hops', async (t) => {
  t.same(await seen(trustProxyOption('1'), '10.0.0.5', forwarded),
    { ip: '203.0.113.7', protocol: 'https', host: 'chat.example.com' }, '1: the address the proxy saw, its scheme and host')
  t.same(await seen(trustProxyOption('2'), '10.0.0.5', forwarded),
    { ip: '198.51.100.1', protocol: 'https', host: 'chat.example.com' }, '2: one more hop to the left')
  t.equal((await seen(trustProxyOption('3'), '10.0.0.5', forwarded)).ip, '198.51.100.1', 'more hops than there are: the leftmost')
  t.same(await seen(trustProxyOption('1'), '10.0.0.5'), { ip: '10.0.0.5', protocol: 'http', host: 'internal:3001' }, 'no headers: the peer')
})

t.test('addresses and ranges trust those peers only', async (t) => {
  for (const value of ['10.0.0.0/8', '10.0.0.5', ' 192.0.2.9 , 10.0.0.5/32 ', 'uniquelocal']) {
    t.same(await seen(trustProxyOption(value), '10.0.0.5', forwarded),
      { ip: '203.0.113.7', protocol: 'https', host: 'chat.example.com' }, `${value}: from the proxy`)
    t.same(await seen(trustProxyOption(value), '192.0.2.1', forwarded),
      { ip: '192.0.2.1', protocol: 'http', host: 'internal:3001' }, `${value}: from anyone else, nothing forwarded is believed`)
  }
  t.equal((await seen(trustProxyOption('10.0.0.0/8'), '10.0.0.5', { 'x-forwarded-for': '203.0.113.7, 10.0.0.9' })).ip, '203.0.113.7', 'a chain of trusted proxies is walked')
  t.equal((await seen(trustProxyOption('::1, fd00::/8'), '::1', forwarded)).ip, '203.0.113.7', 'IPv6')
})

t.test('false, 0 and true', async (t) => {
  for (const value of ['false', 'FALSE', '0', '']) t.equal(trustProxyOption(value), false, JSON.stringify(value))
  t.equal(trustProxyOption('true'), true)
  t.equal((await seen(trustProxyOption('false'), '10.0.0.5', forwarded)).ip, '10.0.0.5')
})

t.test('a value Fastify would ignore or fail on is refused, naming the variable', async (t) => {
  for (const value of ['nginx', 'yes', '10.0.0.0/33', '::/129', '10.0.0.0/8/8', '10.0.0.0/255.0.0.0', '1.2.3', '10.0.0.1,', '-1']) {
    t.throws(() => trustProxyOption(value), ConfigError, JSON.stringify(value))
    t.throws(() => trustProxyOption(value), /^invalid configuration: TRUST_PROXY /, 'names the variable')
  }
  t.throws(() => trustProxyOption('nginx', 'PROXIES'), /PROXIES .*"nginx"/)
})
