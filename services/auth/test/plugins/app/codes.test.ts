import t from 'tap'
import { Redis } from 'ioredis'
import { createMemoryEngine, type Engine } from '@webchat/engine'
import { type ErrorDetail, wireCodeOf, wireErrorOf } from '@webchat/service-kit'
import type { ErrorCode } from '@webchat/shared'
import { createCodes, type CodeRules } from '../../../src/plugins/app/codes.js'
import { ENGINES, engineFor, testConfig, useRedis } from '../../helper.js'

const rules: CodeRules = {
  ttlMs: 600_000, maxAttempts: 5, cooldownMs: 60_000, hourlyMax: 5, ipCodeMax: 100, ipVerifyMax: 100,
  ipWindowMs: 600_000, lockThreshold: 20, lockBaseMs: 30_000, lockMaxMs: 3_600_000, failureWindowMs: 86_400_000
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

/** Issues a code and returns it as the mail would carry it. */
async function issue (codes: ReturnType<typeof createCodes>, email: string, ip = '192.0.2.1'): Promise<string> {
  let sent = ''
  await codes.issue(email, ip, async (code) => { sent = code })
  return sent
}

for (const kind of ENGINES) {
  t.test(`codes on ${kind}`, async (t) => {
    const engineOf = async (): Promise<Engine> => await engineFor(t, await testConfig(t, kind))

    t.test('6 CSPRNG digits, leading zeros kept, hardly ever repeated', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules, cooldownMs: 0, hourlyMax: 10_000, ipCodeMax: 10_000 })
      const seen = new Set<string>()
      for (let i = 0; i < 300; i++) {
        const code = await issue(codes, 'rng@example.com')
        t.match(code, /^[0-9]{6}$/)
        seen.add(code)
      }
      t.ok(seen.size > 290, `${seen.size} distinct of 300`)
    })

    t.test('concurrent requests for one address mail one code', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules })
      const delivered: string[] = []
      const results = await Promise.allSettled(Array.from({ length: 10 }, async () =>
        await codes.issue('burst@example.com', '192.0.2.1', async (code) => { delivered.push(code) })))
      t.equal(delivered.length, 1)
      t.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
      for (const r of results) if (r.status === 'rejected') t.equal(wireCodeOf(r.reason), 'rate_limited')
    })

    t.test('a failed delivery stores nothing and gives the limits back', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules, hourlyMax: 1 })
      let attempted = ''
      await t.rejects(codes.issue('fail@example.com', '192.0.2.1', async (code) => { attempted = code; throw new Error('smtp down') }), /smtp down/)
      t.match(await refusal(codes.check('fail@example.com', attempted, '192.0.2.1')), { error: 'code_expired' }, 'the code was withdrawn')
      const code = await issue(codes, 'fail@example.com')
      await codes.check('fail@example.com', code, '192.0.2.1')
      t.pass('neither cooldown nor hourly cap was charged by the failure')
    })

    t.test('the per-IP verify bucket', async (t) => {
      const codes = createCodes({ engine: await engineOf(), secret: SECRET, ...rules, ipVerifyMax: 3 })
      for (let i = 0; i < 3; i++) t.match(await refusal(codes.check(`ip${i}@example.com`, '000000', '198.51.100.7')), { error: 'code_expired' })
      const err = await refusal(codes.check('ip9@example.com', '000000', '198.51.100.7'))
      t.equal(err.error, 'rate_limited')
      t.ok((err.extra.retryAfter ?? 0) > 0)
      t.match(await refusal(codes.check('ip9@example.com', '000000', '198.51.100.8')), { error: 'code_expired' }, 'other clients are not held up')
    })

  })
}

t.test('the lock delay doubles from LOCK_BASE up to LOCK_MAX, and a success resets the count', async (t) => {
  let now = Date.now()
  const engine = createMemoryEngine({ now: () => now })
  t.teardown(async () => { await engine.close() })
  const codes = createCodes({ engine, secret: SECRET, ...rules, cooldownMs: 0, lockThreshold: 2, lockBaseMs: 30_000, lockMaxMs: 100_000, maxAttempts: 100 })
  const code = await issue(codes, 'grow@example.com')
  const bad = String((Number(code) + 1) % 1e6).padStart(6, '0')
  t.match(await refusal(codes.check('grow@example.com', bad, 'ip')), { error: 'invalid_code', extra: { attemptsLeft: 99 } })
  const delays: number[] = []
  for (let i = 0; i < 4; i++) {
    const err = await refusal(codes.check('grow@example.com', bad, 'ip'))
    t.equal(err.error, 'locked')
    delays.push(err.extra.retryAfter ?? -1)
    now += 1000
    t.match(await refusal(codes.check('grow@example.com', code, 'ip')), { error: 'locked' }, 'still locked a second later')
    now += (err.extra.retryAfter ?? 0) * 1000
  }
  t.same(delays, [30, 60, 100, 100])
  await codes.check('grow@example.com', code, 'ip')
  const next = await issue(codes, 'grow@example.com')
  const wrongNext = String((Number(next) + 1) % 1e6).padStart(6, '0')
  t.match(await refusal(codes.check('grow@example.com', wrongNext, 'ip')), { error: 'invalid_code' }, 'the count started again')
})

t.test('only an HMAC of the code is stored, and no address appears in Redis', async (t) => {
  const server = await useRedis()
  const config = await testConfig(t, 'redis')
  const engine = await engineFor(t, config)
  const codes = createCodes({ engine, secret: SECRET, ...rules })
  const code = await issue(codes, 'Secret.Person@Example.com')
  const raw = new Redis(server.url)
  t.teardown(async () => { await raw.quit() })
  const keys = await raw.keys(`${config.redisPrefix}*`)
  t.ok(keys.length >= 3, keys.join(' '))
  for (const key of keys) {
    t.notMatch(key.toLowerCase(), /secret|person|example/, `key ${key} names no address`)
    const type = await raw.type(key)
    const value = type === 'string' ? await raw.get(key) ?? '' : JSON.stringify(await raw.hgetall(key))
    t.notMatch(value.toLowerCase(), /secret\.person|example\.com/, `${key} holds no address`)
    t.notOk(value.includes(`"${code}"`) || value === code, `${key} does not hold the code`)
  }
  const stored = await raw.get(keys.find((k) => k.includes(':auth:code:'))!)
  t.match(JSON.parse(stored ?? '{}'), { id: String, mac: /^[A-Za-z0-9_-]{43}$/, until: Number })
})
