export interface DeadlineOptions {
  /** The rejection once the time is up; default an Error with code `ETIMEDOUT`, as Node's sockets have it. */
  expired?: () => Error
  /**
   * Let the process exit while this deadline is all that is left (for background work such as a
   * probe, which must not hold up a shutdown). Off by default: a wait on something that keeps no
   * handle open would otherwise end with the process instead of with the rejection.
   */
  unref?: boolean
}

/**
 * Settles like `promise`, or rejects once `ms` have passed: whoever waits gets an answer in
 * bounded time, even from a call that never returns. The late outcome of `promise` is dropped.
 */
export async function withDeadline<T> (promise: Promise<T>, ms: number, options: DeadlineOptions = {}): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(options.expired?.() ?? Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' }))
    }, ms)
    if (options.unref === true) timer.unref()
  })
  promise.catch(() => {})
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}
