import { createTokenBucket, LIMITS } from '@webchat/shared'
import { errors } from '../errors.js'

const READY: Promise<unknown> = Promise.resolve()

/**
 * What a user's answers that read a room's log (`joined`, `history`, HTTP history) may read on
 * an instance: a token bucket of bytes (LIMITS.replyBytesPerSecond, LIMITS.replyBytesBurst),
 * one per user however many sockets and requests they read through (see allowances.ts). A read's
 * bytes are known only once it is done, so they are charged after it, and a user in debt is
 * refused until it is paid back. The reads run one at a time, so that each is checked with every
 * earlier one charged: however many joins a client sends at once, it has at most one read of the
 * log in flight and reads no more than the burst plus one answer ahead of the rate.
 */
export class ReplyBudget {
  private readonly bucket = createTokenBucket(LIMITS.replyBytesPerSecond, LIMITS.replyBytesBurst)
  private tail = READY
  private running = 0

  /** False while in debt: the caller refuses before doing anything else. */
  ready (): boolean {
    return this.bucket.ready()
  }

  /** No read waiting or under way and the whole burst back: forgetting it gives nothing away. */
  idle (): boolean {
    return this.running === 0 && this.bucket.full()
  }

  /** Runs `read` after the user's earlier log reads and charges its bytes; throws RateLimited when in debt by then. */
  async run<T extends { bytes: number }> (read: () => Promise<T>): Promise<T> {
    this.running++
    const turn = this.tail.then(async () => {
      if (!this.bucket.ready()) throw refusal()
      const result = await read()
      this.bucket.charge(result.bytes)
      return result
    })
    this.tail = turn.catch(() => {}).finally(() => { this.running-- })
    return await turn
  }
}

/** The `rate_limited` refusal of an answer that would read the log while the budget is in debt. */
export const refusal = (): Error =>
  new errors.RateLimited(`reading room history or lists faster than ${LIMITS.replyBytesPerSecond} bytes a second: retry later`)

/** An answer with its size in bytes, for `ReplyBudget.run` (lists: their size is what they cost to read and send). */
export const sized = <T extends object>(answer: T): T & { bytes: number } => ({ ...answer, bytes: JSON.stringify(answer).length })
