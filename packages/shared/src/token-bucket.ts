/**
 * A token bucket: `rate` tokens a second, holding at most `burst`. The server counts a
 * connection's sends with one (LIMITS.sendsPerSecond, LIMITS.sendBurst); a client paces its own
 * sends with one of the same shape, so that it never earns a `rate_limited` refusal.
 */
export interface TokenBucket {
  /** Takes a token if one is there. */
  take (): boolean
  /** Milliseconds until a token is there (0: now). */
  waitMs (): number
  /**
   * Whether the bucket is out of debt, for a cost known only once the work is done (bytes read
   * for a reply): check first, `charge` after.
   */
  ready (): boolean
  /** Takes `cost` tokens, into debt when there are fewer: `ready` is false until it is paid back. */
  charge (cost: number): void
  /** Holds its whole burst again: a fresh bucket would be no different, so it may be forgotten. */
  full (): boolean
}

/** A class so that thousands of buckets share their methods (a server holds two per connection). */
class Bucket implements TokenBucket {
  private tokens: number
  private last: number
  constructor (private readonly rate: number, private readonly burst: number, private readonly now: () => number) {
    this.tokens = burst
    this.last = now()
  }

  private refill (): void {
    const at = this.now()
    // A clock stepped back (NTP, a resumed VM) adds nothing rather than taking tokens away.
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, at - this.last) / 1000) * this.rate)
    this.last = at
  }

  take (): boolean {
    this.refill()
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }

  waitMs (): number {
    this.refill()
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000)
  }

  ready (): boolean {
    this.refill()
    return this.tokens > 0
  }

  charge (cost: number): void {
    this.refill()
    this.tokens -= cost
  }

  full (): boolean {
    this.refill()
    return this.tokens >= this.burst
  }
}

export function createTokenBucket (rate: number, burst: number, now: () => number = Date.now): TokenBucket {
  return new Bucket(rate, burst, now)
}
