import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Config } from '../../config.js'
import { ChatError, unauthorized } from '../../errors.js'
import type { Tokens } from '../../tokens.js'

const bearer = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization
  if (typeof header !== 'string') return undefined
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return match?.[1]
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/** Reading routes: `Authorization: Bearer <chat token>` (not consumed: it may open a socket later). */
export function requireChatToken (tokens: Tokens) {
  return async (request: FastifyRequest): Promise<void> => {
    const token = bearer(request)
    if (token === undefined) throw unauthorized('send Authorization: Bearer <chat token>')
    await tokens.verify(token)
  }
}

/** Backend routes: `Authorization: Bearer <key>` with a key from CHAT_SERVICE_KEYS. */
export function requireServiceKey (config: Config) {
  const keys = config.serviceKeys.map(digest)
  return async (request: FastifyRequest): Promise<void> => {
    const key = bearer(request)
    if (key === undefined) throw unauthorized('send Authorization: Bearer <service key>')
    const offered = digest(key)
    let match = false
    for (const known of keys) match = timingSafeEqual(known, offered) || match
    if (!match) throw new ChatError(401, 'unauthorized', 'unknown service key')
  }
}
