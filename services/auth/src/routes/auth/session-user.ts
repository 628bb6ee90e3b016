import type { FastifyRequest } from 'fastify'
import type { User } from '@webchat/shared'
import { errors } from '../../errors.js'

export interface SignedIn {
  user: User
  /** The public session id (`sid`). */
  handle: string
}

/** The signed-in user of this request's session; throws 401 without one. */
export async function requireUser (request: FastifyRequest): Promise<SignedIn> {
  const session = request.session as Partial<FastifyRequest['session']> | null
  const userId = session?.userId
  const handle = session?.handle
  if (typeof userId !== 'string' || typeof handle !== 'string') throw errors.unauthorized()
  const user = await request.server.users.get(userId)
  if (user === null) throw errors.unauthorized()
  return { user, handle }
}
