export interface BackoffOptions {
  /** First delay, before jitter (default 1000 ms). */
  baseMs?: number
  /** Largest delay, before jitter (default 16000 ms). */
  capMs?: number
  /** A source of numbers in [0, 1) (default Math.random). */
  random?: () => number
}

/**
 * Delay before reconnect attempt `attempt` (0-based): the nominal delay doubles from `baseMs`
 * (1, 2, 4, 8, 16 s by default) and stays at `capMs`; "equal jitter" then picks a value in
 * [nominal / 2, nominal], so clients that dropped together spread out and the cap is never passed.
 */
export function backoffDelay (attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 1000, capMs = 16_000, random = Math.random } = options
  const nominal = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30))
  const r = Math.min(Math.max(random(), 0), 1)
  return Math.max(1, Math.round(nominal * (1 - r / 2)))
}
