import { createRemoteJWKSet } from 'jose'
import type { Config } from './config.js'
import type { KeyResolver } from './jwt.js'

/**
 * The auth service's JWKS, fetched once and cached (refetched on an unknown kid, at most once per
 * JWKS_COOLDOWN_MS). Chat tokens and invitation tickets are signed with the same keys: both are
 * checked with this one key set.
 */
export function createKeySet (config: Pick<Config, 'jwksUrl' | 'jwksCooldownMs'>): KeyResolver {
  const keys = createRemoteJWKSet(new URL(config.jwksUrl), {
    timeoutDuration: 3000,
    cooldownDuration: config.jwksCooldownMs,
    cacheMaxAge: 10 * 60_000
  })
  return async (header) => await keys(header)
}
