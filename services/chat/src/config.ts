import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import Type, { type Static } from 'typebox'
import Value from 'typebox/value'

const Millis = (value: number, description: string) => Type.Integer({ minimum: 1, default: value, description })

/** Every setting of the chat service, read from the environment once. Defaults live here. */
export const ConfigSchema = Type.Object({
  HOST: Type.String({ default: '0.0.0.0', description: 'listen address' }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3002 }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  ENGINE: Type.Optional(Type.Union([Type.Literal('memory'), Type.Literal('redis')], { description: 'default: redis when REDIS_URL is set, else memory' })),
  REDIS_URL: Type.Optional(Type.String()),
  REDIS_PREFIX: Type.String({ default: 'webchat:' }),
  AUTH_URL: Type.String({ default: 'http://127.0.0.1:3001', description: 'base URL of the auth service' }),
  JWKS_URL: Type.Optional(Type.String({ description: 'default: AUTH_URL + /.well-known/jwks.json' })),
  TOKEN_ISSUER: Type.String({ minLength: 1, default: 'webchat-auth', description: 'expected `iss` of chat tokens (as the auth service signs them)' }),
  JWKS_COOLDOWN_MS: Type.Integer({ minimum: 0, default: 2000, description: 'least time between two JWKS fetches' }),
  ALLOWED_ORIGINS: Type.String({ default: 'http://localhost:3000,http://localhost:3001,http://localhost:8080', description: 'comma-separated origins allowed to open sockets' }),
  ALLOW_NO_ORIGIN: Type.Boolean({ default: false, description: 'accept upgrades without an Origin header (non-browser clients)' }),
  CHAT_SERVICE_KEYS: Type.String({ default: '', description: 'comma-separated keys of backends allowed to post' }),
  ROOM_HISTORY: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 }),
  INSTANCE_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' })),
  SHUTDOWN_TIMEOUT_MS: Millis(20_000, 'force exit after this long on SIGTERM'),
  SOCKET_CLOSE_GRACE_MS: Millis(2000, 'wait this long for sockets to close on shutdown, then terminate them'),
  PING_INTERVAL_MS: Millis(25_000, 'ping every socket this often; one missed pong terminates it'),
  TOKEN_GRACE_MS: Type.Integer({ minimum: 0, default: 25_000, description: 'close with 4003 this long after exp' }),
  PRESENCE_TTL_MS: Millis(45_000, 'lifetime of an unrefreshed presence entry'),
  PRESENCE_INTERVAL_MS: Millis(10_000, 'refresh own entries and expire stale ones this often'),
  REPLAY_MAX_BYTES: Type.Integer({ minimum: 1024, default: 512 * 1024, description: 'a resume whose missed messages exceed this answers like a fresh join (latest page, recovered false) so one frame never swamps a slow link' }),
  ENGINE_TIMEOUT_MS: Millis(1500, 'a frame whose engine call takes longer gets error unavailable'),
  FANOUT_HOLD_MS: Type.Integer({ minimum: 0, maximum: 1000, default: 50, description: 'longest a busy room holds its frames so that they go out together in one write per socket (0: never held)' }),
  ABUSE_STRIKES: Type.Integer({ minimum: 1, default: 40, description: 'refused frames within ABUSE_WINDOW_MS before closing with 1008' }),
  ABUSE_WINDOW_MS: Millis(10_000, 'window of ABUSE_STRIKES')
}, { additionalProperties: true })

export type RawConfig = Static<typeof ConfigSchema>

/** The validated configuration with derived values filled in. */
export type Config = Omit<RawConfig, 'ENGINE' | 'INSTANCE_ID' | 'JWKS_URL'> & {
  ENGINE: 'memory' | 'redis'
  INSTANCE_ID: string
  JWKS_URL: string
  allowedOrigins: Set<string>
  serviceKeys: string[]
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const list = (value: string): string[] => value.split(',').map((item) => item.trim()).filter((item) => item !== '')

/**
 * Validates settings (environment strings or typed values), applies defaults and derives the rest.
 * Throws ConfigError naming each bad variable.
 */
export function loadConfig (env: Record<string, unknown> = process.env): Config {
  const known = Object.fromEntries(Object.keys(ConfigSchema.properties)
    .filter((key) => env[key] !== undefined && env[key] !== '')
    .map((key) => [key, env[key]]))
  const value = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, known)) as RawConfig
  const errors = [...Value.Errors(ConfigSchema, value)]
  if (errors.length > 0) {
    throw new ConfigError(`invalid configuration: ${errors.map((e) => `${e.instancePath.slice(1) || '(root)'} ${e.message}`).join('; ')}`)
  }
  if (value.ENGINE === 'redis' && value.REDIS_URL === undefined) throw new ConfigError('invalid configuration: ENGINE=redis needs REDIS_URL')
  const authUrl = value.AUTH_URL.replace(/\/+$/, '')
  return {
    ...value,
    AUTH_URL: authUrl,
    ENGINE: value.ENGINE ?? (value.REDIS_URL === undefined ? 'memory' : 'redis'),
    INSTANCE_ID: value.INSTANCE_ID ?? `${hostname().replace(/[^A-Za-z0-9_.-]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`,
    JWKS_URL: value.JWKS_URL ?? `${authUrl}/.well-known/jwks.json`,
    allowedOrigins: new Set(list(value.ALLOWED_ORIGINS).map((origin) => origin.toLowerCase())),
    serviceKeys: list(value.CHAT_SERVICE_KEYS)
  }
}
