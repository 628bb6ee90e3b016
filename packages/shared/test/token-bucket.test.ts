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
