import { randomBytes } from 'node:crypto'
import { type BeforeSendRequest, parseBeforeSendAnswer } from '@webchat/shared'
import { signedPost } from './http.js'

/** What becomes of a message: stored as sent, refused with a reason the sender sees, or stored with other text. */
export type Verdict = { action: 'allow' } | { action: 'reject', reason: string } | { action: 'rewrite', text: string }

export type BeforeSendOutcome = 'allow' | 'reject' | 'rewrite' | 'error' | 'timeout'

/** One call as metrics and the log see it: never the text, the URL or the signature. */
export interface BeforeSendCall { outcome: BeforeSendOutcome, ms: number, room: string, userId: string, status?: number, reason?: string }

export interface BeforeSendOptions {
  url: string
  secret: string
  timeoutMs: number
  /** What a message gets when the hook gives no usable answer in time: fail open or closed. */
  onFailure: 'allow' | 'reject'
  fetch?: typeof globalThis.fetch
  observe?: (call: BeforeSendCall) => void
}

/** The host product's word on each message and edit before it is stored (BEFORE_SEND_URL). */
export interface BeforeSend {
  check: (request: Omit<BeforeSendRequest, 'id'>) => Promise<Verdict>
}

/** An answer is a few hundred bytes; a rewrite at most a message's text. */
const MAX_ANSWER_BYTES = 64 * 1024
const DEFAULT_REASON = 'the message was not accepted'
const UNCHECKED = 'the message could not be checked: try again later'

export function createBeforeSend (options: BeforeSendOptions): BeforeSend {
  const observe = options.observe ?? (() => {})
  const failed: Verdict = options.onFailure === 'allow' ? { action: 'allow' } : { action: 'reject', reason: UNCHECKED }
  return {
    async check (request) {
      const body = JSON.stringify({ id: randomBytes(16).toString('base64url'), ...request })
      const result = await signedPost({
        url: options.url,
        secret: options.secret,
        body,
        timeoutMs: options.timeoutMs,
        maxBytes: MAX_ANSWER_BYTES,
        ...(options.fetch === undefined ? {} : { fetch: options.fetch })
      })
      const call = { ms: result.ms, room: request.room, userId: request.user.id, ...(result.status === undefined ? {} : { status: result.status }) }
      const answer = result.status === 200 && result.text !== undefined ? parseBeforeSendAnswer(result.text) : undefined
      if (answer === undefined) {
        const outcome = result.reason === 'timeout' ? 'timeout' : 'error'
        observe({ ...call, outcome, reason: result.reason ?? (result.status === 200 ? 'body' : 'status') })
        return failed
      }
      observe({ ...call, outcome: answer.action })
      if (answer.action === 'reject') return { action: 'reject', reason: answer.reason ?? DEFAULT_REASON }
      return answer
    }
  }
}
