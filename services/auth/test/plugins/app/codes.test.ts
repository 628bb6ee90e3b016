import t from 'tap'
import type { Engine } from '@webchat/engine'
import { type ErrorDetail, wireCodeOf, wireErrorOf } from '@webchat/service-kit'
import type { ErrorCode } from '@webchat/shared'
import { type Codes, createCodes, type CodeRules, drawCode } from '../../../src/plugins/app/codes.js'
import { ENGINES, engineFor, redisAdmin, testConfig } from '../../helper.js'

const rules: CodeRules = {
  ttlMs: 600_000, maxAttempts: 5, cooldownMs: 60_000, hourlyMax: 10, clientHourlyMax: 3, ipCodeMax: 100, ipVerifyMax: 100, ipWindowMs: 600_000
}
const SECRET = 'k'.repeat(40)

/** The wire code and detail a call is refused with (fails the test when it is not refused so). */
async function refusal (call: Promise<unknown>): Promise<{ error: ErrorCode, extra: ErrorDetail }> {
  const outcome = await call.then(() => new Error('not refused'), (err: unknown) => err)
  const wire = wireErrorOf(outcome)
  if (wire === undefined) throw outcome
  const { error, message: _message, ...extra } = wire.body
  return { error, extra }
}

/** Issues a code and returns it as the mail would carry it, with the request it is bound to. */
async function issue (codes: Codes, email: string, ip = '192.0.2.1', request?: string): Promise<{ code: string, request: string }> {
  let code = ''
  const issued = await codes.issue(email, ip, request, async (sent) => { code = sent })
  return { code, request: issued.request }
}

t.test('a code is 8 digits drawn uniformly from 10^8 values, leading zeros kept', async (t) => {
  const n = 20_000
  const codes = Array.from({ length: n }, drawCode)
  t.ok(codes.every((code) => /^[0-9]{8}$/.test(code)), 'every code: 8 ASCII digits')
  // Each digit of each position appears n/10 = 2,000 times, give or take sqrt(n*0.1*0.9) = 42:
  // the bounds are 7 standard deviations wide, so a uniform draw all but never fails them, and a
  // code drawn from 10^6 values and padded (first two digits always 0) always does.
  for (let position = 0; position < 8; position++) {
    const counts = Array.from({ length: 10 }, (_, digit) => codes.filter((code) => code[position] === String(digit)).length)
    t.ok(counts.every((c) => c > 1700 && c < 2300), `position ${position}: ${counts.join(' ')}`)
  }
  t.ok(codes.filter((code) => code.startsWith('0')).length > 1700, 'leading zeros are kept')
  // Expected repeats among 20,000 draws from 10^8: n^2 / 2 / 10^8 = 2.
  t.ok(new Set(codes).size >= n - 20, `${new Set(codes).size} distinct of ${n}`)
})

for (const kind of ENGINES) {
  t.test(`codes on ${kind}`, async (t) => {
    const engineOf = async (): Promise<Engine> => await engineFor(t, await testConfig(t, kind))

    t.test('8 CSPRNG digits, leading zeros kept, hardly ever repeated', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules, cooldownMs: 0, hourlyMax: 10_000, clientHourlyMax: 10_000, ipCodeMax: 10_000 })
      const seen = new Set<string>()
      for (let i = 0; i < 300; i++) {
        const { code } = await issue(codes, 'rng@example.com')
        t.match(code, /^[0-9]{8}$/)
        seen.add(code)
      }
      t.ok(seen.size > 290, `${seen.size} distinct of 300`)
    })

    t.test('concurrent requests for one address mail one code', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules })
      const delivered: string[] = []
      const results = await Promise.allSettled(Array.from({ length: 10 }, async () =>
        await codes.issue('burst@example.com', '192.0.2.1', undefined, async (code) => { delivered.push(code) })))
      t.equal(delivered.length, 1)
      t.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      for (const r of results) if (r.status === 'rejected') t.equal(wireCodeOf(r.reason), 'rate_limited')
    })

    t.test('a failed delivery stores nothing and gives the limits back', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules, hourlyMax: 1, clientHourlyMax: 1 })
      let attempted = ''
      const request = 'r'.repeat(22)
      await t.rejects(codes.issue('fail@example.com', '192.0.2.1', request, async (code) => { attempted = code; throw new Error('smtp down') }), /smtp down/)
      t.same(await refusal(codes.check('fail@example.com', attempted, '192.0.2.1', request)), { error: 'invalid_code', extra: {} }, 'the code was withdrawn')
      const issued = await issue(codes, 'fail@example.com', '192.0.2.1', request)
      await codes.check('fail@example.com', issued.code, '192.0.2.1', issued.request)
      t.pass('neither cooldown nor hourly cap was charged by the failure')
    })

    t.test('a request id offered by the browser is never reused: a planted cookie names no code', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules })
      const planted = 'p'.repeat(22)
      const { code, request } = await issue(codes, 'victim@example.com', '192.0.2.1', planted)
      t.not(request, planted, 'a fresh id')
      t.same(await refusal(codes.check('victim@example.com', code, '192.0.2.9', planted)), { error: 'invalid_code', extra: {} }, 'the planter cannot use it')
      await codes.check('victim@example.com', code, '192.0.2.1', request)
      t.pass('the victim signs in with the fresh id')
    })

    t.test('the per-client verify bucket; IPv6 clients count by their /64, IPv4-mapped ones as IPv4', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules, ipVerifyMax: 3 })
      const checks = async (ip: string, n = 1): Promise<ErrorCode[]> => await Promise.all(Array.from({ length: n }, async (_, i) =>
        (await refusal(codes.check(`ip${i}@example.com`, '00000000', ip, undefined))).error))
      t.same(await checks('198.51.100.7', 3), ['invalid_code', 'invalid_code', 'invalid_code'])
      const err = await refusal(codes.check('ip9@example.com', '00000000', '198.51.100.7', undefined))
      t.equal(err.error, 'rate_limited')
      t.ok((err.extra.retryAfter ?? 0) > 0)
      t.same(await checks('::ffff:198.51.100.7'), ['rate_limited'], 'the same IPv4 address, mapped into IPv6')
      t.same(await checks('198.51.100.8'), ['invalid_code'], 'other clients are not held up')
      // One /64, four spellings of addresses in it: one bucket of 3.
      for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:0db8:0001:0002::abcd', '2001:db8:1:2:0:0:0:7']) {
        t.same(await checks(ip), [ip === '2001:db8:1:2:0:0:0:7' ? 'rate_limited' : 'invalid_code'], ip)
      }
      t.same(await checks('2001:db8:1:3::1'), ['invalid_code'], 'the next /64 has its own bucket')
    })

    t.test('a code is checked only for the request that made it', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules })
      const { code, request } = await issue(codes, 'bound@example.com')
      t.match(request, /^[A-Za-z0-9_-]{22}$/)
      for (const other of [undefined, '', 'x', 'A'.repeat(22), `${request}x`]) {
        for (let i = 0; i < 6; i++) t.same(await refusal(codes.check('bound@example.com', code, '192.0.2.2', other)), { error: 'invalid_code', extra: {} }, `request ${String(other)}`)
      }
      const { code: own, request: strangers } = await issue(codes, 'bound@example.com', '192.0.2.3')
      t.not(strangers, request, 'another client\'s request is another request')
      for (let i = 0; i < 5; i++) await refusal(codes.check('bound@example.com', own === '00000000' ? '00000001' : '00000000', '192.0.2.3', strangers))
      t.same(await refusal(codes.check('bound@example.com', own, '192.0.2.3', strangers)), { error: 'code_expired', extra: {} }, 'the stranger voided only its own code')
      await codes.check('bound@example.com', code, '192.0.2.1', request)
      t.pass('the owner\'s code still works')
    })
  })
}

t.test('only an HMAC of the code is stored, and no address appears in Redis', async (t) => {
  const config = await testConfig(t, 'redis')
  const engine = await engineFor(t, config)
  const codes = createCodes({ engine, secret: SECRET, ...rules })
  const { code } = await issue(codes, 'Secret.Person@Example.com')
  const { client: raw, keys: keysOf } = await redisAdmin(t)
  const keys = await keysOf(`${config.redisPrefix}*`)
  t.ok(keys.length >= 3, keys.join(' '))
  for (const key of keys) {
    t.notMatch(key.toLowerCase(), /secret|person|example/, `key ${key} names no address`)
    const type = await raw.type(key)
    const value = type === 'string' ? await raw.get(key) ?? '' : JSON.stringify(await raw.hgetall(key))
    t.notMatch(value.toLowerCase(), /secret\.person|example\.com/, `${key} holds no address`)
    t.notOk(value.includes(`"${code}"`) || value === code, `${key} does not hold the code`)
  }
  // On a cluster the name sits in its hash tag: `…kv:{auth:code:…}`.
  const stored = await raw.get(keys.find((k) => /[:{]auth:code:/.test(k))!)
  t.match(JSON.parse(stored ?? '{}'), { id: String, mac: /^[A-Za-z0-9_-]{43}$/, until: Number })
})
