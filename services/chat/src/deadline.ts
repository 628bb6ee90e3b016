import { EngineUnavailableError } from '@webchat/engine'

/**
 * Resolves like `promise`, or rejects with EngineUnavailableError after `ms`: a client always gets
 * an answer in bounded time, even while the engine retries a lost connection.
 */
export async function withDeadline<T> (promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new EngineUnavailableError(`no answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, expired])
  } finally {
    clearTimeout(timer)
    promise.catch(() => {})
  }
}
