import t from 'tap'
import { createTokenBucket } from '../src/index.js'

t.test('the token bucket allows the burst, then the rate', async (t) => {
  let now = 0
  const bucket = createTokenBucket(10, 20, () => now)
  let taken = 0
  while (bucket.take()) taken++
  t.equal(taken, 20)
  now += 100
  t.ok(bucket.take())
  t.notOk(bucket.take())
  now += 10_000
  taken = 0
  while (bucket.take()) taken++
  t.equal(taken, 20, 'never more than the burst')
})

t.test('the token bucket says how long until its next token', async (t) => {
  let now = 0
  const bucket = createTokenBucket(10, 2, () => now)
  t.equal(bucket.waitMs(), 0, 'full: now')
  t.ok(bucket.take())
  t.ok(bucket.take())
  t.equal(bucket.waitMs(), 100, 'empty: one token is 1/rate away')
  now += 40
  t.equal(bucket.waitMs(), 60, 'part of the way')
  t.notOk(bucket.take(), 'not before then')
  now += 60
  t.equal(bucket.waitMs(), 0)
  t.ok(bucket.take(), 'and then it is there')
  t.equal(bucket.waitMs(), 100, 'asking does not take')
})

t.test('a clock stepped back takes no tokens away', async (t) => {
  let now = 10_000
  const bucket = createTokenBucket(10, 2, () => now)
  t.ok(bucket.take())
  now -= 5000
  t.ok(bucket.take(), 'the token left is still there')
  t.notOk(bucket.take())
  now += 100
  t.ok(bucket.take(), 'and the rate resumes from the new reading')
})

t.test('a byte budget: charged after the work, refused while in debt, paid back at the rate', async (t) => {
  let now = 0
  const KiB = 1024
  const budget = createTokenBucket(256 * KiB, 1024 * KiB, () => now)
  t.ok(budget.ready(), 'full')
  budget.charge(600 * KiB)
  t.ok(budget.ready(), 'part of the burst left')
  budget.charge(600 * KiB)
  t.notOk(budget.ready(), 'past the burst: in debt by 176 KiB')
  now += 500
  t.notOk(budget.ready(), '128 KiB paid back, 48 KiB still owed')
  now += 200
  t.ok(budget.ready(), 'paid back at 256 KiB a second')
  now += 60_000
  budget.charge(1024 * KiB)
  t.notOk(budget.ready(), 'the burst caps what a long pause saves up')
  let answers = 0
  let read = 0
  for (now = 100_000; now < 110_000; now += 10) {
    if (!budget.ready()) continue
    budget.charge(200 * KiB)
    answers++
    read += 200 * KiB
  }
  t.ok(read <= 1024 * KiB + 10 * 256 * KiB + 200 * KiB, `10 s of asking read ${read / KiB} KiB in ${answers} answers: at most the burst, the rate and one answer`)
  t.ok(read >= 10 * 256 * KiB, 'and at least the rate')
})

t.test('full: only once the whole burst is back', async (t) => {
  let now = 0
  const bucket = createTokenBucket(10, 20, () => now)
  t.ok(bucket.full(), 'fresh')
  t.ok(bucket.take())
  t.notOk(bucket.full(), 'one token out')
  now += 50
  t.notOk(bucket.full(), 'half a token back')
  now += 50
  t.ok(bucket.full(), 'all back at the rate')
  bucket.charge(100)
  now += 9000
  t.notOk(bucket.full(), 'a debt is paid back before the burst refills')
  now += 1000
  t.ok(bucket.full())
})
