import { mkdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { exportJWK, generateKeyPair } from 'jose'
import { GENERATED_KEYS_FILE, generateSigningJwk, loadSigningKeys } from '../../../src/plugins/app/signing-keys.js'
import { tempDir } from '../../helper.js'

t.test('generated once into DATA_DIR, owner-only, and reused', async (t) => {
  const dataDir = join(tempDir(t), 'nested', 'data')
  const loads = await Promise.all(Array.from({ length: 5 }, async () => await loadSigningKeys('', dataDir)))
  t.equal(new Set(loads.map((l) => l.keys[0]!.kid)).size, 1, 'concurrent first starts agree on one key')
  t.equal(statSync(join(dataDir, GENERATED_KEYS_FILE)).mode & 0o777, 0o600)
  t.equal(statSync(dataDir).mode & 0o777, 0o700)
  const again = await loadSigningKeys('', dataDir)
  t.equal(again.keys[0]!.kid, loads[0]!.keys[0]!.kid)
  t.equal(again.source, join(dataDir, GENERATED_KEYS_FILE))
})

t.test('SIGNING_KEYS as JSON, a file or a directory; newest first', async (t) => {
  const [a, b, c] = [await generateSigningJwk(), await generateSigningJwk(), await generateSigningJwk()]
  t.same((await loadSigningKeys(JSON.stringify([a, b]), '/unused')).keys.map((k) => k.kid), [a.kid, b.kid])
  t.same((await loadSigningKeys(JSON.stringify(a), '/unused')).keys.map((k) => k.kid), [a.kid], 'one JWK alone')
  const dir = tempDir(t)
  writeFileSync(join(dir, 'keys.json'), JSON.stringify([b, a]))
  t.same((await loadSigningKeys(join(dir, 'keys.json'), '/unused')).keys.map((k) => k.kid), [b.kid, a.kid])
  const keysDir = join(dir, 'keys.d')
  mkdirSync(keysDir)
  writeFileSync(join(keysDir, '2025-01.json'), JSON.stringify(a))
  writeFileSync(join(keysDir, '2026-06.json'), JSON.stringify(c))
  writeFileSync(join(keysDir, 'README.txt'), 'not a key')
  t.same((await loadSigningKeys(keysDir, '/unused')).keys.map((k) => k.kid), [c.kid, a.kid], 'the newest file name signs')
})

t.test('refuses anything but P-256 and Ed25519 private keys with distinct kids', async (t) => {
  const good = await generateSigningJwk()
  const ed = await generateSigningJwk('EdDSA')
  t.match(good, { kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' }, 'new keys are P-256')
  t.match(ed, { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' })
  t.same((await loadSigningKeys(JSON.stringify([good, ed]), '/unused')).keys.map((k) => k.alg), ['ES256', 'EdDSA'], 'both, mixed')
  const { alg: _alg, ...noAlg } = ed
  t.equal((await loadSigningKeys(JSON.stringify(noAlg), '/unused')).keys[0]!.alg, 'EdDSA', 'alg follows from the curve when absent')
  const { privateKey: rsa } = await generateKeyPair('RS256', { extractable: true })
  const { privateKey: p384 } = await generateKeyPair('ES384', { extractable: true })
  const { d: _d, ...publicOnly } = good
  const { y: _y, ...noY } = good
  const cases: Record<string, unknown> = {
    'an HMAC secret': [{ kty: 'oct', k: 'c2VjcmV0', kid: 'h', alg: 'HS256' }],
    'an RSA key': [{ ...await exportJWK(rsa), kid: 'r' }],
    'a P-384 key': [{ ...await exportJWK(p384), kid: 'p' }],
    'alg none': [{ ...good, alg: 'none' }],
    'a P-256 key labelled EdDSA': [{ ...good, alg: 'EdDSA' }],
    'an Ed25519 key labelled ES256': [{ ...ed, alg: 'ES256' }],
    'a P-256 key without y': [noY],
    'no kid': [{ ...good, kid: undefined }],
    'a public key': [publicOnly],
    'duplicate kids': [good, { ...await generateSigningJwk(), kid: good.kid }],
    'an empty list': [],
    'a string': ['key']
  }
  for (const [what, value] of Object.entries(cases)) await t.rejects(loadSigningKeys(JSON.stringify(value), '/unused'), Error, what)
  await t.rejects(loadSigningKeys('[not json', '/unused'), /not valid JSON/)
  await t.rejects(loadSigningKeys(join(tempDir(t), 'missing.json'), '/unused'), /ENOENT/)
  await t.rejects(loadSigningKeys(tempDir(t), '/unused'), /no \*\.json keys/)
})
