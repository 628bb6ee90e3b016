import { createHash, createHmac } from 'node:crypto'
import fp from 'fastify-plugin'
import type { Engine } from '@webchat/engine'
import { LIMITS, isUserId, normalizeName, type User } from '@webchat/shared'
import { names } from '../../names.js'

export interface Users {
  /** The user with this address, created on first sign-in. */
  findOrCreate (email: string): Promise<User>
  /**
   * The id the user of this address has, or will get at their first sign-in: read only, so
   * naming an address (an invitation) stores nothing and answers alike for every address.
   */
  idOf (email: string): Promise<string>
  get (id: string): Promise<User | null>
  /** Renames; `name` must already be normalized. Null when the user is gone. */
  rename (id: string, name: string): Promise<User | null>
}

/** One spelling per address, for ids and the index alike: lower case (`a+x@` and `a@` stay two users). */
export const normalizeEmail = (email: string): string => email.toLowerCase()

// Addresses are looked up by digest so the index key does not spell them out.
const emailKey = (email: string): string => names.userByEmail(createHash('sha256').update(email).digest('base64url'))

/**
 * The id an address gets at its first sign-in: 12 bytes of an HMAC of the address, base64url
 * (16 characters, like the random ids of users made before). Derived, not drawn, so that an
 * invitation can name a user who does not exist yet without storing one; keyed, so that nobody
 * can tell from an id which address it belongs to. The key comes from CODE_SECRET with a label
 * of its own (rotating it changes the ids of addresses that have not signed in yet).
 */
export function userIdDeriver (secret: string): (email: string) => string {
  const key = createHmac('sha256', secret).update('webchat user id key').digest()
  return (email) => createHmac('sha256', key).update(`webchat user id\0${normalizeEmail(email)}`).digest().subarray(0, 12).toString('base64url')
}

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

/**
 * Users in the engine's key/value store: `user:<id>` plus an index by address. A new user gets
 * the derived id; users made before ids were derived keep their random ones, which the index
 * names (as it names an id whose record went missing: it is made again under that id).
 */
export function createUsers ({ engine, secret }: { engine: Engine, secret: string }): Users {
  const { kv } = engine
  const derivedId = userIdDeriver(secret)
  const get = async (id: string): Promise<User | null> => parseUser(await kv.get(names.user(id)))
  /** The indexed id, if the index holds one (a value that is no id is ignored and replaced). */
  const indexedId = async (email: string): Promise<string | null> => {
    const id = await kv.get(emailKey(email))
    return isUserId(id) ? id : null
  }
  return {
    get,
    async idOf (rawEmail) {
      const email = normalizeEmail(rawEmail)
      return await indexedId(email) ?? derivedId(email)
    },
    async findOrCreate (rawEmail) {
      const email = normalizeEmail(rawEmail)
      const indexed = await indexedId(email)
      const id = indexed ?? derivedId(email)
      let user = await get(id)
      if (user === null) {
        const made: User = { id, email, name: defaultName(email), createdAt: new Date().toISOString() }
        const record = JSON.stringify(made)
        // Concurrent first sign-ins derive the same id: the first record stays, the others read it.
        user = await kv.setIfAbsent(names.user(id), record) ? made : await get(id)
        if (user === null) {
          // A record there that does not parse: replaced, the id kept.
          await kv.set(names.user(id), record)
          user = made
        }
      }
      // The record comes first, so an index entry always names a record (or one about to be).
      if (indexed === null) await kv.set(emailKey(email), id)
      return user
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
  fastify.decorate('users', createUsers({ engine: fastify.engine, secret: fastify.authSecrets.codeSecret }))
}, { name: 'auth-users', dependencies: ['auth-config', 'auth-engine'] })
