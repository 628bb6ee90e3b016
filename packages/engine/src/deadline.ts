import { EngineUnavailableError } from './types.js'

export interface DeadlineOptions {
  /** The rejection once the time is up; default an Error with code `ETIMEDOUT`, as Node's sockets have it. */
  expired?: (ms: number) => Error
  /**
   * Let the process exit while this deadline is all that is left (for background work such as a
   * probe, which must not hold up a shutdown). Off by default: a wait on something that keeps no
   * handle open would otherwise end with the process instead of with the rejection.
   */
  unref?: boolean
}

const timedOut = (ms: number): Error => Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })
const engineTimedOut = (ms: number): Error => new EngineUnavailableError(`the engine did not answer within ${ms} ms`)

/**
 * Settles like `promise`, or rejects once `ms` have passed: whoever waits gets an answer in
 * bounded time, even from a call that never returns. The late outcome of `promise` is dropped
 * (the race has handled it). Not async, so a bounded call costs one promise more than the call.
 */
export function withDeadline<T> (promise: Promise<T>, ms: number, options?: DeadlineOptions): Promise<T> {
  return race(promise, ms, options?.expired ?? timedOut, options?.unref === true)
}

/**
 * An engine call bounded by `ms`; past it, EngineUnavailableError, which the services answer as
 * `unavailable`: a client gets an answer in bounded time, even while a lost connection is retried.
 */
export function engineDeadline<T> (promise: Promise<T>, ms: number): Promise<T> {
  return race(promise, ms, engineTimedOut, false)
}

function race<T> (promise: Promise<T>, ms: number, expired: (ms: number) => Error, unref: boolean): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(expired(ms)), ms)
    if (unref) timer.unref()
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}
