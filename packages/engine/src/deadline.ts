import { withDeadline as deadline } from '@webchat/service-kit'
import { EngineUnavailableError } from './types.js'

/**
 * An engine call bounded by `ms`; past it, EngineUnavailableError, which the services answer as
 * `unavailable`: a client gets an answer in bounded time, even while a lost connection is retried.
 */
export async function withDeadline<T> (promise: Promise<T>, ms: number): Promise<T> {
  return await deadline(promise, ms, { expired: () => new EngineUnavailableError(`the engine did not answer within ${ms} ms`) })
}
