import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'

/**
 * Paths pino removes from every log line: codes, tokens, cookies, keys, email addresses and Redis
 * command arguments, wherever a log call or a serializer might put them. (`*.code` is left out on
 * purpose: it would hide `err.code`; codes are never passed to a log call in the first place.)
 */
export const REDACT_PATHS = [
  'req.headers.cookie', 'req.headers.authorization', 'req.headers["x-service-key"]',
  'res.headers["set-cookie"]', 'headers.cookie', 'headers.authorization',
  'email', 'code', 'token', 'to', 'secret', 'cookie',
  '*.email', '*.token', '*.to', '*.secret', '*.cookie', '*.password',
  'body.email', 'body.code', 'body.token',
  'req.body', 'request.body', 'mail.to', 'envelope.to',
  // ioredis errors carry the failed command's arguments: those of a refused AUTH or HELLO are the
  // Redis user and password (from REDIS_URL or REDIS_CLUSTER_NODES).
  '*.command.args', '*.lastNodeError.command.args'
]

/** Only the request line: query strings could carry anything. */
const serializers = {
  req (req: { method: string, url: string, routeOptions?: { url?: string }, ip?: string, id?: string }) {
    return { method: req.method, url: req.url.split('?', 1)[0], id: req.id }
  }
}

export function loggerOptions (config: Pick<Config, 'logLevel'>): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers
  }
}
