import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { Engine } from '@webchat/engine'
import { withDetail } from '@webchat/service-kit'
import { LIMITS } from '@webchat/shared'
import { errors } from '../../errors.js'
import { names } from '../../names.js'
import { clientOf } from './client-key.js'

/**
 * Everything a sign-in attempt stores is made without an account: on the memory engine it stays
 * in its own share, so that a flood of code requests cannot take the room of sessions and logouts.
 */
const ATTEMPT = { share: 'attempts' } as const

export interface CodeRules {
  ttlMs: number
  maxAttempts: number
  cooldownMs: number
  hourlyMax: number
  clientHourlyMax: number
  ipCodeMax: number
  ipVerifyMax: number
  ipWindowMs: number
}

export interface CodesOptions extends CodeRules {
  engine: Engine
  secret: string
}

export interface Issued {
  resendAfter: number
  /** The id of this code request, for the sign-in cookie: only its holder can check the code. */
  request: string
}

export interface Codes {
  /**
   * Charges the limits for `email` (per client `ip`, per address and client, per address), makes
   * a code and hands it to `deliver`; the code becomes valid once `deliver` resolved, replacing
   * only the previous code of the same `request` (a valid earlier id is kept, else a new one made).
   * When `deliver` fails nothing is stored and the limits are given back.
   */
  issue (email: string, ip: string, request: string | undefined, deliver: (code: string) => Promise<void>): Promise<Issued>
  /**
   * Consumes the code of `request` when it is right; throws the matching registry error otherwise.
   * Without a pending code for that request the answer is the one for a wrong code, with no count.
   */
  check (email: string, code: string, ip: string, request: string | undefined): Promise<void>
}

interface StoredCode { id: string, mac: string, until: number }

const HOUR_MS = 3_600_000
const CODE_VALUES = 10 ** LIMITS.codeDigits
const REQUEST_ID = /^[A-Za-z0-9_-]{22}$/
const secondsOf = (ms: number): number => Math.max(1, Math.ceil(ms / 1000))
/** Whether a value from a cookie can be a request id we made (anything else is ignored). */
const isRequestId = (value: unknown): value is string => typeof value === 'string' && REQUEST_ID.test(value)

/** A new code: uniform over all LIMITS.codeDigits-digit strings (CSPRNG), leading zeros kept. */
export const drawCode = (): string => String(randomInt(0, CODE_VALUES)).padStart(LIMITS.codeDigits, '0')

/** One-time codes: CSPRNG digits, stored only as an HMAC, single use, bound to the request that made them. */
export function createCodes ({ engine, secret, ...rules }: CodesOptions): Codes {
  const { kv, counters } = engine
  const hmac = (...parts: string[]): Buffer => createHmac('sha256', secret).update(parts.join('\0')).digest()
  // Addresses and clients are keyed by HMAC: neither appears in the store.
  const addressKey = (email: string): string => hmac('address', email.toLowerCase()).toString('base64url')
  const ipKey = (ip: string): string => hmac('ip', clientOf(ip)).toString('base64url').slice(0, 22)
  const parse = (raw: string | null): StoredCode | null => {
    if (raw === null) return null
    try {
      const value = JSON.parse(raw) as StoredCode
      return typeof value.id === 'string' && typeof value.mac === 'string' ? value : null
    } catch {
      return null
    }
  }
  const charge = async (name: string, max: number, windowMs: number): Promise<void> => {
    const { count, resetMs } = await counters.increment(name, windowMs, 1, ATTEMPT)
    if (count > max) throw withDetail(new errors.RateLimited(), { retryAfter: secondsOf(resetMs) })
  }

  return {
    async issue (email, ip, request, deliver) {
      const a = addressKey(email)
      const client = ipKey(ip)
      await charge(names.clientLimit('code', client), rules.ipCodeMax, rules.ipWindowMs)
      // The cooldown and a share of the hourly codes are per client, so that no one client can
      // use up an address's codes; the address-wide cap bounds the mails and guesses from all.
      const cooldown = names.codeCooldown(a, client)
      if (rules.cooldownMs > 0 && !await kv.setIfAbsent(cooldown, '1', rules.cooldownMs, ATTEMPT)) {
        throw withDetail(new errors.RateLimited(), { retryAfter: secondsOf(await kv.ttl(cooldown) ?? rules.cooldownMs) })
      }
      const charged: string[] = []
      const giveBack = async (): Promise<void> => {
        await Promise.allSettled([kv.delete(cooldown), ...charged.map(async (name) => await counters.increment(name, HOUR_MS, -1, ATTEMPT))])
      }
      try {
        for (const [name, max] of [[names.codeClientHourly(a, client), rules.clientHourlyMax], [names.codeHourly(a), rules.hourlyMax]] as const) {
          charged.push(name)
          await charge(name, max, HOUR_MS)
        }
      } catch (err) {
        // A refusal must not hold the cooldown or count against the other cap.
        await giveBack()
        throw err
      }
      const code = drawCode()
      const id = randomBytes(12).toString('base64url')
      try {
        await deliver(code)
      } catch (err) {
        await giveBack()
        throw err
      }
      // A fresh request id every time, never the one offered: a cookie planted in the victim's
      // browser (a sibling subdomain, a man in the middle on plain HTTP) must not name their code.
      const bound = randomBytes(16).toString('base64url')
      const stored: StoredCode = { id, mac: hmac('code', a, id, code).toString('base64url'), until: Date.now() + rules.ttlMs }
      await kv.set(names.code(a, bound), JSON.stringify(stored), rules.ttlMs, ATTEMPT)
      // This browser's earlier code for the address is replaced, as a resend should.
      if (isRequestId(request)) await kv.delete(names.code(a, request)).catch(() => {})
      return { resendAfter: Math.ceil(rules.cooldownMs / 1000), request: bound }
    },

    async check (email, code, ip, request) {
      const a = addressKey(email)
      await charge(names.clientLimit('verify', ipKey(ip)), rules.ipVerifyMax, rules.ipWindowMs)
      // No request, or none with a pending code: the same answer as a wrong code, and nothing
      // counted against any code, so a stranger learns nothing and voids nothing.
      if (!isRequestId(request)) throw new errors.InvalidCode()
      const key = names.code(a, request)
      const stored = parse(await kv.get(key))
      if (stored === null) throw new errors.InvalidCode()
      // Every attempt on this code counts, so the one after the last allowed fails even when right.
      const tries = await counters.increment(names.codeTries(a, stored.id), rules.ttlMs, 1, ATTEMPT)
      if (tries.count > rules.maxAttempts) throw new errors.CodeExpired()
      const expected = Buffer.from(stored.mac, 'base64url')
      const given = hmac('code', a, stored.id, code)
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        const consumed = parse(await kv.consume(key))
        if (consumed?.id !== stored.id) {
          // A resend replaced this code meanwhile: put the new one back, this one is gone.
          if (consumed !== null && consumed.until > Date.now()) await kv.setIfAbsent(key, JSON.stringify(consumed), consumed.until - Date.now(), ATTEMPT)
          throw new errors.CodeExpired()
        }
        await counters.reset(names.codeTries(a, stored.id))
        return
      }
      // Only the holder of the request gets here: it may know how many tries its code has left.
      throw withDetail(new errors.InvalidCode(), { attemptsLeft: Math.max(0, rules.maxAttempts - tries.count) })
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    codes: Codes
  }
}

export default fp(async function codesPlugin (fastify) {
  const c = fastify.authConfig
  fastify.decorate('codes', createCodes({
    engine: fastify.engine,
    secret: fastify.authSecrets.codeSecret,
    ttlMs: c.codeTtl * 1000,
    maxAttempts: c.codeMaxAttempts,
    cooldownMs: c.codeCooldown * 1000,
    hourlyMax: c.codeHourlyMax,
    clientHourlyMax: c.codeClientHourlyMax,
    ipCodeMax: c.ipCodeMax,
    ipVerifyMax: c.ipVerifyMax,
    ipWindowMs: c.ipWindow * 1000
  }))
}, { name: 'auth-codes', dependencies: ['auth-config', 'auth-engine'] })
