import { createHash, randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import type { Engine } from '@webchat/engine'
import { LIMITS, normalizeName, type User } from '@webchat/shared'
import { names } from '../../names.js'

export interface Users {
  /** The user with this address, created on first sign-in. */
  findOrCreate (email: string): Promise<User>
  get (id: string): Promise<User | null>
  /** Renames; `name` must already be normalized. Null when the user is gone. */
  rename (id: string, name: string): Promise<User | null>
}

// Addresses are looked up by digest so the index key does not spell them out.
const emailKey = (email: string): string => names.userByEmail(createHash('sha256').update(email).digest('base64url'))

/**
 * A first display name from the address: its local part, cut to the limit, or "user". Addresses
 * are printable ASCII (EMAIL_PATTERN), so a local part always passes the name rule; the check
 * stays in case an address ever gets here some other way.
 */
export function defaultName (email: string): string {
  const local = email.slice(0, email.lastIndexOf('@'))
  return normalizeName([...local].slice(0, LIMITS.nameChars).join('')) ?? 'user'
}

/**
 * A stored user, with a name that passes today's rule: a name stored before the rule was
 * tightened (blank, or with direction controls) reads as the default name until the user
 * renames, so it reaches no token, page or room. The record itself is left as it is.
 */
function parseUser (raw: string | null): User | null {
  if (raw === null) return null
  let user: User
  try {
    user = JSON.parse(raw) as User
  } catch {
    return null
  }
  const name = normalizeName(user.name)
  return name === user.name ? user : { ...user, name: name ?? defaultName(user.email) }
}

/** Users in the engine's key/value store: `user:<id>` plus an index by address. */
export function createUsers ({ engine }: { engine: Engine }): Users {
  const { kv } = engine
  const get = async (id: string): Promise<User | null> => parseUser(await kv.get(names.user(id)))
  return {
    get,
    async findOrCreate (rawEmail) {
      const email = rawEmail.toLowerCase()
      const existing = await kv.get(emailKey(email))
      if (existing !== null) {
        const user = await get(existing)
        if (user !== null) return user
      }
      const user: User = { id: randomBytes(12).toString('base64url'), email, name: defaultName(email), createdAt: new Date().toISOString() }
      await kv.set(names.user(user.id), JSON.stringify(user))
      if (existing !== null) {
        // The index pointed at a missing record: repair it.
        await kv.set(emailKey(email), user.id)
        return user
      }
      if (await kv.setIfAbsent(emailKey(email), user.id)) return user
      // Another sign-in created this user first: use theirs.
      await kv.delete(names.user(user.id))
      const winner = await kv.get(emailKey(email))
      const found = winner === null ? null : await get(winner)
      if (found === null) throw new Error('user index is inconsistent')
      return found
    },
    async rename (id, name) {
      const user = await get(id)
      if (user === null) return null
      const renamed = { ...user, name }
      await kv.set(names.user(id), JSON.stringify(renamed))
      return renamed
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    users: Users
  }
}

export default fp(async function usersPlugin (fastify) {
  fastify.decorate('users', createUsers({ engine: fastify.engine }))
}, { name: 'auth-users', dependencies: ['auth-engine'] })
