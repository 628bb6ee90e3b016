import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    HOST: '0.0.0.0', PORT: 3002, LOG_LEVEL: 'info', ENGINE: 'memory', REDIS_PREFIX: 'webchat:',
    AUTH_URL: 'http://127.0.0.1:3001', JWKS_URL: 'http://127.0.0.1:3001/.well-known/jwks.json', TOKEN_ISSUER: 'webchat-auth',
    ALLOW_NO_ORIGIN: false, ROOM_HISTORY: 1000, SHUTDOWN_TIMEOUT_MS: 20_000, PING_INTERVAL_MS: 25_000,
    TOKEN_GRACE_MS: 25_000, PRESENCE_TTL_MS: 45_000, PRESENCE_INTERVAL_MS: 10_000, ENGINE_TIMEOUT_MS: 1500
  })
  t.same([...config.allowedOrigins], ['http://localhost:3000', 'http://localhost:3001', 'http://localhost:8080'])
  t.same(config.serviceKeys, [])
  t.match(config.INSTANCE_ID, /^[A-Za-z0-9_.-]+$/)
  t.not(loadConfig({}).INSTANCE_ID, config.INSTANCE_ID, 'a fresh instance id each start')
})

t.test('environment strings are converted and derived values filled in', async (t) => {
  const config = loadConfig({
    PORT: '4000', REDIS_URL: 'redis://127.0.0.1:6390', ALLOW_NO_ORIGIN: 'true', AUTH_URL: 'http://auth:3001/',
    ALLOWED_ORIGINS: ' https://Chat.Example.com , https://b.example ', CHAT_SERVICE_KEYS: 'k1,,k2', ROOM_HISTORY: '50',
    INSTANCE_ID: 'chat-1', UNRELATED: 'x'
  })
  t.equal(config.PORT, 4000)
  t.equal(config.ENGINE, 'redis', 'redis when REDIS_URL is set')
  t.equal(config.ALLOW_NO_ORIGIN, true)
  t.equal(config.JWKS_URL, 'http://auth:3001/.well-known/jwks.json')
  t.same([...config.allowedOrigins], ['https://chat.example.com', 'https://b.example'])
  t.same(config.serviceKeys, ['k1', 'k2'])
  t.equal(config.ROOM_HISTORY, 50)
  t.equal(config.INSTANCE_ID, 'chat-1')
  t.equal(loadConfig({ REDIS_URL: 'redis://x', ENGINE: 'memory' }).ENGINE, 'memory')
})

t.test('bad values are named', async (t) => {
  t.throws(() => loadConfig({ PORT: 'eighty' }), ConfigError)
  t.throws(() => loadConfig({ PORT: '70000' }), /PORT/)
  t.throws(() => loadConfig({ ENGINE: 'mongo' }), /ENGINE/)
  t.throws(() => loadConfig({ ENGINE: 'redis' }), /REDIS_URL/)
  t.throws(() => loadConfig({ ROOM_HISTORY: '0' }), /ROOM_HISTORY/)
  t.throws(() => loadConfig({ INSTANCE_ID: 'has space' }), /INSTANCE_ID/)
  t.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/)
})
