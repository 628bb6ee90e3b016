import { createHmac, randomBytes } from 'node:crypto'
import {
  ACCESS_HOOK_ROLES, type AccessHookRequest, type AccessHookRole, formatSignature, type Member, SIGNATURE_HEADER,
  signedText
} from '@webchat/shared'

/** Who a member admitted by the hook was added by (their roster entry's addedBy). */
export const ACCESS_HOOK = 'access-hook'

export type HookOutcome = 'allow' | 'deny' | 'error' | 'timeout'

/** One call to the hook as metrics and the log see it: no secret, no signature, no URL. */
export interface HookCall { outcome: HookOutcome, ms: number, room: string, userId: string, status?: number, reason?: string }

export interface AccessHookOptions {
  url: string
  secret: string
  /** The longest a join waits on the hook. */
  timeoutMs: number
  /** How long a yes, and a no, is kept (0: not kept). Errors and timeouts are not kept. */
  allowCacheMs: number
  denyCacheMs: number
  /** Answers kept at most; the oldest go first. */
  maxEntries: number
  fetch?: typeof globalThis.fetch
  now?: () => number
  observe?: (call: HookCall) => void
}

/**
 * The host product's word on who may join its private rooms (ROOM_ACCESS_URL): a signed POST,
 * bounded in time, failing closed, its answers kept per (room, user) in this process.
 */
export interface AccessHook {
  /** The role the host product admits `user` to `room` with, or null: no, or no usable answer. */
  ask (room: string, user: Member): Promise<AccessHookRole | null>
  /** Drops what is kept (or being asked) for this user and room: their next join asks again. */
  forget (room: string, userId: string): void
}

type Answer = { role: AccessHookRole | null }
interface Reply { answer?: Answer, status?: number, reason?: string }

/** The role a 200 body grants, null for a no, undefined when it is not an answer (fails closed). */
export function parseAnswer (text: string): AccessHookRole | null | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const { allow, role } = value as Record<string, unknown>
  if (role !== undefined && !(ACCESS_HOOK_ROLES as readonly unknown[]).includes(role)) return undefined
  if (allow === false) return null
  return allow === true ? (role as AccessHookRole | undefined) ?? 'member' : undefined
}

/**
 * The most of a 200 body read: an answer is a few dozen bytes. Read whole, a hook sending more
 * (a bug, a proxy's error page, a gzip bomb: fetch inflates) would cost chat memory per join and,
 * past V8's string limit, block the event loop beyond the timeout.
 */
export const MAX_ANSWER_BYTES = 16 * 1024

/** The body as text, or undefined (and the rest of the stream cancelled) once it passes `max` bytes. */
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

export const signAccessRequest = (secret: string, body: string, unixSeconds: number): string =>
  formatSignature(unixSeconds, createHmac('sha256', secret).update(signedText(unixSeconds, body)).digest('hex'))

export function createAccessHook (options: AccessHookOptions): AccessHook {
  const { url, secret, timeoutMs, maxEntries } = options
  const fetch = options.fetch ?? globalThis.fetch
  const now = options.now ?? Date.now
  const observe = options.observe ?? (() => {})
  const kept = new Map<string, Answer & { until: number }>()
  const asking = new Map<string, Promise<Answer | undefined>>()
  const key = (room: string, userId: string): string => JSON.stringify([room, userId])

  const keep = (k: string, answer: Answer): void => {
    const ms = answer.role === null ? options.denyCacheMs : options.allowCacheMs
    if (ms <= 0) return
    kept.delete(k)
    kept.set(k, { ...answer, until: now() + ms })
    while (kept.size > maxEntries) kept.delete(kept.keys().next().value!)
  }

  /** One signed POST: the answer, or why there is none (a status other than 200, a body that is no answer). */
  const call = async (room: string, user: Member, signal: AbortSignal): Promise<Reply> => {
    const request: AccessHookRequest = { id: randomBytes(16).toString('base64url'), room, user: { id: user.id, name: user.name } }
    const body = JSON.stringify(request)
    const headers = { 'content-type': 'application/json', [SIGNATURE_HEADER]: signAccessRequest(secret, body, Math.floor(now() / 1000)) }
    // A redirect is no answer: following one would send the signed request somewhere else.
    const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' })
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => {})
      return { status: response.status, reason: 'status' }
    }
    const text = await readAtMost(response.body, MAX_ANSWER_BYTES)
    if (text === undefined) return { status: 200, reason: 'size' }
    const role = parseAnswer(text)
    return role === undefined ? { status: 200, reason: 'body' } : { status: 200, answer: { role } }
  }

  /** `call` within timeoutMs, whatever the fetch does with the abort signal. */
  const request = async (room: string, user: Member): Promise<Answer | undefined> => {
    const started = performance.now()
    const controller = new AbortController()
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => { controller.abort(); resolve('timeout') }, timeoutMs) })
    const done = await Promise.race([
      call(room, user, controller.signal).catch((err: unknown): Reply => ({ reason: errorName(err) })),
      late
    ]).finally(() => clearTimeout(timer))
    const ms = Math.round(performance.now() - started)
    if (done === 'timeout') {
      observe({ outcome: 'timeout', ms, room, userId: user.id })
      return undefined
    }
    const outcome: HookOutcome = done.answer === undefined ? 'error' : done.answer.role === null ? 'deny' : 'allow'
    observe({ outcome, ms, room, userId: user.id, ...(done.status === undefined ? {} : { status: done.status }), ...(done.reason === undefined ? {} : { reason: done.reason }) })
    return done.answer
  }

  return {
    async ask (room, user) {
      const k = key(room, user.id)
      const found = kept.get(k)
      if (found !== undefined && found.until > now()) return found.role
      kept.delete(k)
      // Joins of the same user and room at once (several tabs, a reconnect) share one request.
      let pending = asking.get(k)
      if (pending === undefined) {
        const started = request(room, user)
        pending = started
        asking.set(k, started)
        void started.then((answer) => {
          // Not kept when forgotten meanwhile: a removal must not be undone by an answer asked before it.
          if (asking.get(k) !== started) return
          asking.delete(k)
          if (answer !== undefined) keep(k, answer)
        })
      }
      return (await pending)?.role ?? null
    },

    forget (room, userId) {
      const k = key(room, userId)
      kept.delete(k)
      asking.delete(k)
    }
  }
}

/** What failed, for the log: a network error's code, never the URL or the request. */
function errorName (err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } }).cause
  return typeof cause?.code === 'string' ? cause.code : err instanceof Error ? err.name : 'error'
}
