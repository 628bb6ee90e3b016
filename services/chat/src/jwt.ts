import { KeyObject, verify as verifySignature, type VerifyKeyObjectInput, type webcrypto } from 'node:crypto'
import { errors as jose } from 'jose'
import { TOKEN_ALGORITHMS, type TokenAlgorithm } from '@webchat/shared'
import { errors } from './errors.js'

/** Finds the key of a token's header (jose's remote JWKS: caches, refetches on an unknown kid). */
export type KeyResolver = (header: Record<string, unknown>) => Promise<webcrypto.CryptoKey>

export interface JwtPolicy {
  issuer: string
  audience: string
  typ: string
  /** Claims that must be present besides iss and aud. */
  requiredClaims: string[]
  clockToleranceS: number
  /** What the messages call it (default `token`). */
  noun?: string
  /** The error of a refusal, given the reason (default `invalid_token`). */
  refuse?: (reason: string) => Error
}

const SEGMENT = /^[A-Za-z0-9_-]+$/
const normalizeTyp = (typ: string): string => typ.toLowerCase().replace(/^application\//, '')

function decodeSegment (segment: string): Record<string, unknown> | null {
  if (!SEGMENT.test(segment)) return null
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : null
  } catch {
    return null
  }
}

/** What a failure to find the key means for the client (`invalid` makes the refusal, given the reason). */
function keyFailure (error: unknown, invalid: (reason: string) => Error, noun: string): Error {
  if (error instanceof jose.JWKSNoMatchingKey) return invalid('signed by an unknown key')
  if (error instanceof jose.JOSEAlgNotAllowed || error instanceof jose.JOSENotSupported) return invalid('algorithm not accepted')
  if (error instanceof jose.JWKSMultipleMatchingKeys || error instanceof jose.JWSInvalid) return invalid('is malformed')
  return new errors.Unavailable(`cannot check ${noun}s now: the key set of the auth service is unreachable`)
}

/** How Node checks a signature of each accepted algorithm, and the key it takes. */
interface Checker { alg: TokenAlgorithm, digest: string | null, key: VerifyKeyObjectInput }

/** The checker of a key, or null when it is not a key of an accepted algorithm. */
function checkerOf (key: KeyObject): Checker | null {
  if (key.asymmetricKeyType === 'ed25519') return { alg: 'EdDSA', digest: null, key: { key } }
  // JWS carries ECDSA signatures as r || s (IEEE P1363), not DER.
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { alg: 'ES256', digest: 'sha256', key: { key, dsaEncoding: 'ieee-p1363' } }
  }
  return null
}

const ACCEPTED: ReadonlySet<unknown> = new Set<TokenAlgorithm>(TOKEN_ALGORITHMS)

/**
 * Verifies an ES256 (P-256) or EdDSA (Ed25519) compact JWS and its claims, as jose's jwtVerify
 * does for these two algorithms, but with Node's one-shot `crypto.verify` on a cached KeyObject
 * instead of a WebCrypto job per token, which costs every upgrade less CPU (measured in
 * docs/benchmarks.md, connect storm). The header's `alg` must be the key's own.
 * Every failure is a registry error: `invalid_token` with a reason, or `unavailable` when the key set
 * cannot be fetched.
 */
export function createJwtVerifier (resolveKey: KeyResolver, policy: JwtPolicy): (token: string) => Promise<Record<string, unknown>> {
  const checkers = new WeakMap<webcrypto.CryptoKey, Checker | null>()
  const required = ['iss', 'aud', ...policy.requiredClaims]
  const noun = policy.noun ?? 'token'
  const refuse = policy.refuse ?? ((reason: string) => new errors.InvalidToken(reason))
  const invalid = (reason: string): Error => refuse(`${noun} ${reason}`)
  const claimFailure = (claim: string): Error => invalid(`claim ${claim} is not acceptable`)

  return async (token) => {
    const parts = token.split('.')
    if (parts.length !== 3) throw invalid('is malformed')
    const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string]
    const header = decodeSegment(encodedHeader)
    if (header === null || !SEGMENT.test(encodedSignature)) throw invalid('is malformed')
    if (!ACCEPTED.has(header.alg)) throw invalid('algorithm not accepted')
    if (header.crit !== undefined || header.b64 !== undefined) throw invalid('is malformed')

    let cryptoKey: webcrypto.CryptoKey
    try {
      cryptoKey = await resolveKey(header)
    } catch (error) {
      throw keyFailure(error, invalid, noun)
    }
    let checker = checkers.get(cryptoKey)
    if (checker === undefined) {
      checker = checkerOf(KeyObject.from(cryptoKey))
      checkers.set(cryptoKey, checker)
    }
    if (checker === null || checker.alg !== header.alg) throw invalid('algorithm not accepted')
    const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`)
    if (!verifySignature(checker.digest, signed, checker.key, Buffer.from(encodedSignature, 'base64url'))) throw invalid('signature is invalid')

    const claims = decodeSegment(encodedPayload)
    if (claims === null) throw invalid('is malformed')
    if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(policy.typ)) throw claimFailure('typ')
    for (const claim of required) if (!(claim in claims)) throw claimFailure(claim)
    if (claims.iss !== policy.issuer) throw claimFailure('iss')
    const aud = claims.aud
    if (!(aud === policy.audience || (Array.isArray(aud) && aud.includes(policy.audience)))) throw claimFailure('aud')
    for (const claim of ['iat', 'nbf', 'exp']) {
      const value = claims[claim]
      if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) throw claimFailure(claim)
    }
    const now = Math.floor(Date.now() / 1000)
    if (typeof claims.nbf === 'number' && claims.nbf > now + policy.clockToleranceS) throw claimFailure('nbf')
    if (typeof claims.exp === 'number' && claims.exp <= now - policy.clockToleranceS) throw invalid('expired')
    return claims
  }
}
