/** A local token bucket: `rate` tokens a second, holding at most `burst`. */
export interface TokenBucket {
  take (): boolean
}

export function createTokenBucket (rate: number, burst: number, now: () => number = Date.now): TokenBucket {
  let tokens = burst
  let last = now()
  return {
    take () {
      const at = now()
      tokens = Math.min(burst, tokens + ((at - last) / 1000) * rate)
      last = at
      if (tokens < 1) return false
      tokens -= 1
      return true
    }
  }
}
