import t from 'tap'
import { hashBucket } from '../src/index.js'

t.test('a key\'s bucket never changes: services of different versions publish and listen on it', async (t) => {
  // The buckets chat's user events have used since they were introduced (FNV-1a, 256 buckets).
  t.same(['alice', 'user-1', '', 'Zoë 🎉'].map((key) => hashBucket(key, 256)), [231, 116, 197, 38])
})

t.test('keys spread over every bucket, each within range', async (t) => {
  for (const buckets of [1, 16, 256]) {
    const seen = new Set(Array.from({ length: 5000 }, (_, i) => hashBucket(`session-${i}`, buckets)))
    t.equal(seen.size, buckets, `${buckets} buckets`)
    t.ok([...seen].every((b) => Number.isInteger(b) && b >= 0 && b < buckets))
  }
})
