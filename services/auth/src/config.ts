import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Type, { type Static } from 'typebox'
import { checkRedisSettings, ConfigError, engineDefault, type Env, loadSettings, redisClusterNodesSetting, trustProxyOption, trustProxySetting } from '@webchat/service-kit'

const seconds = (env: string, fallback: number, description: string, minimum = 0) =>
  Type.Integer({ env, default: fallback, minimum, description: `${description} (seconds)` })
const list = (env: string, fallback: string[], description: string) =>
  Type.Array(Type.String({ minLength: 1 }), { env, default: fallback, description: `${description} (comma-separated)` })

/** The web app's build, when this package sits in the monorepo next to `web/`. */
const defaultWebRoot = fileURLToPath(new URL('../../../web/dist', import.meta.url))

/**
 * Every setting of the auth service, read from the environment variable named in `env`.
 * The same schema gives the type, the defaults and the README table.
 */
export const ConfigSchema = Type.Object({
  host: Type.String({ env: 'HOST', default: '0.0.0.0', description: 'listen address' }),
  port: Type.Integer({ env: 'PORT', default: 3001, minimum: 0, maximum: 65535, description: 'listen port' }),
  logLevel: Type.Union([
    Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'),
    Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')
  ], { env: 'LOG_LEVEL', default: 'info', description: 'pino log level' }),
  trustProxy: trustProxySetting(),
  engine: Type.Union([Type.Literal('memory'), Type.Literal('redis')], { env: 'ENGINE', default: 'memory', description: 'state engine; `redis` by default when REDIS_URL or REDIS_CLUSTER_NODES is set' }),
  redisUrl: Type.String({ env: 'REDIS_URL', default: '', description: 'Redis URL for ENGINE=redis (one Redis)' }),
  redisClusterNodes: redisClusterNodesSetting(),
  redisPrefix: Type.String({ env: 'REDIS_PREFIX', default: 'webchat:', description: 'prefix of every Redis key and channel' }),
  mailTransport: Type.Union([Type.Literal('smtp'), Type.Literal('console')], { env: 'MAIL_TRANSPORT', default: 'console', description: '`console` prints codes to the terminal; `smtp` by default when SMTP_URL is set' }),
  smtpUrl: Type.String({ env: 'SMTP_URL', default: '', description: 'SMTP server, e.g. smtp://mailhog:1025 or smtps://user:pass@host' }),
  smtpTimeoutMs: Type.Integer({ env: 'SMTP_TIMEOUT_MS', default: 8000, minimum: 100, maximum: 10_000, description: 'connect, greeting, socket and overall send timeout (ms, at most 10 000)' }),
  mailFrom: Type.String({ env: 'MAIL_FROM', default: 'webchat <no-reply@webchat.localhost>', description: 'sender of code mails' }),
  allowedEmailDomains: list('ALLOWED_EMAIL_DOMAINS', [], 'when set, only these address domains may sign in'),
  allowedOrigins: list('ALLOWED_ORIGINS', ['http://localhost:3000', 'http://localhost:3001', 'http://localhost:8080'], 'origins allowed to POST/PATCH with the session cookie, besides the service\'s own'),
  sessionSecret: Type.String({ env: 'SESSION_SECRET', default: '', description: 'cookie signing secret, at least 32 characters; generated into DATA_DIR when unset' }),
  codeSecret: Type.String({ env: 'CODE_SECRET', default: '', description: 'HMAC key for stored codes and the ids of invited addresses not yet signed in, at least 32 characters; generated into DATA_DIR when unset' }),
  sessionIdleTimeout: seconds('SESSION_IDLE_TIMEOUT', 7 * 86_400, 'a session ends after this long unused', 1),
  sessionMaxAge: seconds('SESSION_MAX_AGE', 30 * 86_400, 'absolute session lifetime', 1),
  tokenTtl: seconds('TOKEN_TTL', 300, 'chat token lifetime', 1),
  tokenIssuer: Type.String({ env: 'TOKEN_ISSUER', default: 'webchat-auth', minLength: 1, description: '`iss` of chat tokens' }),
  signingKeys: Type.String({ env: 'SIGNING_KEYS', default: '', description: 'JSON array of private JWKs, P-256 (ES256) or Ed25519 (EdDSA), with `kid` (first signs, all verify), or a path to a JSON file or a directory of them; generated into DATA_DIR when unset' }),
  dataDir: Type.String({ env: 'DATA_DIR', default: './data', description: 'where generated secrets and keys are kept (git-ignored)' }),
  serviceKeys: list('AUTH_SERVICE_KEYS', [], 'bearer keys of backends allowed to call /auth/introspect'),
  webRoot: Type.String({ env: 'WEB_ROOT', default: existsSync(defaultWebRoot) ? defaultWebRoot : '', description: 'built web app to serve at `/`; default the web workspace\'s dist when built' }),
  chatPublicUrl: Type.String({ env: 'CHAT_PUBLIC_URL', default: '/ws', description: 'WebSocket URL of the chat service given to the web app; relative means same origin' }),
  docs: Type.Boolean({ env: 'DOCS', default: true, description: 'serve the OpenAPI document and UI at /docs' }),
  codeTtl: seconds('CODE_TTL', 600, 'code validity', 1),
  codeMaxAttempts: Type.Integer({ env: 'CODE_MAX_ATTEMPTS', default: 5, minimum: 1, description: 'guesses at one code (by the browser that asked for it) before it is void' }),
  codeCooldown: seconds('CODE_COOLDOWN', 60, 'resend cooldown per address and client'),
  codeHourlyMax: Type.Integer({ env: 'CODE_HOURLY_MAX', default: 10, minimum: 1, description: 'codes per address per hour, from all clients together' }),
  codeClientHourlyMax: Type.Integer({ env: 'CODE_CLIENT_HOURLY_MAX', default: 3, minimum: 1, description: 'codes per address per client (IPv4 address or IPv6 /64) per hour' }),
  ipCodeMax: Type.Integer({ env: 'IP_CODE_MAX', default: 30, minimum: 1, description: 'code requests per client (IPv4 address or IPv6 /64) per IP_WINDOW' }),
  ipVerifyMax: Type.Integer({ env: 'IP_VERIFY_MAX', default: 100, minimum: 1, description: 'code checks per client (IPv4 address or IPv6 /64) per IP_WINDOW' }),
  ipWindow: seconds('IP_WINDOW', 600, 'per-client rate limit window', 1),
  tokenMintMax: Type.Integer({ env: 'TOKEN_MINT_MAX', default: 300, minimum: 1, description: 'chat tokens one user may have minted per 10 minutes, over all sessions; each opens one socket, and the chat service remembers every used one until it expires' }),
  invitationsPerHour: Type.Integer({ env: 'INVITATIONS_PER_HOUR', default: 20, minimum: 1, description: 'invitations by email address (POST /auth/invitations) one user may ask for per hour' }),
  invitationMailsPerDay: Type.Integer({ env: 'INVITATION_MAILS_PER_DAY', default: 3, minimum: 0, description: 'invitation mails one inbox gets per day, from all inviters together (name+tag@ counts as name@); past it invitations still work but send no mail' }),
  appUrl: Type.String({ env: 'APP_URL', default: '', description: 'the web app\'s address, linked from invitation and notification mails (http or https URL); empty: the first ALLOWED_ORIGINS entry' }),
  notifyMailsPerHour: Type.Integer({ env: 'NOTIFY_MAILS_PER_HOUR', default: 6, minimum: 1, description: 'mails about missed messages one user gets per hour at most; past it a mail is dropped (the messages wait in the app)' }),
  notifyRetryMs: Type.Integer({ env: 'NOTIFY_RETRY_MS', default: 30_000, minimum: 1, description: 'wait before the first retry of a notification mail the mail server did not take, doubling each time (ms); more than SMTP_TIMEOUT_MS + 1000, as it is also how long one attempt may hold a mail' }),
  notifyRetryMaxMs: Type.Integer({ env: 'NOTIFY_RETRY_MAX_MS', default: 30 * 60_000, minimum: 1, description: 'longest wait between two attempts at a notification mail (ms), at least NOTIFY_RETRY_MS' }),
  notifyMaxAttempts: Type.Integer({ env: 'NOTIFY_MAX_ATTEMPTS', default: 10, minimum: 1, maximum: 100, description: 'attempts at a notification mail before it is given up (a dead letter of the queue)' }),
  notifyPollMs: Type.Integer({ env: 'NOTIFY_POLL_MS', default: 1000, minimum: 10, maximum: 60_000, description: 'how often an idle instance looks for notification mails to send (ms)' })
}, { additionalProperties: false })

export type Config = Static<typeof ConfigSchema>
export { ConfigError, type Env }

/**
 * Reads and validates the configuration once; throws ConfigError naming the variable at fault.
 * A Redis URL or cluster nodes, or an SMTP URL, alone is enough to use it: ENGINE and MAIL_TRANSPORT follow unless set.
 */
export function loadConfig (env: Env = process.env): Config {
  return checked(loadSettings(ConfigSchema, env, (values) => ({
    engine: engineDefault(values),
    mailTransport: values.smtpUrl === '' ? 'console' : 'smtp'
  })))
}

/** Where invitation mails send people: APP_URL, else the first allowed origin, else this service. */
export function appUrlOf (config: Pick<Config, 'appUrl' | 'allowedOrigins' | 'port'>): string {
  if (config.appUrl !== '') return config.appUrl
  return config.allowedOrigins[0] ?? `http://localhost:${config.port}`
}

function checked (config: Config): Config {
  checkRedisSettings(config.engine, config)
  if (config.mailTransport === 'smtp' && config.smtpUrl === '') throw new ConfigError('invalid configuration: MAIL_TRANSPORT=smtp needs SMTP_URL')
  for (const [name, secret] of [['SESSION_SECRET', config.sessionSecret], ['CODE_SECRET', config.codeSecret]] as const) {
    if (secret !== '' && secret.length < 32) throw new ConfigError(`invalid configuration: ${name} must have at least 32 characters`)
  }
  // Parsed again by the server; here so that a value Fastify would ignore stops the start.
  trustProxyOption(config.trustProxy)
  for (const origin of config.allowedOrigins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) throw new ConfigError(`invalid configuration: ALLOWED_ORIGINS entry ${origin} is not an origin (scheme://host[:port])`)
  }
  if (config.appUrl !== '' && !/^https?:\/\/[^/\s]+(\/[^\s]*)?$/.test(config.appUrl)) {
    throw new ConfigError(`invalid configuration: APP_URL ${config.appUrl} is not an http(s) URL`)
  }
  // A mail held by an instance is handed to another once its retry delay is over: a delay shorter
  // than one attempt (the SMTP timeout, and a second for the rest) would send it twice.
  if (config.notifyRetryMs <= config.smtpTimeoutMs + 1000) {
    throw new ConfigError(`invalid configuration: NOTIFY_RETRY_MS must exceed SMTP_TIMEOUT_MS + 1000 (${config.smtpTimeoutMs + 1000})`)
  }
  if (config.notifyRetryMaxMs < config.notifyRetryMs) throw new ConfigError('invalid configuration: NOTIFY_RETRY_MAX_MS must be at least NOTIFY_RETRY_MS')
  return {
    ...config,
    allowedEmailDomains: config.allowedEmailDomains.map((d) => d.toLowerCase()),
    allowedOrigins: config.allowedOrigins.map((o) => o.toLowerCase())
  }
}
