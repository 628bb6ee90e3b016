import { useEffect, useState } from 'preact/hooks'

/**
 * The time now, for a component that counts seconds: it is drawn again every `everyMs` while
 * `running`, and reads the clock each time it is drawn, so a change of state shows exact seconds.
 */
export function useNow (everyMs: number, running = true): number {
  const [, setTick] = useState(0)
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => setTick((n) => n + 1), everyMs)
    return () => clearInterval(timer)
  }, [everyMs, running])
  return Date.now()
}
