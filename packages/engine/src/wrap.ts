/** Async methods only: the shape of every engine part that `wrapMethods` can guard. */
export type AsyncMethods<T> = { [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => Promise<R> : never }

/**
 * Returns a copy of `api` whose every method runs through `around`: one place for the checks
 * that apply to all calls (engine closed, connection down, timeouts, error mapping).
 */
export function wrapMethods<T extends AsyncMethods<T>> (api: T, around: <R>(call: () => Promise<R>) => Promise<R>): T {
  const wrapped: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(api) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => await around(async () => await method(...args))
  }
  return wrapped as T
}
