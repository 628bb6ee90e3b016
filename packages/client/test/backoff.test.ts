import t from 'tap'
import { backoffDelay } from '../src/backoff.js'

t.test('nominal schedule is 1, 2, 4, 8, 16 s, then stays at the 16 s cap', async (t) => {
  const none = { random: () => 0 }
  t.same([0, 1, 2, 3, 4, 5, 6, 50, 5000].map((a) => backoffDelay(a, none)), [1000, 2000, 4000, 8000, 16000, 16000, 16000, 16000, 16000])
})

t.test('jitter keeps every delay within [nominal/2, nominal]', async (t) => {
  for (let attempt = 0; attempt < 8; attempt++) {
    const nominal = Math.min(16000, 1000 * 2 ** attempt)
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(attempt)
      if (d < nominal / 2 || d > nominal) t.fail(`attempt ${attempt}: ${d}`)
    }
  }
  const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(4)))
  t.ok(spread.size > 10, 'delays actually vary')
})

t.test('options and odd inputs', async (t) => {
  t.equal(backoffDelay(3, { baseMs: 100, capMs: 500, random: () => 0 }), 500)
  t.equal(backoffDelay(-1, { random: () => 0 }), 1000)
  t.equal(backoffDelay(0, { random: () => 5 }), 500, 'a random source out of range is clamped')
})
