import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import { TOKEN_ALGORITHM, type Jwks } from '@webchat/shared'
import { readOrCreate } from '../../data-dir.js'

export type PublicJwk = Jwks['keys'][number]
/** A key as jose imports it (a WebCrypto CryptoKey on Node). */
export type KeyObject = Awaited<ReturnType<typeof importJWK>>

export interface SigningKey {
  kid: string
  privateKey: KeyObject
  publicKey: KeyObject
  jwk: PublicJwk
}

/** The file in DATA_DIR holding generated keys (newest first). */
export const GENERATED_KEYS_FILE = 'signing-keys.json'

/** A new Ed25519 private JWK whose `kid` is its RFC 7638 thumbprint. */
export async function generateSigningJwk (): Promise<JWK> {
  const { privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true })
  const jwk = await exportJWK(privateKey)
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: TOKEN_ALGORITHM, use: 'sig' }
}

/** Checks one private JWK: Ed25519 only (never HS*, never `none`), with a `kid`. */
async function toSigningKey (value: unknown, where: string): Promise<SigningKey> {
  const jwk = value as JWK
  if (typeof jwk !== 'object' || jwk === null) throw new Error(`${where}: a key must be a JWK object`)
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') throw new Error(`${where}: only Ed25519 (kty OKP, crv Ed25519) keys sign chat tokens`)
  if (jwk.alg !== undefined && jwk.alg !== TOKEN_ALGORITHM) throw new Error(`${where}: alg must be ${TOKEN_ALGORITHM}`)
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error(`${where}: every key needs a kid`)
  if (typeof jwk.d !== 'string' || typeof jwk.x !== 'string') throw new Error(`${where}: key ${jwk.kid} is not a private key`)
  const privateKey = await importJWK({ ...jwk, alg: TOKEN_ALGORITHM }, TOKEN_ALGORITHM)
  const publicKey = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: jwk.x, alg: TOKEN_ALGORITHM }, TOKEN_ALGORITHM)
  return { kid: jwk.kid, privateKey, publicKey, jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: jwk.kid, alg: TOKEN_ALGORITHM, use: 'sig' } }
}

async function parseKeys (json: string, where: string): Promise<SigningKey[]> {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new Error(`${where}: not valid JSON`)
  }
  const list = Array.isArray(parsed) ? parsed : [parsed]
  const keys = await Promise.all(list.map(async (jwk, i) => await toSigningKey(jwk, `${where}[${i}]`)))
  if (keys.length === 0) throw new Error(`${where}: no keys`)
  const kids = new Set(keys.map((k) => k.kid))
  if (kids.size !== keys.length) throw new Error(`${where}: duplicate kid`)
  return keys
}

/** SIGNING_KEYS as a path: a JSON file (array or one JWK), or a directory of them (newest name first). */
async function keysFromPath (path: string): Promise<SigningKey[]> {
  if (!(await stat(path)).isDirectory()) return await parseKeys(await readFile(path, 'utf8'), path)
  const files = (await readdir(path)).filter((f) => f.endsWith('.json')).sort().reverse()
  const keys: SigningKey[] = []
  for (const file of files) keys.push(...await parseKeys(await readFile(join(path, file), 'utf8'), join(path, file)))
  if (keys.length === 0) throw new Error(`${path}: no *.json keys`)
  return keys
}

/**
 * The signing keys, newest first: the first signs, all verify. From SIGNING_KEYS (JSON, a file or
 * a directory), or else generated once into DATA_DIR.
 */
export async function loadSigningKeys (configured: string, dataDir: string): Promise<{ keys: SigningKey[], source: string }> {
  const value = configured.trim()
  if (value.startsWith('[') || value.startsWith('{')) return { keys: await parseKeys(value, 'SIGNING_KEYS'), source: 'SIGNING_KEYS' }
  if (value !== '') return { keys: await keysFromPath(value), source: value }
  const json = await readOrCreate(dataDir, GENERATED_KEYS_FILE, async () => JSON.stringify([await generateSigningJwk()], null, 2) + '\n')
  return { keys: await parseKeys(json, join(dataDir, GENERATED_KEYS_FILE)), source: join(dataDir, GENERATED_KEYS_FILE) }
}
