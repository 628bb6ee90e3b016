import type { FastifyRequest } from 'fastify'
import type { User } from '@webchat/shared'
import { errors } from '../../errors.js'

export interface SignedIn {
  user: User
  /** The public session id (`sid`). */
  handle: string
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The session's user on routes guarded by `requireSession`; null elsewhere. */
    signedIn: SignedIn | null
  }
}

/**
 * `onRequest` hook of the routes that need a signed-in session: 401 without one, before the body
 * is read or validated (the session itself is loaded by an earlier `onRequest` hook).
 */
export async function requireSession (request: FastifyRequest): Promise<void> {
  const session = request.session as Partial<FastifyRequest['session']> | null
  const userId = session?.userId
  const handle = session?.handle
  if (typeof userId !== 'string' || typeof handle !== 'string') throw new errors.Unauthorized()
  const user = await request.server.users.get(userId)
  if (user === null) throw new errors.Unauthorized()
  request.signedIn = { user, handle }
}

/** The user `requireSession` found for this request. */
export function signedIn (request: FastifyRequest): SignedIn {
  if (request.signedIn === null) throw new errors.Unauthorized()
  return request.signedIn
}
