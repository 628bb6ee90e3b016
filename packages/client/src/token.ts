/** What `getToken` may resolve with: the token alone, or with its `expiresAt` (as `POST /auth/token` answers). */
export type TokenSource = string | { token: string, expiresAt?: string }

export interface Token { token: string, lifetimeMs: number | undefined }

function claims (token: string): { iat?: unknown, exp?: unknown } | undefined {
  const payload = token.split('.')[1]
  if (payload === undefined) return undefined
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '=')
    const value: unknown = JSON.parse(atob(base64))
    return typeof value === 'object' && value !== null ? value : undefined
  } catch {
    return undefined
  }
}

/**
 * How long a token just fetched stays valid. Read from its own `exp - iat` (immune to a skewed
 * local clock), else from `expiresAt` against the local clock, else unknown.
 */
export function readToken (source: TokenSource, now: number): Token {
  const token = typeof source === 'string' ? source : source.token
  const c = claims(token)
  if (typeof c?.iat === 'number' && typeof c.exp === 'number' && c.exp > c.iat) {
    return { token, lifetimeMs: (c.exp - c.iat) * 1000 }
  }
  const expiresAt = typeof source === 'string' ? undefined : source.expiresAt
  const at = expiresAt === undefined ? NaN : Date.parse(expiresAt)
  return { token, lifetimeMs: Number.isFinite(at) && at > now ? at - now : undefined }
}

/** When to refresh a token of this lifetime: `leadMs` before its end (default a quarter of it, at most 60 s). */
export function refreshDelay (lifetimeMs: number, leadMs?: number): number {
  const lead = leadMs ?? Math.min(60_000, lifetimeMs / 4)
  return Math.max(1000, Math.round(lifetimeMs - lead))
}
