/** Clock and timers, replaceable in tests. */
export interface Timers {
  setTimeout (fn: () => void, ms: number): unknown
  clearTimeout (handle: unknown): void
  now (): number
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => { globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>) },
  now: () => Date.now()
}

/** Whether the device has a network, and news when that changes. */
export interface NetworkStatus {
  online (): boolean
  subscribe (onChange: (online: boolean) => void): () => void
}

/** The browser's `navigator.onLine` with its `online`/`offline` events; undefined elsewhere. */
export function browserNetwork (): NetworkStatus | undefined {
  const g = globalThis as { navigator?: { onLine?: unknown }, addEventListener?: unknown, document?: unknown }
  if (g.document === undefined || typeof g.navigator?.onLine !== 'boolean' || typeof g.addEventListener !== 'function') return undefined
  return {
    online: () => globalThis.navigator.onLine,
    subscribe (onChange) {
      const up = (): void => onChange(true)
      const down = (): void => onChange(false)
      globalThis.addEventListener('online', up)
      globalThis.addEventListener('offline', down)
      return () => {
        globalThis.removeEventListener('online', up)
        globalThis.removeEventListener('offline', down)
      }
    }
  }
}
