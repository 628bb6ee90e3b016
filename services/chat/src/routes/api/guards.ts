import type { FastifyRequest } from 'fastify'
import { bearerOf, serviceKeyGuard } from '@webchat/service-kit'
import type { Config } from '../../config.js'
import { errors } from '../../errors.js'
import type { Tokens } from '../../tokens.js'

/**
 * Both guards are `onRequest` hooks: a request is authenticated before its body is read or
 * validated, so a caller without credentials learns nothing about what the route accepts.
 */

/**
 * Reading routes: `Authorization: Bearer <chat token>` (not consumed: it may open a socket later).
 * The claims are left on `request.chatClaims` (decorated by the route plugin).
 */
export function requireChatToken (tokens: Tokens) {
  return async function checkChatToken (request: FastifyRequest): Promise<void> {
    const token = bearerOf(request.headers.authorization)
    if (token === undefined) throw new errors.Unauthorized('send Authorization: Bearer <chat token>')
    request.chatClaims = await tokens.verify(token)
  }
}

/** Backend routes: `Authorization: Bearer <key>` with a key from CHAT_SERVICE_KEYS. */
export function requireServiceKey (config: Config) {
  return serviceKeyGuard(config.serviceKeys, (reason) =>
    new errors.Unauthorized(reason === 'missing' ? 'send Authorization: Bearer <service key>' : 'unknown service key'))
}
