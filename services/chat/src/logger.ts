import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'

/** Strips the query string, which may carry a token (`/ws?token=`). */
export function redactUrl (url: string): string {
  const at = url.indexOf('?')
  return at < 0 ? url : url.slice(0, at)
}

/**
 * pino options for the service: tokens (subprotocol header, `token` query parameter,
 * Authorization) and Redis credentials never reach the log.
 */
export function loggerOptions (config: Pick<Config, 'logLevel'>): NonNullable<FastifyServerOptions['logger']> {
  return {
    level: config.logLevel,
    redact: {
      // ioredis errors carry the failed command's arguments (a cluster's, on its last node's error):
      // a refused AUTH's are the Redis password. The engine replaces them too; this is the second lock.
      paths: ['req.headers.authorization', 'req.headers["sec-websocket-protocol"]', 'req.headers.cookie', 'req.query.token', 'token', '*.command.args', '*.lastNodeError.command.args'],
      censor: '[redacted]'
    },
    serializers: {
      req: (req: { method?: string, url?: string, ip?: string, hostname?: string }) => ({
        method: req.method,
        url: redactUrl(req.url ?? ''),
        host: req.hostname,
        remoteAddress: req.ip
      })
    }
  }
}
