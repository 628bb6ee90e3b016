import t from 'tap'
import { ConfigSchema, appUrlOf, loadConfig } from '../src/config.js'

t.test('defaults', async (t) => {
  const config = loadConfig({})
  t.match(config, {
    host: '0.0.0.0', port: 3001, logLevel: 'info', engine: 'memory', mailTransport: 'console', redisPrefix: 'webchat:',
    smtpTimeoutMs: 8000, allowedEmailDomains: [], allowedOrigins: ['http://localhost:3000', 'http://localhost:3001', 'http://localhost:8080'],
    trustProxy: 'false', sessionIdleTimeout: 604_800, sessionMaxAge: 2_592_000, tokenTtl: 300, tokenIssuer: 'webchat-auth',
    dataDir: './data', serviceKeys: [], chatPublicUrl: '/ws', docs: true, codeTtl: 600, codeMaxAttempts: 5, codeCooldown: 60,
    codeHourlyMax: 10, codeClientHourlyMax: 3, ipCodeMax: 30, ipVerifyMax: 100, ipWindow: 600,
    invitationsPerHour: 20, invitationMailsPerDay: 3, appUrl: '',
    notifyMailsPerHour: 6, notifyRetryMs: 30_000, notifyRetryMaxMs: 1_800_000, notifyMaxAttempts: 10, notifyPollMs: 1000
  })
  t.equal(appUrlOf(config), 'http://localhost:3000', 'invitation mails link to the first allowed origin')
  t.equal(appUrlOf(loadConfig({ APP_URL: 'https://chat.example.com' })), 'https://chat.example.com')
  t.equal(appUrlOf(loadConfig({ ALLOWED_ORIGINS: ' ', PORT: '4000' })), 'http://localhost:4000', 'else this service')
  t.ok(config.smtpTimeoutMs <= 10_000, 'mail failures answer within 10 s')
  for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
    t.match(schema, { env: /^[A-Z_]+$/, description: String }, `${key} names its variable and says what it does`)
  }
})

t.test('REDIS_URL and SMTP_URL switch the defaults', async (t) => {
  t.match(loadConfig({ REDIS_URL: 'redis://r:6379' }), { engine: 'redis', redisUrl: 'redis://r:6379' })
  t.match(loadConfig({ REDIS_URL: 'redis://r:6379', ENGINE: 'memory' }), { engine: 'memory' })
  t.match(loadConfig({ REDIS_CLUSTER_NODES: 'r1:7000, redis://:pw@r2:7001,' }), { engine: 'redis', redisUrl: '', redisClusterNodes: ['r1:7000', 'redis://:pw@r2:7001'] })
  t.same(loadConfig({}).redisClusterNodes, [], 'no cluster by default')
  t.match(loadConfig({ SMTP_URL: 'smtp://m:1025' }), { mailTransport: 'smtp' })
  t.match(loadConfig({ SMTP_URL: 'smtp://m:1025', MAIL_TRANSPORT: 'console' }), { mailTransport: 'console' })
})

t.test('conversions', async (t) => {
  const config = loadConfig({
    PORT: '8080', ALLOWED_EMAIL_DOMAINS: ' Example.COM, ,corp.example ', ALLOWED_ORIGINS: 'https://Chat.Example.com',
    AUTH_SERVICE_KEYS: 'a,b', DOCS: 'off', TRUST_PROXY: '1', SESSION_SECRET: 'x'.repeat(32), EMPTY: ''
  })
  t.match(config, { port: 8080, allowedEmailDomains: ['example.com', 'corp.example'], allowedOrigins: ['https://chat.example.com'], serviceKeys: ['a', 'b'], docs: false })
  t.equal(loadConfig({ PORT: '' }).port, 3001, 'empty means unset')
  t.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, '10.0.0.0/8, 127.0.0.1', 'parsed by service-kit\'s trustProxyOption (tested there)')
})

t.test('refuses bad settings, naming the variable', async (t) => {
  const bad: Array<[Record<string, string>, RegExp]> = [
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ TRUST_PROXY: 'nginx' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
    [{ SMTP_TIMEOUT_MS: '20000' }, /SMTP_TIMEOUT_MS/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL/],
    [{ ENGINE: 'mongo' }, /ENGINE/],
    [{ ENGINE: 'redis' }, /needs REDIS_URL .* or REDIS_CLUSTER_NODES/],
    [{ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r1:7000' }, /REDIS_URL .*REDIS_CLUSTER_NODES.*not both/],
    [{ REDIS_CLUSTER_NODES: 'r1:0' }, /REDIS_CLUSTER_NODES/],
    [{ MAIL_TRANSPORT: 'smtp' }, /SMTP_URL/],
    [{ SESSION_SECRET: 'short' }, /SESSION_SECRET/],
    [{ CODE_SECRET: 'short' }, /CODE_SECRET/],
    [{ ALLOWED_ORIGINS: 'https://example.com/' }, /ALLOWED_ORIGINS/],
    [{ ALLOWED_ORIGINS: '*' }, /ALLOWED_ORIGINS/],
    [{ TOKEN_TTL: '0' }, /TOKEN_TTL/],
    [{ DOCS: 'maybe' }, /DOCS/],
    [{ APP_URL: 'chat.example.com' }, /APP_URL/],
    [{ APP_URL: 'javascript:alert(1)' }, /APP_URL/],
    [{ INVITATIONS_PER_HOUR: '0' }, /INVITATIONS_PER_HOUR/],
    [{ NOTIFY_MAILS_PER_HOUR: '0' }, /NOTIFY_MAILS_PER_HOUR/],
    [{ NOTIFY_RETRY_MS: '9000' }, /NOTIFY_RETRY_MS must exceed SMTP_TIMEOUT_MS \+ 1000 \(9000\)/],
    [{ SMTP_TIMEOUT_MS: '500', NOTIFY_RETRY_MS: '1500' }, /NOTIFY_RETRY_MS/],
    [{ NOTIFY_RETRY_MAX_MS: '20000' }, /NOTIFY_RETRY_MAX_MS/],
    [{ NOTIFY_MAX_ATTEMPTS: '0' }, /NOTIFY_MAX_ATTEMPTS/],
    [{ NOTIFY_POLL_MS: '1' }, /NOTIFY_POLL_MS/]
  ]
  for (const [env, message] of bad) t.throws(() => loadConfig(env), message, JSON.stringify(env))
  t.throws(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://:hunter2@r1/0' }), { message: /REDIS_CLUSTER_NODES entries must be .*"redis:\/\/\*\*\*@r1\/0"/ }, 'a bad entry is shown without its password')
})
