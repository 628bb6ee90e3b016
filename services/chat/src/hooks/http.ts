import { createHmac } from 'node:crypto'
import { formatSignature, SIGNATURE_HEADER, signedText } from '@webchat/shared'

/**
 * Signed POSTs to a host product (the join hook, webhooks, the before-send hook): the body signed
 * with HMAC-SHA256 over `<unix seconds>.<body>` (docs/webhooks.md says how a receiver checks it),
 * bounded in time whatever the endpoint does, its answer read up to a byte cap.
 */

export const sign = (secret: string, body: string, unixSeconds: number): string =>
  formatSignature(unixSeconds, createHmac('sha256', secret).update(signedText(unixSeconds, body)).digest('hex'))

/** What one POST came to: an answer (status and, when read, its body), or why there is none. */
export interface PostResult {
  /** The HTTP status, when one came back in time. */
  status?: number
  /** The body of a 2xx answer, when `readBody` asked for it and it fitted in `maxBytes`. */
  text?: string
  /** Why there is no usable answer: `timeout`, `size`, a network error's code; never the URL. */
  reason?: string
  ms: number
}

export interface SignedPost {
  url: string
  secret: string
  body: string
  /** Headers besides the content type and the signature. */
  headers?: Record<string, string>
  timeoutMs: number
  /** Read the body of a 2xx answer up to this many bytes (undefined: not read, dropped). */
  maxBytes?: number
  fetch?: typeof globalThis.fetch
  now?: () => number
}

/**
 * One signed POST within `timeoutMs`, whatever the fetch does with the abort signal. A redirect
 * is no answer: following one would send the signed request somewhere else.
 */
export async function signedPost (post: SignedPost): Promise<PostResult> {
  const fetch = post.fetch ?? globalThis.fetch
  const now = post.now ?? Date.now
  const started = performance.now()
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<PostResult>((resolve) => {
    timer = setTimeout(() => { controller.abort(); resolve({ reason: 'timeout', ms: 0 }) }, post.timeoutMs)
  })
  const call = async (): Promise<PostResult> => {
    const headers = { 'content-type': 'application/json', ...post.headers, [SIGNATURE_HEADER]: sign(post.secret, post.body, Math.floor(now() / 1000)) }
    const response = await fetch(post.url, { method: 'POST', headers, body: post.body, signal: controller.signal, redirect: 'manual' })
    const ok = response.status >= 200 && response.status < 300
    if (!ok || post.maxBytes === undefined) {
      await response.body?.cancel().catch(() => {})
      return { status: response.status, ms: 0 }
    }
    const text = await readAtMost(response.body, post.maxBytes)
    return text === undefined ? { status: response.status, reason: 'size', ms: 0 } : { status: response.status, text, ms: 0 }
  }
  const result = await Promise.race([call().catch((err: unknown): PostResult => ({ reason: errorName(err), ms: 0 })), late])
    .finally(() => clearTimeout(timer))
  return { ...result, ms: Math.round(performance.now() - started) }
}

/**
 * The body as text, or undefined (and the rest of the stream cancelled) once it passes `max`
 * bytes. Read whole, an endpoint sending more (a bug, a proxy's error page, a gzip bomb: fetch
 * inflates) would cost chat memory per call and, past V8's string limit, block the event loop.
 */
async function readAtMost (body: ReadableStream<Uint8Array> | null, max: number): Promise<string | undefined> {
  if (body === null) return ''
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return Buffer.concat(chunks).toString('utf8')
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
}

/** What failed, for the log: a network error's code, never the URL or the request. */
function errorName (err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause
  return typeof cause?.code === 'string' ? cause.code : err instanceof Error ? err.name : 'error'
}

/** Whether a setting's URL can carry signed requests: http(s), no credentials in it (fetch refuses those at every call). */
export function hookUrlProblem (url: string): string | null {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) return 'must be an http or https URL'
  const { username, password } = new URL(url)
  if (username !== '' || password !== '') return 'must not carry a user or password (requests are signed instead)'
  return null
}
