import type { FastifyReply, FastifyRequest } from 'fastify'
import { errors } from '../../errors.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Refuses state-changing requests a browser sends from another site (CSRF and login CSRF):
 * `Origin` must be the service's own origin or one of `allowedOrigins`; without `Origin`,
 * `Sec-Fetch-Site` must say same-origin (or none: typed by the user). Requests with neither
 * header come from non-browser clients and pass.
 */
export function isCrossSite (request: FastifyRequest, allowedOrigins: readonly string[]): boolean {
  if (SAFE_METHODS.has(request.method)) return false
  const origin = request.headers.origin
  if (typeof origin === 'string') {
    const own = `${request.protocol}://${request.host}`.toLowerCase()
    const given = origin.toLowerCase()
    return !(given === own || allowedOrigins.includes(given))
  }
  const site = request.headers['sec-fetch-site']
  if (typeof site === 'string') return !(site === 'same-origin' || site === 'none')
  return false
}

export function originGuard (allowedOrigins: readonly string[]) {
  return async function checkOrigin (request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    if (isCrossSite(request, allowedOrigins)) throw new errors.CrossSite()
  }
}
