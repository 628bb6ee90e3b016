import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import Type, { type Static } from 'typebox'
import { checkRedisSettings, ConfigError, engineDefault, type Env, loadSettings, redisClusterNodesSetting, trustProxyOption, trustProxySetting } from '@webchat/service-kit'
import { LIMITS } from '@webchat/shared'
import { hookUrlProblem } from './hooks/http.js'
import { loadEndpoints } from './hooks/webhooks/endpoints.js'

const millis = (env: string, fallback: number, description: string) => Type.Integer({ env, minimum: 1, default: fallback, description })

/**
 * Every setting of the chat service, read from the environment variable named in `env`.
 * The same schema gives the type, the defaults and the README table.
 */
export const ConfigSchema = Type.Object({
  host: Type.String({ env: 'HOST', default: '0.0.0.0', description: 'listen address' }),
  port: Type.Integer({ env: 'PORT', minimum: 0, maximum: 65535, default: 3002, description: 'listen port' }),
  logLevel: Type.Union([
    Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'),
    Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')
  ], { env: 'LOG_LEVEL', default: 'info', description: 'pino log level' }),
  // Chat logs the client's address (the upgrade, requests): nginx's unless its hop is trusted.
  trustProxy: trustProxySetting(),
  engine: Type.Union([Type.Literal('memory'), Type.Literal('redis')], { env: 'ENGINE', description: 'state engine, `memory` or `redis`; default: redis when REDIS_URL or REDIS_CLUSTER_NODES is set, else memory' }),
  redisUrl: Type.Optional(Type.String({ env: 'REDIS_URL', description: 'Redis URL for ENGINE=redis (one Redis); every instance and the auth service share it' })),
  redisClusterNodes: redisClusterNodesSetting(),
  redisPrefix: Type.String({ env: 'REDIS_PREFIX', default: 'webchat:', description: 'prefix of every Redis key and channel; the same as the auth service\'s' }),
  authUrl: Type.String({ env: 'AUTH_URL', default: 'http://127.0.0.1:3001', description: 'base URL of the auth service' }),
  jwksUrl: Type.String({ env: 'JWKS_URL', description: 'where the auth service publishes its token-verifying keys; default: AUTH_URL + /.well-known/jwks.json' }),
  tokenIssuer: Type.String({ env: 'TOKEN_ISSUER', minLength: 1, default: 'webchat-auth', description: 'expected `iss` of chat tokens (as the auth service signs them)' }),
  jwksCooldownMs: Type.Integer({ env: 'JWKS_COOLDOWN_MS', minimum: 0, default: 2000, description: 'least time between two JWKS fetches' }),
  allowedOrigins: Type.Array(Type.String({ minLength: 1 }), { env: 'ALLOWED_ORIGINS', default: ['http://localhost:3000', 'http://localhost:3001', 'http://localhost:8080'], description: 'comma-separated origins allowed to open sockets' }),
  allowNoOrigin: Type.Boolean({ env: 'ALLOW_NO_ORIGIN', default: false, description: 'accept upgrades without an Origin header (non-browser clients)' }),
  serviceKeys: Type.Array(Type.String({ minLength: 1 }), { env: 'CHAT_SERVICE_KEYS', default: [], description: 'comma-separated keys of backends allowed to post, push events to users and manage private and direct rooms' }),
  roomHistory: Type.Integer({ env: 'ROOM_HISTORY', minimum: 1, maximum: 1_000_000, default: 1000, description: 'newest entries kept in each room\'s log: messages, and the edits, deletions and reactions made to them (a reaction that changes nothing is not stored); a resume from further back is not recovered' }),
  instanceId: Type.String({ env: 'INSTANCE_ID', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: 'names this instance in presence entries and its Redis connection; default: host, pid and a random suffix' }),
  shutdownTimeoutMs: millis('SHUTDOWN_TIMEOUT_MS', 20_000, 'force exit after this long on SIGTERM'),
  socketCloseGraceMs: millis('SOCKET_CLOSE_GRACE_MS', 2000, 'wait this long for sockets to close on shutdown, then terminate them'),
  pingIntervalMs: millis('PING_INTERVAL_MS', 25_000, 'ping every socket this often; one missed pong terminates it'),
  tokenGraceMs: Type.Integer({ env: 'TOKEN_GRACE_MS', minimum: 0, default: 25_000, description: 'close with 4003 this long after exp' }),
  reconnectTicketMs: Type.Integer({ env: 'RECONNECT_TICKET_MS', minimum: 0, maximum: 120_000, default: 120_000, description: 'how long after its connection ends a reconnect ticket (given in `ready`) still opens a new one, single use, 1 s to 2 minutes (0: no tickets; clients fetch a token for every connect)' }),
  presenceTtlMs: millis('PRESENCE_TTL_MS', 45_000, 'lifetime of an unrefreshed presence entry'),
  presenceIntervalMs: millis('PRESENCE_INTERVAL_MS', 10_000, 'refresh own entries and expire stale ones this often'),
  replayMaxBytes: Type.Integer({ env: 'REPLAY_MAX_BYTES', minimum: 1024, default: 512 * 1024, description: 'a resume whose missed messages exceed this answers like a fresh join (latest page, recovered false) so one frame never swamps a slow link' }),
  engineTimeoutMs: millis('ENGINE_TIMEOUT_MS', 1500, 'a frame whose engine call takes longer gets error unavailable'),
  fanoutHoldMs: Type.Integer({ env: 'FANOUT_HOLD_MS', minimum: 0, maximum: 1000, default: 50, description: 'longest a busy room holds its frames so that they go out together in one write per socket (0: never held)' }),
  maxSocketsPerUser: Type.Integer({ env: 'MAX_SOCKETS_PER_USER', minimum: 1, maximum: 10_000, default: 20, description: 'open sockets one user may hold on one instance; one more is refused with 429 `too_many_connections` before the upgrade' }),
  openRooms: Type.Boolean({ env: 'OPEN_ROOMS', default: true, description: 'a join of a public room name that is no room yet makes it, the joiner its owner (counted in NEW_ROOMS_PER_HOUR); false: only public rooms a backend made can be joined, any other name is `not_found`' }),
  newRoomsPerHour: Type.Integer({ env: 'NEW_ROOMS_PER_HOUR', minimum: 1, default: 30, description: 'rooms one user may make in an hour (a public room by joining a new name, a private room, a direct conversation), over all instances; past it `too_many_rooms` (rooms backends make are not counted)' }),
  maxRoomMembers: Type.Integer({ env: 'MAX_ROOM_MEMBERS', minimum: 2, maximum: 1_000_000, default: 10_000, description: 'members one room may have (and bans); one more gets `room_full`' }),
  maxRoomsPerUser: Type.Integer({ env: 'MAX_ROOMS_PER_USER', minimum: 1, maximum: 100_000, default: 1000, description: 'rooms one user may be a member of; one more gets `too_many_rooms`' }),
  invitesPerHour: Type.Integer({ env: 'INVITES_PER_HOUR', minimum: 1, default: 100, description: 'invitations one user may send in an hour, over all instances; past it `rate_limited`' }),
  maxTitleChars: Type.Integer({ env: 'ROOM_TITLE_MAX_CHARS', minimum: 1, maximum: LIMITS.roomTitleChars, default: LIMITS.roomTitleChars, description: `characters a room's title may have (at most ${LIMITS.roomTitleChars}, the protocol's bound); a longer one gets \`bad_request\`` }),
  maxTopicChars: Type.Integer({ env: 'ROOM_TOPIC_MAX_CHARS', minimum: 0, maximum: LIMITS.roomTopicChars, default: LIMITS.roomTopicChars, description: `characters a room's topic may have (at most ${LIMITS.roomTopicChars}); a longer one gets \`bad_request\`` }),
  roomAccessUrl: Type.Optional(Type.String({ env: 'ROOM_ACCESS_URL', description: 'join hook: chat asks this http(s) URL (a signed POST) whether a user not on a private room\'s roster may join it; unset: no hook' })),
  roomAccessSecret: Type.Optional(Type.String({ env: 'ROOM_ACCESS_SECRET', minLength: 32, description: 'HMAC-SHA256 key that signs join hook requests, at least 32 characters; required when ROOM_ACCESS_URL is set' })),
  roomAccessTimeoutMs: Type.Integer({ env: 'ROOM_ACCESS_TIMEOUT_MS', minimum: 1, maximum: 10_000, default: 1500, description: 'longest a join waits on the join hook; past it the answer is no' }),
  roomAccessCacheMs: Type.Integer({ env: 'ROOM_ACCESS_CACHE_MS', minimum: 0, default: 60_000, description: 'how long the join hook\'s yes for a user and room is kept in each instance (0: asked on every join)' }),
  roomAccessDenyCacheMs: Type.Integer({ env: 'ROOM_ACCESS_DENY_CACHE_MS', minimum: 0, default: 10_000, description: 'how long its no is kept (errors and timeouts are not kept)' }),
  roomAccessCacheEntries: Type.Integer({ env: 'ROOM_ACCESS_CACHE_ENTRIES', minimum: 1, maximum: 1_000_000, default: 10_000, description: 'join hook answers kept per instance; the oldest are dropped first' }),
  webhookUrls: Type.Array(Type.String({ minLength: 1 }), { env: 'WEBHOOK_URLS', default: [], description: 'comma-separated http(s) URLs that receive every event WEBHOOK_EVENTS names, signed with WEBHOOK_SECRET (docs/webhooks.md); endpoints with their own secret and events go in WEBHOOKS_FILE' }),
  webhookSecret: Type.Optional(Type.String({ env: 'WEBHOOK_SECRET', minLength: 32, description: 'HMAC-SHA256 key that signs requests to WEBHOOK_URLS, at least 32 characters; required with them' })),
  webhookEvents: Type.Array(Type.String({ minLength: 1 }), { env: 'WEBHOOK_EVENTS', default: ['*'], description: 'comma-separated events WEBHOOK_URLS receive: types (`message.created`), prefixes (`member.*`) or `*`' }),
  webhooksFile: Type.Optional(Type.String({ env: 'WEBHOOKS_FILE', minLength: 1, description: 'path of a JSON array of endpoints `{"name"?, "url", "secret", "events"}`, each with its own secret and events' })),
  webhookTimeoutMs: Type.Integer({ env: 'WEBHOOK_TIMEOUT_MS', minimum: 100, maximum: 60_000, default: 5000, description: 'longest one webhook attempt may take; past it the attempt failed' }),
  webhookMaxAttempts: Type.Integer({ env: 'WEBHOOK_MAX_ATTEMPTS', minimum: 1, maximum: 100, default: 12, description: 'attempts of an event before it moves to the endpoint\'s dead letters' }),
  webhookRetryMs: Type.Integer({ env: 'WEBHOOK_RETRY_MS', minimum: 1, default: 10_000, description: 'wait before the first retry, doubling for each next one up to WEBHOOK_RETRY_MAX_MS; at least WEBHOOK_TIMEOUT_MS + 1 s (an instance that died mid-delivery is retried after it)' }),
  webhookRetryMaxMs: Type.Integer({ env: 'WEBHOOK_RETRY_MAX_MS', minimum: 1, default: 3_600_000, description: 'longest wait between two attempts' }),
  webhookQueueMax: Type.Integer({ env: 'WEBHOOK_QUEUE_MAX', minimum: 1, maximum: 10_000_000, default: 100_000, description: 'events one endpoint\'s queue holds at most (an endpoint down for long); past it new events for it are dropped, counted and logged' }),
  webhookDeadMax: Type.Integer({ env: 'WEBHOOK_DEAD_MAX', minimum: 1, maximum: 1_000_000, default: 10_000, description: 'dead letters kept per endpoint; the oldest go first' }),
  webhookConcurrency: Type.Integer({ env: 'WEBHOOK_CONCURRENCY', minimum: 1, maximum: 100, default: 8, description: 'requests in flight to one endpoint from one instance' }),
  webhookPollMs: Type.Integer({ env: 'WEBHOOK_POLL_MS', minimum: 10, maximum: 60_000, default: 1000, description: 'how often an instance looks for events other instances queued (its own are sent at once)' }),
  beforeSendUrl: Type.Optional(Type.String({ env: 'BEFORE_SEND_URL', description: 'before-send hook: chat asks this http(s) URL (a signed POST) about each message and edit before storing it: allow, reject or rewrite (docs/webhooks.md); unset: no hook' })),
  beforeSendSecret: Type.Optional(Type.String({ env: 'BEFORE_SEND_SECRET', minLength: 32, description: 'HMAC-SHA256 key that signs before-send requests, at least 32 characters; required when BEFORE_SEND_URL is set' })),
  beforeSendTimeoutMs: Type.Integer({ env: 'BEFORE_SEND_TIMEOUT_MS', minimum: 1, maximum: 10_000, default: 1000, description: 'longest a message waits on the before-send hook' }),
  beforeSendOnFailure: Type.Union([Type.Literal('allow'), Type.Literal('reject')], { env: 'BEFORE_SEND_ON_FAILURE', default: 'allow', description: 'what a message gets when the hook times out or gives no answer: `allow` (fail open) or `reject` (fail closed: `error rejected`)' }),
  notifyEmail: Type.Boolean({ env: 'NOTIFY_EMAIL', default: true, description: 'mail direct messages and mentions to users who are away (sent by the auth service, which keeps each user\'s choice); false: never' }),
  notifyDelayMs: Type.Integer({ env: 'NOTIFY_DELAY_MS', minimum: 1000, maximum: 24 * 3600_000, default: 120_000, description: 'how long after a direct message or mention its mail waits: what arrives meanwhile goes in the same mail, what is read meanwhile on any device in none' }),
  notifyIdleMs: Type.Integer({ env: 'NOTIFY_IDLE_MS', minimum: 1000, maximum: 24 * 3600_000, default: 300_000, description: 'a user counts as away when none of their connections sent a frame for this long (a closed tab included); only people away are mailed' }),
  notifySweepMs: Type.Integer({ env: 'NOTIFY_SWEEP_MS', minimum: 10, maximum: 60_000, default: 5000, description: 'how often each instance looks for mails that are due' }),
  editWindowMinutes: Type.Integer({ env: 'EDIT_WINDOW_MINUTES', minimum: 0, maximum: 7 * 24 * 60, default: 15, description: 'how long after sending a message its author may edit it (0: never); later edits get `edit_window_passed`' }),
  roomMentionRoles: Type.Array(Type.Union([Type.Literal('owner'), Type.Literal('moderator'), Type.Literal('member')]), { env: 'ROOM_MENTION_ROLES', default: ['owner', 'moderator'], description: 'comma-separated roles that may mention `@room` (everyone in it); anyone else gets `forbidden`' }),
  abuseStrikes: Type.Integer({ env: 'ABUSE_STRIKES', minimum: 1, default: 40, description: 'refused frames within ABUSE_WINDOW_MS before closing with 1008' }),
  abuseWindowMs: millis('ABUSE_WINDOW_MS', 10_000, 'window of ABUSE_STRIKES')
}, { additionalProperties: false })

export type Config = Static<typeof ConfigSchema>
export { ConfigError }

/** A hook is off, or has an http(s) URL and its secret: no hook that cannot sign. */
function checkHook (setting: string, url: string | undefined, secretSetting: string, secret: string | undefined): void {
  if (url === undefined) return
  const problem = hookUrlProblem(url)
  if (problem !== null) throw new ConfigError(`invalid configuration: ${setting} ${problem}`)
  if (secret === undefined) throw new ConfigError(`invalid configuration: ${setting} needs ${secretSetting} (at least 32 characters)`)
}

/** Webhook endpoints that can be read, and retries that never hand a running attempt to another instance. */
function checkWebhooks (config: Config): void {
  loadEndpoints(config)
  if (config.webhookRetryMs < config.webhookTimeoutMs + 1000) {
    throw new ConfigError('invalid configuration: WEBHOOK_RETRY_MS must be at least WEBHOOK_TIMEOUT_MS + 1000')
  }
  if (config.webhookRetryMaxMs < config.webhookRetryMs) throw new ConfigError('invalid configuration: WEBHOOK_RETRY_MAX_MS must be at least WEBHOOK_RETRY_MS')
}

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '')

/**
 * Reads and validates the configuration once; throws ConfigError naming each bad variable.
 * ENGINE, JWKS_URL and INSTANCE_ID default to values made from other settings.
 */
const MIN_TICKET_MS = 1000

export function loadConfig (env: Env = process.env): Config {
  const config = loadSettings(ConfigSchema, env, (values) => ({
    engine: engineDefault(values),
    jwksUrl: `${withoutTrailingSlash(String(values.authUrl))}/.well-known/jwks.json`,
    instanceId: `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`
  }))
  checkRedisSettings(config.engine, config)
  // Parsed again by the server; here so that a value Fastify would ignore stops the start.
  trustProxyOption(config.trustProxy)
  checkHook('ROOM_ACCESS_URL', config.roomAccessUrl, 'ROOM_ACCESS_SECRET', config.roomAccessSecret)
  checkHook('BEFORE_SEND_URL', config.beforeSendUrl, 'BEFORE_SEND_SECRET', config.beforeSendSecret)
  checkWebhooks(config)
  // The instance-alive key is renewed every third of the ticket life: a tiny life would mean a write every few ms, and a ticket
  // refused whenever one renewal is late.
  if (config.reconnectTicketMs > 0 && config.reconnectTicketMs < MIN_TICKET_MS) {
    throw new Error(`RECONNECT_TICKET_MS must be 0 (no tickets) or at least ${MIN_TICKET_MS}`)
  }
  return {
    ...config,
    authUrl: withoutTrailingSlash(config.authUrl),
    allowedOrigins: config.allowedOrigins.map((origin) => origin.toLowerCase())
  }
}
