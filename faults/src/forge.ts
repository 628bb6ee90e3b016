import { createHmac, createPrivateKey, randomBytes, sign as signWith } from 'node:crypto'
import { SignJWT, type CryptoKey, type JWK, type JWTHeaderParameters } from 'jose'
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_TYPE } from '@webchat/shared'

const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')

export interface Claims {
  iss: string
  aud: string
  sub: string
  sid: string
  name: string
  jti: string
  iat: number
  exp: number
  [key: string]: unknown
}

/** Claims as the auth service signs them, with `overrides` on top. */
export function claims (overrides: Partial<Claims> = {}, issuer = 'webchat-auth'): Claims {
  const iat = Math.floor(Date.now() / 1000)
  return {
    iss: issuer, aud: TOKEN_AUDIENCE, sub: 'u_forged', sid: 'forged-session', name: 'Mallory',
    jti: randomBytes(16).toString('base64url'), iat, exp: iat + 300, ...overrides
  }
}

/** A JWT signed with `key` (ES256) and exactly the header given (plus alg). */
export async function sign (key: CryptoKey, header: Partial<JWTHeaderParameters>, payload: Claims): Promise<string> {
  return await new SignJWT({ ...payload }).setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: TOKEN_TYPE, ...header }).sign(key)
}

/** An unsigned token: `alg: none`, empty signature. */
export function unsigned (payload: Claims, header: Record<string, unknown> = {}): string {
  return `${b64({ alg: 'none', typ: TOKEN_TYPE, ...header })}.${b64(payload)}.`
}

/** HS256 over the token with `secret` as the HMAC key (the classic public-key-as-secret confusion). */
export function hs256 (secret: string, payload: Claims, header: Record<string, unknown> = {}): string {
  const input = `${b64({ alg: 'HS256', typ: TOKEN_TYPE, ...header })}.${b64(payload)}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

/** The token with its signature replaced (`''` for an empty one) or one bit of it flipped. */
export function resign (token: string, signature: string | 'flip'): string {
  const [header, payload, sig] = token.split('.') as [string, string, string]
  if (signature !== 'flip') return `${header}.${payload}.${signature}`
  const bytes = Buffer.from(sig, 'base64url')
  bytes[0] = bytes[0]! ^ 1
  return `${header}.${payload}.${bytes.toString('base64url')}`
}

/** The token with its payload replaced, signature kept (an altered claim). */
export function alter (token: string, change: (payload: Claims) => Claims): string {
  const [header, payload, sig] = token.split('.') as [string, string, string]
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Claims
  return `${header}.${b64(change(decoded))}.${sig}`
}

/** The claims of a real token (not verified). */
export function decode (token: string): Claims {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Claims
}

/** Signs header and payload as given, with no library checks in the way (P-256 private JWK, ES256). */
export function rawSign (privateJwk: JWK, header: Record<string, unknown>, payload: Claims): string {
  const input = `${b64({ alg: TOKEN_ALGORITHM, typ: TOKEN_TYPE, ...header })}.${b64(payload)}`
  const key = createPrivateKey({ key: privateJwk as never, format: 'jwk' })
  return `${input}.${signWith('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`
}
