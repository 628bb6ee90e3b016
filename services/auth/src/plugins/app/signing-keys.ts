import { readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import { TOKEN_ALGORITHM, TOKEN_ALGORITHMS, TOKEN_CURVES, type Jwks, type TokenAlgorithm } from '@webchat/shared'
import { readOrCreate } from '../../data-dir.js'

export type PublicJwk = Jwks['keys'][number]
/** A key as jose imports it (a WebCrypto CryptoKey on Node). */
export type KeyObject = Awaited<ReturnType<typeof importJWK>>

export interface SigningKey {
  kid: string
  alg: TokenAlgorithm
  privateKey: KeyObject
  publicKey: KeyObject
  jwk: PublicJwk
}

/** The file in DATA_DIR holding generated keys (newest first). */
export const GENERATED_KEYS_FILE = 'signing-keys.json'

/** The JWK shape of each accepted algorithm: key type, curve and public members. */
const SHAPES: Record<TokenAlgorithm, { kty: string, crv: string, members: ReadonlyArray<'x' | 'y'> }> = {
  ES256: { kty: 'EC', crv: TOKEN_CURVES.ES256, members: ['x', 'y'] },
  EdDSA: { kty: 'OKP', crv: TOKEN_CURVES.EdDSA, members: ['x'] }
}
const algorithmOf = (jwk: JWK): TokenAlgorithm | undefined =>
  TOKEN_ALGORITHMS.find((alg) => jwk.kty === SHAPES[alg].kty && jwk.crv === SHAPES[alg].crv)

/** A new private JWK (ES256 unless told) whose `kid` is its RFC 7638 thumbprint. */
export async function generateSigningJwk (alg: TokenAlgorithm = TOKEN_ALGORITHM): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { crv: SHAPES[alg].crv, extractable: true })
  const jwk = await exportJWK(privateKey)
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg, use: 'sig' }
}

/** Checks one private JWK: P-256 (ES256) or Ed25519 (EdDSA) only, never HS* or `none`, with a `kid`. */
async function toSigningKey (value: unknown, where: string): Promise<SigningKey> {
  const jwk = value as JWK
  if (typeof jwk !== 'object' || jwk === null) throw new Error(`${where}: a key must be a JWK object`)
  const alg = algorithmOf(jwk)
  if (alg === undefined) throw new Error(`${where}: only P-256 (kty EC, crv P-256: ES256) and Ed25519 (kty OKP, crv Ed25519: EdDSA) keys sign chat tokens`)
  if (jwk.alg !== undefined && jwk.alg !== alg) throw new Error(`${where}: a ${SHAPES[alg].crv} key's alg must be ${alg}`)
  if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new Error(`${where}: every key needs a kid`)
  const { kty, crv, members } = SHAPES[alg]
  if (typeof jwk.d !== 'string' || members.some((m) => typeof jwk[m] !== 'string')) throw new Error(`${where}: key ${jwk.kid} is not a private key`)
  const publicJwk: PublicJwk = { kty, crv, ...Object.fromEntries(members.map((m) => [m, jwk[m]])), kid: jwk.kid, alg, use: 'sig' }
  const privateKey = await importJWK({ ...jwk, alg }, alg)
  const publicKey = await importJWK(publicJwk, alg)
  return { kid: jwk.kid, alg, privateKey, publicKey, jwk: publicJwk }
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
