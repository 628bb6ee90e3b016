export type Listener<T> = (value: T) => void

export interface Emitter<Events> {
  /** Adds a listener and returns a function that removes it. */
  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void
  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void
  /** Resolves with the next value of `event`. */
  once<K extends keyof Events>(event: K): Promise<Events[K]>
  emit<K extends keyof Events>(event: K, value: Events[K]): void
}

/**
 * A small typed event emitter. A listener that throws does not stop the others or the caller:
 * its error is rethrown on a fresh microtask, where the host reports it.
 */
export function createEmitter<Events> (): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<Listener<never>>>()
  const emitter: Emitter<Events> = {
    on (event, listener) {
      let set = listeners.get(event)
      if (set === undefined) listeners.set(event, set = new Set())
      set.add(listener as Listener<never>)
      return () => emitter.off(event, listener)
    },
    off (event, listener) {
      listeners.get(event)?.delete(listener as Listener<never>)
    },
    once (event) {
      return new Promise((resolve) => {
        const off = emitter.on(event, (value) => { off(); resolve(value) })
      })
    },
    emit (event, value) {
      const set = listeners.get(event)
      if (set === undefined) return
      for (const listener of [...set]) {
        try {
          (listener as Listener<typeof value>)(value)
        } catch (err) {
          queueMicrotask(() => { throw err })
        }
      }
    }
  }
  return emitter
}
