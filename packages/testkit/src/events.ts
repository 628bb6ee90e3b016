/** Anything with typed events and an `on` that returns its own `off` (a `@webchat/client` connection). */
export interface Emitter<E> {
  on: <K extends keyof E>(event: K, handler: (value: E[K]) => void) => () => void
}

/** The next `event` from `source` that `match`es, or a rejection after `ms`. */
export async function nextEvent<E, K extends keyof E> (source: Emitter<E>, event: K, match: (value: E[K]) => boolean = () => true, ms = 10_000): Promise<E[K]> {
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { off(); reject(new Error(`no ${String(event)} within ${ms} ms`)) }, ms)
    const off = source.on(event, (value) => {
      if (!match(value)) return
      clearTimeout(timer)
      off()
      resolve(value)
    })
  })
}
