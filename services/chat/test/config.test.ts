import t from 'tap'
import { ConfigError, ConfigSchema, loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    host: '0.0.0.0', port: 3002, logLevel: 'info', engine: 'memory', redisPrefix: 'webchat:',
    authUrl: 'http://127.0.0.1:3001', jwksUrl: 'http://127.0.0.1:3001/.well-known/jwks.json', tokenIssuer: 'webchat-auth',
    allowNoOrigin: false, roomHistory: 1000, shutdownTimeoutMs: 20_000, pingIntervalMs: 25_000,
    tokenGraceMs: 25_000, presenceTtlMs: 45_000, presenceIntervalMs: 10_000, engineTimeoutMs: 1500
  })
  t.same([...config.allowedOrigins], ['http://localhost:3000', 'http://localhost:3001', 'http://localhost:8080'])
  t.same(config.serviceKeys, [])
  t.match(config.instanceId, /^[A-Za-z0-9_.-]+$/)
  t.not(loadConfig({}).instanceId, config.instanceId, 'a fresh instance id each start')
  for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
    t.match(schema, { env: /^[A-Z_]+$/, description: /\S/ }, `${key} names its variable and says what it does`)
  }
})

t.test('environment strings are converted and derived values filled in', async (t) => {
  const config = loadConfig({
    PORT: '4000', REDIS_URL: 'redis://127.0.0.1:6390', ALLOW_NO_ORIGIN: 'true', AUTH_URL: 'http://auth:3001/',
    ALLOWED_ORIGINS: ' https://Chat.Example.com , https://b.example ', CHAT_SERVICE_KEYS: 'k1,,k2', ROOM_HISTORY: '50',
    INSTANCE_ID: 'chat-1', UNRELATED: 'x'
  })
  t.equal(config.port, 4000)
  t.equal(config.engine, 'redis', 'redis when REDIS_URL is set')
  t.equal(config.allowNoOrigin, true)
  t.equal(config.jwksUrl, 'http://auth:3001/.well-known/jwks.json')
  t.same([...config.allowedOrigins], ['https://chat.example.com', 'https://b.example'])
  t.same(config.serviceKeys, ['k1', 'k2'])
  t.equal(config.roomHistory, 50)
  t.equal(config.instanceId, 'chat-1')
  t.equal(loadConfig({ TRUST_PROXY: '10.248.0.10' }).trustProxy, '10.248.0.10', 'the proxy in front, as auth reads it')
  t.equal(loadConfig({ REDIS_URL: 'redis://x', ENGINE: 'memory' }).engine, 'memory')
  t.match(loadConfig({ REDIS_CLUSTER_NODES: 'r1:7000,redis://r2:7001' }), { engine: 'redis', redisUrl: undefined, redisClusterNodes: ['r1:7000', 'redis://r2:7001'] }, 'redis when REDIS_CLUSTER_NODES is set')
})

t.test('bad values are named', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), ConfigError)
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
  t.throws(() => loadConfig({ ENGINE: 'mongo' }), /ENGINE/)
  t.throws(() => loadConfig({ ENGINE: 'redis' }), /needs REDIS_URL .* or REDIS_CLUSTER_NODES/)
  t.throws(() => loadConfig({ REDIS_URL: 'redis://x', REDIS_CLUSTER_NODES: 'r1:7000' }), /not both/)
  t.throws(() => loadConfig({ REDIS_CLUSTER_NODES: 'r1:7000,r2:99999' }), /REDIS_CLUSTER_NODES .*"r2:99999"/)
  t.throws(() => loadConfig({ ROOM_HISTORY: '0' }), /ROOM_HISTORY/)
  t.throws(() => loadConfig({ INSTANCE_ID: 'has space' }), /INSTANCE_ID/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
  t.throws(() => loadConfig({ TRUST_PROXY: 'nginx' }), /TRUST_PROXY/, 'a proxy setting Fastify would ignore or fail on')
})

t.test('numbers are plain digits and switches are words, as in auth (one loader for every service)', async (t) => {
  for (const port of ['3e3', '3000.0', '+3000', '0x10', ' 3000']) t.throws(() => loadConfig({ PORT: port }), /PORT/, `PORT=${JSON.stringify(port)} is refused`)
  t.equal(loadConfig({ PORT: '3000' }).port, 3000)
  for (const yes of ['true', '1', 'yes', 'on', 'TRUE']) t.equal(loadConfig({ ALLOW_NO_ORIGIN: yes }).allowNoOrigin, true, yes)
  for (const no of ['false', '0', 'no', 'off']) t.equal(loadConfig({ ALLOW_NO_ORIGIN: no }).allowNoOrigin, false, no)
  t.throws(() => loadConfig({ ALLOW_NO_ORIGIN: 'maybe' }), /ALLOW_NO_ORIGIN/)
})

t.test('the join hook: off by default; on, it needs an http(s) URL and a secret of at least 32 characters', async (t) => {
  t.match(loadConfig({}), { roomAccessUrl: undefined, roomAccessTimeoutMs: 1500, roomAccessCacheMs: 60_000, roomAccessDenyCacheMs: 10_000, roomAccessCacheEntries: 10_000 })
  const secret = 'x'.repeat(32)
  t.match(loadConfig({ ROOM_ACCESS_URL: 'https://host.example/chat-access', ROOM_ACCESS_SECRET: secret }), { roomAccessUrl: 'https://host.example/chat-access', roomAccessSecret: secret })
  t.throws(() => loadConfig({ ROOM_ACCESS_URL: 'https://host.example/chat-access' }), /ROOM_ACCESS_URL needs ROOM_ACCESS_SECRET/)
  t.throws(() => loadConfig({ ROOM_ACCESS_URL: 'https://host.example/chat-access', ROOM_ACCESS_SECRET: 'x'.repeat(31) }), /ROOM_ACCESS_SECRET/)
  for (const url of ['host.example/access', 'ftp://host.example/access', 'file:///etc/passwd']) {
    t.throws(() => loadConfig({ ROOM_ACCESS_URL: url, ROOM_ACCESS_SECRET: secret }), /ROOM_ACCESS_URL must be an http or https URL/, url)
  }
  // fetch refuses a URL with credentials at every call: such a hook would turn every join away, logged only as a TypeError.
  for (const url of ['https://hook:pa55word@host.example/access', 'https://hook@host.example/access']) {
    const refusal = (() => { try { loadConfig({ ROOM_ACCESS_URL: url, ROOM_ACCESS_SECRET: secret }) } catch (err) { return String(err) } return '' })()
    t.match(refusal, /ROOM_ACCESS_URL must not carry a user or password/, url)
    t.notMatch(refusal, /pa55word/, 'the refusal does not print them')
  }
  t.throws(() => loadConfig({ ROOM_ACCESS_TIMEOUT_MS: '0' }), /ROOM_ACCESS_TIMEOUT_MS/)
  t.throws(() => loadConfig({ ROOM_ACCESS_TIMEOUT_MS: '60000' }), /ROOM_ACCESS_TIMEOUT_MS/, 'a join never waits a minute')
  t.equal(loadConfig({ ROOM_ACCESS_CACHE_MS: '0' }).roomAccessCacheMs, 0, 'answers may be asked every time')
  t.notMatch((() => { try { loadConfig({ ROOM_ACCESS_URL: 'https://h.example', ROOM_ACCESS_SECRET: 'short-secret-value' }) } catch (err) { return String(err) } return '' })(), /short-secret-value/, 'the refusal does not print the secret')
})
