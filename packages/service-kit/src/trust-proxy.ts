import { isIP } from 'node:net'
import Type from 'typebox'
import { ConfigError } from './settings.js'

/** What Fastify's `trustProxy` is given: nothing, everything, addresses and ranges, or a hop check. */
export type TrustProxy = boolean | string[] | ((address: string, hop: number) => boolean)

/** The TRUST_PROXY setting, the same in every service's config schema. */
export const trustProxySetting = () => Type.String({
  env: 'TRUST_PROXY',
  default: 'false',
  description: 'proxies whose X-Forwarded-For/-Proto/-Host are believed: their addresses or CIDR ranges (comma-separated; `loopback`, `linklocal`, `uniquelocal` name ranges), a hop count (trusts that many nearest hops, whoever they are), `true` (every hop) or `false`; set behind nginx'
})

/** proxy-addr's names for ranges, which Fastify accepts beside addresses. */
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/** An address, or a CIDR range whose prefix fits the address family; false for anything else. */
function isAddressOrRange (entry: string): boolean {
  if (NAMED_RANGES.has(entry.toLowerCase())) return true
  const [address = '', prefix, extra] = entry.split('/')
  const family = isIP(address)
  if (family === 0 || extra !== undefined) return false
  if (prefix === undefined) return true
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128)
}

/**
 * Trusts the `hops` nearest hops, whoever they are: the peer is hop 0, then X-Forwarded-For from
 * its right end. Fastify 5.12 treats a bare number as "trust nothing" (it cannot check the peer),
 * so a hop count must be given to it as this function.
 */
export function trustHops (hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops
}

/**
 * Fastify's `trustProxy` from TRUST_PROXY. A value Fastify would ignore or fail on refuses to
 * start, naming the variable: silently trusting nothing behind nginx gives every client nginx's
 * address (one shared per-IP limit) and the https scheme is lost (no Secure cookie).
 */
export function trustProxyOption (value: string, variable = 'TRUST_PROXY'): TrustProxy {
  const text = value.trim()
  if (/^(false|0)?$/i.test(text)) return false
  if (/^true$/i.test(text)) return true
  if (/^[0-9]+$/.test(text)) return trustHops(Number(text))
  const entries = text.split(',').map((entry) => entry.trim())
  const bad = entries.filter((entry) => !isAddressOrRange(entry))
  if (bad.length > 0) {
    throw new ConfigError(`invalid configuration: ${variable} must be proxy addresses or CIDR ranges (comma-separated), a hop count, true or false; not ${bad.map((entry) => JSON.stringify(entry)).join(', ')}`)
  }
  return entries
}
