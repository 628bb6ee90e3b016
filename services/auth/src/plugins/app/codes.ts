import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { Engine } from '@webchat/engine'
import { withDetail } from '@webchat/service-kit'
import { errors } from '../../errors.js'
import { names } from '../../names.js'
import { clientOf } from './client-key.js'

export interface CodeRules {
  ttlMs: number
  maxAttempts: number
  cooldownMs: number
  hourlyMax: number
  ipCodeMax: number
  ipVerifyMax: number
  ipWindowMs: number
  lockThreshold: number
  lockBaseMs: number
  lockMaxMs: number
  failureWindowMs: number
}

export interface CodesOptions extends CodeRules {
  engine: Engine
  secret: string
}

export interface Codes {
  /**
   * Charges the limits for `email` (per address and per client `ip`), makes a code and hands it
   * to `deliver`; the code becomes valid (replacing the previous one) once `deliver` resolved.
   * When `deliver` fails nothing is stored and the address limits are given back.
   */
  issue (email: string, ip: string, deliver: (code: string) => Promise<void>): Promise<{ resendAfter: number }>
  /** Consumes the code when it is right; throws the matching registry error otherwise. */
  check (email: string, code: string, ip: string): Promise<void>
}

interface StoredCode { id: string, mac: string, until: number }

const HOUR_MS = 3_600_000
const secondsOf = (ms: number): number => Math.max(1, Math.ceil(ms / 1000))

/** One-time codes: CSPRNG digits, stored only as an HMAC, single use, with every limit of the issue. */
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
    const { count, resetMs } = await counters.increment(name, windowMs)
    if (count > max) throw withDetail(new errors.RateLimited(), { retryAfter: secondsOf(resetMs) })
  }

  return {
    async issue (email, ip, deliver) {
      const a = addressKey(email)
      await charge(names.clientLimit('code', ipKey(ip)), rules.ipCodeMax, rules.ipWindowMs)
      if (rules.cooldownMs > 0 && !await kv.setIfAbsent(names.codeCooldown(a), '1', rules.cooldownMs)) {
        throw withDetail(new errors.RateLimited(), { retryAfter: secondsOf(await kv.ttl(names.codeCooldown(a)) ?? rules.cooldownMs) })
      }
      await charge(names.codeHourly(a), rules.hourlyMax, HOUR_MS)
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0')
      const id = randomBytes(12).toString('base64url')
      try {
        await deliver(code)
      } catch (err) {
        await Promise.allSettled([kv.delete(names.codeCooldown(a)), counters.increment(names.codeHourly(a), HOUR_MS, -1)])
        throw err
      }
      const stored: StoredCode = { id, mac: hmac('code', a, id, code).toString('base64url'), until: Date.now() + rules.ttlMs }
      await kv.set(names.code(a), JSON.stringify(stored), rules.ttlMs)
      return { resendAfter: Math.ceil(rules.cooldownMs / 1000) }
    },

    async check (email, code, ip) {
      const a = addressKey(email)
      await charge(names.clientLimit('verify', ipKey(ip)), rules.ipVerifyMax, rules.ipWindowMs)
      const lockedMs = await kv.ttl(names.signInLock(a))
      if (lockedMs !== null && lockedMs > 0) throw withDetail(new errors.Locked(), { retryAfter: secondsOf(lockedMs) })
      const stored = parse(await kv.get(names.code(a)))
      if (stored === null) throw new errors.CodeExpired()
      // Every attempt on this code counts, so the one after the last allowed fails even when right.
      const tries = await counters.increment(names.codeTries(a, stored.id), rules.ttlMs)
      if (tries.count > rules.maxAttempts) throw new errors.CodeExpired()
      const expected = Buffer.from(stored.mac, 'base64url')
      const given = hmac('code', a, stored.id, code)
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        const consumed = parse(await kv.consume(names.code(a)))
        if (consumed?.id !== stored.id) {
          // A newer code replaced this one meanwhile: put it back, this one is gone.
          if (consumed !== null && consumed.until > Date.now()) await kv.setIfAbsent(names.code(a), JSON.stringify(consumed), consumed.until - Date.now())
          throw new errors.CodeExpired()
        }
        await Promise.all([counters.reset(names.signInFailures(a)), counters.reset(names.codeTries(a, stored.id))])
        return
      }
      const failures = await counters.increment(names.signInFailures(a), rules.failureWindowMs)
      if (failures.count >= rules.lockThreshold) {
        const delay = Math.min(rules.lockBaseMs * 2 ** Math.min(failures.count - rules.lockThreshold, 30), rules.lockMaxMs)
        await kv.set(names.signInLock(a), '1', delay)
        throw withDetail(new errors.Locked(), { retryAfter: secondsOf(delay) })
      }
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
    ipCodeMax: c.ipCodeMax,
    ipVerifyMax: c.ipVerifyMax,
    ipWindowMs: c.ipWindow * 1000,
    lockThreshold: c.lockThreshold,
    lockBaseMs: c.lockBase * 1000,
    lockMaxMs: c.lockMax * 1000,
    failureWindowMs: c.failureWindow * 1000
  }))
}, { name: 'auth-codes', dependencies: ['auth-config', 'auth-engine'] })
