/** A local token bucket: `rate` tokens a second, holding at most `burst`. */
export interface TokenBucket {
  take (): boolean
}

/** A class so that thousands of buckets share one `take` (two per connection). */
class Bucket implements TokenBucket {
  private tokens: number
  private last: number
  constructor (private readonly rate: number, private readonly burst: number, private readonly now: () => number) {
    this.tokens = burst
    this.last = now()
  }

  take (): boolean {
    const at = this.now()
    this.tokens = Math.min(this.burst, this.tokens + ((at - this.last) / 1000) * this.rate)
    this.last = at
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

export function createTokenBucket (rate: number, burst: number, now: () => number = Date.now): TokenBucket {
  return new Bucket(rate, burst, now)
}
